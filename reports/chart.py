"""The report's chart: each body's occurrences by timing category, as a PNG."""

from __future__ import annotations

import io
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dutyflow.i18n import t
from reports.labels import day

COLOURS = {
    "completed_on_time": "#2e7d32",
    "completed_late": "#9c27b0",
    "in_progress": "#0288d1",
    "overdue": "#c62828",
    "not_yet_due": "#bdbdbd",
}


def status_chart_png(figures: dict[str, Any]) -> bytes:
    """Each body's share of occurrences per category (100 % bars, so a body of 17 communes and a body of
    two duties read alike), the count beside each name."""
    status = figures["duty_status"]
    bodies = list(reversed(status["bodies"]))
    totals = [max(1, sum(b["counts"][c] for c in status["categories"])) for b in bodies]
    names = [f"{b['name']} ({sum(b['counts'][c] for c in status['categories'])})" for b in bodies]
    # A bare Figure on the Agg canvas: no pyplot figure manager to create and close (same pixels, less work).
    figure = Figure(figsize=(9, 0.36 * len(names) + 2.4), dpi=130)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    # Bars at numbered rows, named once by the ticks: the same picture as bars at categorical names, without
    # converting the names for every category's bars.
    rows = list(range(len(names)))
    left = [0.0] * len(bodies)
    for category in status["categories"]:
        shares = [100 * b["counts"][category] / total for b, total in zip(bodies, totals, strict=True)]
        axes.barh(rows, shares, left=left, color=COLOURS.get(category, "#999999"), label=t("category." + category))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_yticks(rows, names)
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0f} %")
    axes.set_title(t("report.chart.title", date=day(figures["as_of"])), fontsize=11)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, fontsize=8, frameon=False)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    # Margins from the longest name instead of tight_layout (which draws the whole figure once more to measure
    # it), and light PNG compression (the same pixels): together half the chart's cost.
    height = figure.get_figheight()
    longest = max((len(n) for n in names), default=10)
    figure.subplots_adjust(
        left=min(0.6, 0.03 + longest * 0.0066), right=0.96, top=1 - 0.42 / height, bottom=0.95 / height
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
