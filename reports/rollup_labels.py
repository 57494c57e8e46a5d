"""The province roll-up's heading and tables in words, the same in every format."""

from __future__ import annotations

from typing import Any

from dutyflow.i18n import t
from reports.labels import day, number, period_label

COUNT_COLUMNS = ("due_count", "on_time", "late", "still_overdue", "on_time_rate")


def heading(rollup: dict[str, Any]) -> dict[str, str]:
    return {
        "nation": t("report.nation"),
        "motto": t("report.motto"),
        "kind": t("report.rollup.kind"),
        "title": t("report.rollup.title", plans=len(rollup["plans"]), period=period_label(rollup["period"])),
        "as_of": t("report.rollup.as_of", date=day(rollup["as_of"]), compiled=day(rollup["compiled_on"])),
    }


def _counts(line: dict[str, Any], numbers: bool) -> list[Any]:
    rate = line["rate"] if numbers else ("—" if line["rate"] is None else f"{number(line['rate'])} %")
    return [line["due"], line["on_time"], line["late"], line["overdue"], rate]


def plan_headers() -> list[str]:
    names = ("report.col.no", "report.rollup.col.code", "report.rollup.col.plan", "report.rollup.col.plan_title")
    return [t(n) for n in names] + [t(f"report.col.{c}") for c in COUNT_COLUMNS] + [t("report.rollup.col.report")]


def plan_rows(rollup: dict[str, Any], *, numbers: bool = False) -> list[list[Any]]:
    """A row per plan, then the province's total; the rate a number for a spreadsheet, in words elsewhere."""
    rows = [
        [i, p["code"], p["number"], p["title"], *_counts(p, numbers),
         p["report_version"] if p["report_version"] is not None else t("report.rollup.no_report")]
        for i, p in enumerate(rollup["plans"], start=1)
    ]  # fmt: skip
    return [*rows, ["", "", t("report.total_row"), "", *_counts(rollup["totals"], numbers), ""]]


def body_headers() -> list[str]:
    names = ("report.col.no", "report.rollup.col.code", "report.col.body", "report.rollup.col.plans")
    return [t(n) for n in names] + [t(f"report.col.{c}") for c in COUNT_COLUMNS]


def body_rows(rollup: dict[str, Any], *, numbers: bool = False) -> list[list[Any]]:
    """A row per body code across the plans that name it, then the total (the same as the plans' total)."""
    rows = [
        [i, b["code"], b["name"], b["plans"], *_counts(b, numbers)] for i, b in enumerate(rollup["bodies"], start=1)
    ]
    return [*rows, ["", "", t("report.total_row"), "", *_counts(rollup["totals"], numbers)]]


def failed_headers() -> list[str]:
    return [t("report.col.no"), t("report.rollup.col.plan"), t("report.rollup.col.reason")]


def failed_rows(rollup: dict[str, Any]) -> list[list[Any]]:
    return [[i, f["plan"], f["reason"]] for i, f in enumerate(rollup["failed"], start=1)]
