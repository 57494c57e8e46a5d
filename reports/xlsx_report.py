"""The report as XLSX (openpyxl): one sheet per table, numbers as numbers, the chart beside the duties."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dutyflow.i18n import t
from reports import labels

BOLD, WRAP = Font(bold=True), Alignment(wrap_text=True, vertical="top")


def add_sheet(
    workbook: Workbook, title: str, headers: list[str], rows: list[list[Any]], caption: str, draft: str
) -> Any:
    """A sheet of a write-only workbook: rows stream to the file as they come, no cell kept in memory (half the
    time of a normal sheet); widths and the frozen heading go first, since a streamed sheet writes its top first."""
    sheet = workbook.create_sheet(title=title[:31])
    for index, header in enumerate(headers, start=1):
        widest = max([len(str(header)), *(len(str(r[index - 1])) for r in rows if r[index - 1] is not None)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, widest + 2))
    sheet.freeze_panes = "A2"
    sheet.oddHeader.center.text = (draft + " — " if draft else "") + caption  # printed on every page
    heading = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.alignment = BOLD, WRAP
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    return sheet


def render_xlsx(figures: dict[str, Any], *, version: int, chart_png: bytes, path: Path) -> None:
    h = labels.heading(figures, version)
    caption = f"{h['kind']} {h['title']}"
    workbook = Workbook(write_only=True)
    add_sheet(
        workbook,
        t("report.sheet.indicators"),
        [
            t("report.col.no"),
            "code",
            t("report.col.indicator"),
            t("report.col.unit_of_measure"),
            t("report.col.target"),
            t("report.col.value"),
            t("report.col.achieved"),
        ],
        [
            [i, x["code"], x["name"], x["unit"], x["target"], x["value"], x["achieved_pct"]]
            for i, x in enumerate(figures["indicators"], start=1)
        ],
        caption,
        h["draft"],
    )
    add_sheet(
        workbook,
        t("report.sheet.by_unit"),
        [
            "code",
            t("report.col.indicator"),
            t("report.col.commune"),
            t("report.col.allocated"),
            t("report.col.value"),
            t("report.col.achieved"),
        ],
        [
            [x["code"], x["name"], u["name"], u["allocated"], u["value"], u["achieved_pct"]]
            for x in figures["indicators"]
            for u in x["units"]
        ],
        caption,
        h["draft"],
    )
    duties = add_sheet(
        workbook, t("report.sheet.duties"), labels.body_headers(figures), labels.body_rows(figures), caption, h["draft"]
    )
    picture = Image(io.BytesIO(chart_png))
    picture.width, picture.height = picture.width * 0.6, picture.height * 0.6
    duties.add_image(picture, f"{get_column_letter(len(labels.body_headers(figures)) + 2)}2")
    add_sheet(
        workbook,
        t("report.sheet.overdue"),
        [
            t("report.col.no"),
            t("report.col.duty"),
            t("report.col.body"),
            t("report.col.commune"),
            t("report.col.period"),
            t("report.col.due"),
            t("report.col.days_late"),
            t("report.col.step"),
            t("report.col.last_told"),
        ],
        [
            [
                i,
                o["duty_code"],
                o["body"],
                o["unit"] or "",
                o["period"],
                labels.day(o["due_on"]),
                o["days_late"],
                labels.step(o["escalation_step"]),
                labels.moment(o["last_reminder_at"]),
            ]
            for i, o in enumerate(figures["overdue"], start=1)
        ],
        caption,
        h["draft"],
    )
    add_sheet(
        workbook,
        t("report.sheet.appendix"),
        [
            t("report.col.no"),
            t("report.col.received_at"),
            t("report.col.body"),
            t("report.col.commune"),
            t("report.col.duty"),
            t("report.col.period"),
            t("report.col.by"),
            t("report.col.note"),
        ],
        [
            [
                i,
                labels.moment(s["at"]),
                s["body"],
                s["unit"] or "",
                s["duty_code"],
                s["period"],
                s["by"],
                s["note"] or "",
            ]
            for i, s in enumerate(figures["submissions"], start=1)
        ],
        caption,
        h["draft"],
    )
    add_sheet(
        workbook,
        t("report.sheet.timeliness"),
        labels.timeliness_headers(),
        labels.timeliness_rows(figures.get("timeliness", []), numbers=True),
        caption,
        h["draft"],
    )
    add_sheet(
        workbook,
        t("report.sheet.baseline"),
        [
            t("report.col.no"),
            "code",
            t("report.col.indicator"),
            t("report.col.baseline"),
            t("report.col.unit_of_measure"),
            t("report.col.of"),
        ],
        [
            [i, f["code"], f["name"], f["value"], f["unit"], f["of"] or ""]
            for i, f in enumerate(figures["baseline"], start=1)
        ],
        caption,
        h["draft"],
    )
    workbook.properties.title = caption
    workbook.save(str(path))
