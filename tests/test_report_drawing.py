"""The report's chart and spreadsheet drawn the quick way read exactly as the plain way drew them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from openpyxl import load_workbook
from PIL import Image, ImageChops
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.i18n import t
from models import Plan
from reports.chart import COLOURS, status_chart_png
from reports.labels import day
from reports.xlsx_report import render_xlsx
from tasks.calendar.periods import parse_period
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import LoadSummary
from tasks.reports.figures import APART, REPORT_CATEGORIES, compute_figures


def _plain_chart(figures: dict[str, Any]) -> bytes:
    """The chart as first written: a `barh` call per category, the names as the axis's tick labels."""
    status = figures["duty_status"]
    bodies = list(reversed(status["bodies"]))
    totals = [max(1, sum(b["counts"][c] for c in status["categories"])) for b in bodies]
    names = [f"{b['name']} ({sum(b['counts'][c] for c in status['categories'])})" for b in bodies]
    figure = Figure(figsize=(9, 0.36 * len(names) + 2.4), dpi=130)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    rows = list(range(len(names)))
    left = [0.0] * len(bodies)
    for category in status["categories"]:
        shares = [100 * b["counts"][category] / total for b, total in zip(bodies, totals, strict=True)]
        axes.barh(rows, shares, left=left, color=COLOURS[category], label=t("category." + category))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_yticks(rows, names)
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0f} %")
    axes.set_title(t("report.chart.title", date=day(figures["as_of"])), fontsize=11)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, fontsize=8, frameon=False)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    height = figure.get_figheight()
    longest = max((len(n) for n in names), default=10)
    figure.subplots_adjust(
        left=min(0.6, 0.03 + longest * 0.0066), right=0.96, top=1 - 0.42 / height, bottom=0.95 / height
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _status(names: list[str]) -> dict[str, Any]:
    bodies = [
        {
            "code": f"b{i}",
            "name": name,
            "order": i,
            "counts": {c: (i * 7 + k * 3) % 11 for k, c in enumerate(REPORT_CATEGORIES + APART)},
        }
        for i, name in enumerate(names)
    ]
    return {"categories": REPORT_CATEGORIES, "apart": APART, "bodies": bodies, "totals": {}}


def test_the_chart_is_pixel_for_pixel_the_chart_of_a_barh_per_category_named_by_ticks() -> None:
    names = ["Phòng LĐTBXH", "UBND các xã, thị trấn", "Phòng Tư pháp", "Trung tâm VH-TT&TT huyện", "Chi cục Thống kê"]
    for figures in (
        {"duty_status": _status(names), "as_of": "2023-06-14"},
        {"duty_status": _status(names[:1]), "as_of": "2023-12-14"},  # one body, some of its categories empty
    ):
        quick, plain = Image.open(io.BytesIO(status_chart_png(figures))), Image.open(io.BytesIO(_plain_chart(figures)))
        assert quick.size == plain.size
        assert ImageChops.difference(quick.convert("RGBA"), plain.convert("RGBA")).getbbox() is None


def test_the_streamed_xlsx_keeps_bold_wrapped_headings_frozen_widths_and_the_caption(
    db: Session, loaded: LoadSummary, tmp_path: Path
) -> None:
    plan = db.scalars(select(Plan)).one()
    figures = compute_figures(
        db,
        plan=plan,
        period=parse_period("2023-H1"),
        now=dt.datetime(2023, 7, 3, 2, 0, tzinfo=dt.UTC),
        calendar=WorkCalendar(),
        due_soon_workdays=5,
        draft=True,
    )
    path = tmp_path / "r.xlsx"
    render_xlsx(figures, version=1, chart_png=status_chart_png(figures), path=path)
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b and cell.alignment.wrap_text for cell in sheet[1] if cell.value is not None)
        assert sheet.oddHeader.center.text.startswith(t("report.draft") + " — ")
        widths = [sheet.column_dimensions[c].width for c in "ABC"]
        assert all(8 <= w <= 60 for w in widths)
    duties = workbook[t("report.sheet.duties")]
    assert len(duties._images) == 1
    assert [c.value for c in duties[1]][1:6] == [t("category." + c) for c in REPORT_CATEGORIES]
