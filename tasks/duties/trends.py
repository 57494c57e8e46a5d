"""Timeliness over time, as a steering office reviews its bodies (tỷ lệ đúng hạn, xếp hạng): for each body and
each quarter, the occurrences due in it, how many were done on time, done late, or are still overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from tasks.duties.listing import DutyRow

ON_TIME, LATE, OVERDUE = "completed_on_time", "completed_late", "overdue"
COUNTED = (ON_TIME, LATE, OVERDUE)  # due by the day looked at; waived, suspended and the not-yet-due are not


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass
class Timeliness:
    """One body's (or the plan's) record over one stretch of time."""

    body_code: str
    body_name: str
    body_order: int
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """The on-time share in per cent, None when nothing was due."""
        return round(self.on_time / self.due * 100, 1) if self.due else None

    def add(self, category: str) -> None:
        if category == ON_TIME:
            self.on_time += 1
        elif category == LATE:
            self.late += 1
        elif category == OVERDUE:
            self.overdue += 1

    def as_json(self) -> dict[str, object]:
        return {
            "body": self.body_code,
            "name": self.body_name,
            "due": self.due,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "rate": self.rate,
        }


@dataclass
class Trend:
    """Every body's record per quarter, the plan's per quarter, and a ranking for the stretch asked."""

    quarters: list[str]
    by_body: dict[str, dict[str, Timeliness]] = field(default_factory=dict)  # body -> quarter -> record
    plan: dict[str, Timeliness] = field(default_factory=dict)  # quarter -> record

    def ranking(self, quarters: Iterable[str] | None = None) -> list[Timeliness]:
        """Bodies by on-time rate over `quarters` (all by default), best first; ties by fewer overdue, then the
        plan's order. Bodies with nothing due come last."""
        wanted = set(self.quarters if quarters is None else quarters)
        totals = []
        for records in self.by_body.values():
            first = next(iter(records.values()))
            total = Timeliness(first.body_code, first.body_name, first.body_order)
            for quarter, record in records.items():
                if quarter in wanted:
                    total.on_time, total.late, total.overdue = (
                        total.on_time + record.on_time,
                        total.late + record.late,
                        total.overdue + record.overdue,
                    )
            totals.append(total)
        return sorted(totals, key=lambda r: (r.rate is None, -(r.rate or 0), r.overdue, r.body_order))


def timeliness(rows: list[DutyRow], *, today: dt.date) -> Trend:
    """From every occurrence's category as of `today` (`list_duties(..., include_all=True)`): those due by
    today, grouped by the quarter of their deadline."""
    counted = [r for r in rows if r.due_on <= today and r.category in COUNTED]
    quarters = sorted({quarter_of(r.due_on) for r in counted})
    trend = Trend(quarters)
    for row in sorted(rows, key=lambda r: (r.body_order, r.body_code)):
        trend.by_body.setdefault(row.body_code, {})
    for row in sorted(counted, key=lambda r: (r.body_order, r.due_on)):
        quarter = quarter_of(row.due_on)
        name = row.body_short_name or row.body_name
        per_body = trend.by_body.setdefault(row.body_code, {})
        per_body.setdefault(quarter, Timeliness(row.body_code, name, row.body_order)).add(row.category)
        trend.plan.setdefault(quarter, Timeliness("", "", 0)).add(row.category)
    trend.by_body = {code: records for code, records in trend.by_body.items() if records}
    return trend
