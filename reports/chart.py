"""The report's chart: each body's occurrences by timing category, as a PNG."""

from __future__ import annotations

import io
from typing import Any

from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKLEFT, MarkerStyle
from matplotlib.patches import Patch
from matplotlib.transforms import ScaledTranslation

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
    # Every bar in one collection at numbered rows: the same pixels as a `barh` call per category, without a patch
    # per bar (each one updating the data limits as it is added).
    rows = list(range(len(names)))
    left = [0.0] * len(bodies)
    bars: list[list[tuple[float, float]]] = []
    colours: list[str] = []
    legend: list[Patch] = []
    for category in status["categories"]:
        colour = COLOURS.get(category, "#999999")
        shares = [100 * b["counts"][category] / total for b, total in zip(bodies, totals, strict=True)]
        for row, start, share in zip(rows, left, shares, strict=True):
            low, high, end = row - 0.4, row + 0.4, start + share
            bars.append([(start, low), (end, low), (end, high), (start, high)])
            colours.append(colour)
        left = [a + b for a, b in zip(left, shares, strict=True)]
        legend.append(Patch(facecolor=colour, label=t("category." + category)))
    axes.add_collection(PolyCollection(bars, facecolors=colours, edgecolors="none", linewidths=0), autolim=False)
    margin = 0.05 * (len(rows) - 0.2)  # the 5 % margins autoscaling gives bars 0.8 high
    axes.set_ylim(-0.4 - margin, len(rows) - 0.6 + margin)
    _name_rows(axes, rows, names)
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0f} %")
    # The title's place given (where it goes anyway, with no labels above the axes), not measured from the axes.
    axes.set_title(t("report.chart.title", date=day(figures["as_of"])), fontsize=11, y=1.0)
    axes.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, fontsize=8, frameon=False)
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


def _name_rows(axes: Axes, rows: list[int], names: list[str]) -> None:
    """What `axes.set_yticks(rows, names)` with 8 pt labels draws, pixel for pixel: a tick mark and a name left of
    each row, drawn as one line of markers and a text each, without building the axis's tick objects."""
    axes.set_yticks([])
    at_rows = axes.get_yaxis_transform()  # x in the axes, y in the data
    tick = rcParams["ytick.major.size"]
    marks = Line2D(
        [0] * len(rows), rows, linestyle="none", marker=MarkerStyle(TICKLEFT), markersize=tick, color="black"
    )
    marks.set(markeredgewidth=rcParams["ytick.major.width"], transform=at_rows, clip_on=False, zorder=2.5)
    axes.add_line(marks)
    left = at_rows + ScaledTranslation(-(tick + rcParams["ytick.major.pad"]) / 72, 0, axes.figure.dpi_scale_trans)
    for row, name in zip(rows, names, strict=True):
        axes.text(0, row, name, transform=left, ha="right", va="center_baseline", fontsize=8, clip_on=False)
