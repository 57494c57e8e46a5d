"""The province roll-up in the four formats, written next to the plans' reports (files named after the period)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook

from dutyflow.i18n import t
from reports import rollup_labels as rl
from reports.docx_page import a4_document, paragraph
from reports.docx_tables import add_grid_table
from reports.text_formats import render_template
from reports.xlsx_report import add_sheet

FORMATS = ("md", "html", "docx", "xlsx")
PLAN_NUMERIC = (4, 5, 6, 7, 8)  # the count columns, right-aligned; as in BODY_NUMERIC
BODY_NUMERIC = (3, 4, 5, 6, 7, 8)


def sections(rollup: dict[str, Any], *, numbers: bool = False) -> list[dict[str, Any]]:
    """The roll-up's tables in order: by plan, by body, then the plans whose own report failed in this run."""
    found = [
        {"title": t("report.rollup.section.plans"), "headers": rl.plan_headers(),
         "rows": rl.plan_rows(rollup, numbers=numbers), "numeric": PLAN_NUMERIC, "total": True,
         "sheet": t("report.rollup.sheet.plans")},
        {"title": t("report.rollup.section.bodies"), "headers": rl.body_headers(),
         "rows": rl.body_rows(rollup, numbers=numbers), "numeric": BODY_NUMERIC, "total": True,
         "sheet": t("report.rollup.sheet.bodies")},
    ]  # fmt: skip
    if rollup["failed"]:
        found.append(
            {"title": t("report.rollup.section.failed"), "headers": rl.failed_headers(),
             "rows": rl.failed_rows(rollup), "numeric": (), "total": False, "sheet": t("report.rollup.sheet.failed")}
        )  # fmt: skip
    return found


def _markdown(rollup: dict[str, Any]) -> str:
    escaped = [
        {**s, "rows": [[str(c).replace("|", "\\|") for c in row] for row in s["rows"]]} for s in sections(rollup)
    ]
    return render_template("rollup.md.j2", h=rl.heading(rollup), sections=escaped)


def _docx(rollup: dict[str, Any], path: Path) -> None:
    h = rl.heading(rollup)
    document = a4_document()
    section = document.sections[0]  # landscape: nine or ten columns
    section.orientation, section.page_width, section.page_height = WD_ORIENT.LANDSCAPE, Mm(297), Mm(210)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, h["nation"], bold=True, size=12, align=centre)
    paragraph(document, h["motto"], bold=True, underline=True, align=centre)
    paragraph(document, h["kind"], bold=True, size=14, align=centre)
    paragraph(document, h["title"], bold=True, align=centre)
    paragraph(document, h["as_of"], italic=True, align=centre)
    for part in sections(rollup):
        paragraph(document, part["title"], bold=True)
        add_grid_table(document, part["headers"], part["rows"], numeric_from=min(part["numeric"], default=99))
    document.save(str(path))


def _xlsx(rollup: dict[str, Any], path: Path) -> None:
    h = rl.heading(rollup)
    caption = f"{h['kind']} {h['title']}"
    workbook = Workbook()
    workbook.remove(workbook.active)
    for part in sections(rollup, numbers=True):
        add_sheet(workbook, part["sheet"], part["headers"], part["rows"], caption, "")
    workbook.properties.title = caption
    workbook.save(str(path))


def render_rollup(rollup: dict[str, Any], *, formats: list[str], out_dir: Path) -> dict[str, str]:
    """Write each format into `out_dir` as tong-hop-<period>.<format>; returns format -> path. A later roll-up
    of the same period replaces the files: it counts the same cut-off, so only the list of failed plans moves."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for fmt in formats:
        path = out_dir / f"tong-hop-{rollup['period']['token']}.{fmt}"
        if fmt == "md":
            path.write_text(_markdown(rollup), encoding="utf-8")
        elif fmt == "html":
            path.write_text(render_template("rollup.html.j2", h=rl.heading(rollup), sections=sections(rollup)),
                            encoding="utf-8")  # fmt: skip
        elif fmt == "docx":
            _docx(rollup, path)
        else:
            _xlsx(rollup, path)
        written[fmt] = str(path)
    return written
