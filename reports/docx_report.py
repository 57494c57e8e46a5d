"""The report as DOCX (python-docx), laid out as a Vietnamese administrative document the office can edit."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, RGBColor

from dutyflow.i18n import t
from reports import labels
from reports.docx_page import a4_document, paragraph
from reports.docx_tables import add_grid_table


def render_docx(figures: dict[str, Any], *, version: int, chart_png: bytes, path: Path) -> None:
    h = labels.heading(figures, version)
    document = a4_document()
    section = document.sections[0]
    if h["draft"]:  # the section header repeats on every page
        run = section.header.paragraphs[0].add_run(h["draft"])
        run.bold, run.font.color.rgb = True, RGBColor(0xB0, 0, 0)
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    head = document.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = right.text = ""
    paragraph(left, h["issuer"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(left, h["number"], align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, h["nation"], bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, h["motto"], bold=True, underline=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, h["place_date"], italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, h["kind"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, h["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, h["as_of"], italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    paragraph(document, t("report.section.baseline"), bold=True)
    add_grid_table(
        document,
        [
            t("report.col.no"),
            t("report.col.indicator"),
            t("report.col.baseline"),
            t("report.col.unit_of_measure"),
            t("report.col.of"),
        ],
        [
            [i, f["name"], labels.number(f["value"]), f["unit"], f["of"] or ""]
            for i, f in enumerate(figures["baseline"], start=1)
        ],
        numeric_from=2,
    )
    paragraph(document, t("report.section.indicators"), bold=True)
    add_grid_table(
        document,
        [
            t("report.col.no"),
            t("report.col.indicator"),
            t("report.col.unit_of_measure"),
            t("report.col.target"),
            t("report.col.value"),
            t("report.col.achieved"),
        ],
        [
            [
                i,
                x["name"],
                x["unit"],
                labels.number(x["target"]),
                labels.number(x["value"]),
                labels.number(x["achieved_pct"]) if x["achieved_pct"] is not None else "",
            ]
            for i, x in enumerate(figures["indicators"], start=1)
        ],
    )
    for indicator in (x for x in figures["indicators"] if x["units"]):
        paragraph(document, f"{t('report.section.by_unit')}: {indicator['name']}", italic=True)
        add_grid_table(
            document,
            [t("report.col.commune"), t("report.col.allocated"), t("report.col.value"), t("report.col.achieved")],
            [
                [
                    u["name"],
                    labels.number(u["allocated"]),
                    labels.number(u["value"]),
                    labels.number(u["achieved_pct"]) if u["achieved_pct"] is not None else "",
                ]
                for u in indicator["units"]
            ],
        )

    paragraph(document, t("report.section.duties"), bold=True)
    add_grid_table(document, labels.body_headers(figures), labels.body_rows(figures))
    document.add_picture(io.BytesIO(chart_png), width=Mm(160))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, t("report.chart.caption"), italic=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)

    paragraph(document, t("report.section.overdue"), bold=True)
    if figures["overdue"]:
        add_grid_table(
            document,
            [
                t("report.col.no"),
                t("report.col.duty"),
                t("report.col.body"),
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
                    o["body"] + (f" — {o['unit']}" if o["unit"] else ""),
                    o["period"],
                    labels.day(o["due_on"]),
                    o["days_late"],
                    labels.step(o["escalation_step"]),
                    labels.moment(o["last_reminder_at"]),
                ]
                for i, o in enumerate(figures["overdue"], start=1)
            ],
        )
    else:
        paragraph(document, t("report.none"))
    paragraph(document, t("report.section.timeliness"), bold=True)
    if figures.get("timeliness"):
        add_grid_table(document, labels.timeliness_headers(), labels.timeliness_rows(figures["timeliness"]))
    else:
        paragraph(document, t("report.none"))
    paragraph(document, t("report.section.appendix"), bold=True)
    if figures["submissions"]:
        add_grid_table(
            document,
            [
                t("report.col.no"),
                t("report.col.received_at"),
                t("report.col.body"),
                t("report.col.duty"),
                t("report.col.period"),
                t("report.col.by"),
                t("report.col.note"),
            ],
            [
                [
                    i,
                    labels.moment(s["at"]),
                    s["body"] + (f" — {s['unit']}" if s["unit"] else ""),
                    s["duty_code"],
                    s["period"],
                    s["by"],
                    s["note"] or "",
                ]
                for i, s in enumerate(figures["submissions"], start=1)
            ],
        )
    else:
        paragraph(document, t("report.none"))

    sign = document.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    left.text = right.text = ""
    paragraph(left, t("report.recipients"), bold=True, italic=True, size=12)
    for recipient in figures["plan"]["recipients"]:
        paragraph(left, f"- {recipient};", size=11)
    for line in (t("report.signature.for"), t("report.signature.title"), "", "", figures["plan"]["signer_name"]):
        paragraph(right, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.save(str(path))
