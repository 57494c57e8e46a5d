"""The report's rendering as it was before issue 14, kept to run beside the current one in the same process:
DOCX tables written cell by cell through python-docx, and the chart drawn through pyplot."""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from typing import Any
from unittest.mock import patch

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

import reports.docx_report
from dutyflow.i18n import t
from reports.chart import COLOURS
from reports.labels import day


def per_cell_table(document: Any, headers: list[str], rows: list[list[Any]], numeric_from: int = 1) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(11)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(11)
            if index >= numeric_from and isinstance(value, int | float):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def pyplot_chart_png(figures: dict[str, Any]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    status = figures["duty_status"]
    bodies = list(reversed(status["bodies"]))
    totals = [max(1, sum(b["counts"][c] for c in status["categories"])) for b in bodies]
    names = [f"{b['name']} ({sum(b['counts'][c] for c in status['categories'])})" for b in bodies]
    figure, axes = plt.subplots(figsize=(9, 0.36 * len(names) + 2.4), dpi=130)
    left = [0.0] * len(bodies)
    for category in status["categories"]:
        shares = [100 * b["counts"][category] / total for b, total in zip(bodies, totals, strict=True)]
        axes.barh(names, shares, left=left, color=COLOURS.get(category, "#999999"), label=t("category." + category))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0f} %")
    axes.set_title(t("report.chart.title", date=day(figures["as_of"])), fontsize=11)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, fontsize=8, frameon=False)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def per_cell_docx() -> AbstractContextManager[Any]:
    """Within the block, the DOCX report writes its tables cell by cell, as it used to."""
    return patch.object(reports.docx_report, "add_grid_table", per_cell_table)
