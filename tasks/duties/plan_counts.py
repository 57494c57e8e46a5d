"""Every plan's occurrences counted by category on a day, kept and brought up to date by recounting only the plans
whose occurrences changed since: after one submission, a province's overview recounts one plan, not a million
occurrences.

What was counted is marked with the newest status event and occurrence it saw (ids only grow). A later count
recounts the plans of the events and occurrences added since, and everything when a plan was loaded, reloaded
or removed, or due dates were moved (a plan's revision). The mark is read before the counts, so a change made
while counting is counted again next time, never missed (recounting a plan replaces its counts: it cannot count twice).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from models.duty import Duty, Occurrence, StatusEvent
from models.plan import Plan
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.as_of import counts_then

Counts = dict[tuple[int, str], int]  # (plan id, category) -> occurrences


@dataclass(frozen=True)
class Mark:
    event_id: int
    occurrence_id: int
    plans: tuple[Any, ...]  # the plans' own fingerprint: a change there recounts everything


@dataclass(frozen=True)
class _Kept:
    mark: Mark
    counts: Counts


def read_mark(session: Session) -> Mark:
    row = session.execute(
        select(
            select(func.max(StatusEvent.id)).scalar_subquery(),
            select(func.max(Occurrence.id)).scalar_subquery(),
            select(func.max(Plan.loaded_at)).scalar_subquery(),
            select(func.count()).select_from(Plan).scalar_subquery(),
            select(func.count()).select_from(Duty).scalar_subquery(),
            select(func.sum(Plan.revision)).scalar_subquery(),  # due dates moved: rare, so everything is recounted
        )
    ).one()
    return Mark(row[0] or 0, row[1] or 0, (row[2], row[3], row[4], row[5]))


def plans_changed_since(session: Session, mark: Mark) -> list[int]:
    """The plans with a status event or an occurrence newer than `mark`."""
    by_events = (
        select(Occurrence.plan_id)
        .join(StatusEvent, StatusEvent.occurrence_id == Occurrence.id)
        .where(StatusEvent.id > mark.event_id)
    )
    by_occurrences = select(Occurrence.plan_id).where(Occurrence.id > mark.occurrence_id)
    return sorted(session.scalars(union(by_events, by_occurrences)))


class PlanCounts:
    """The counts of the last few days asked, per process; safe to share between request threads."""

    def __init__(self, days: int = 16) -> None:
        self._days = days
        self._kept: OrderedDict[dt.date, _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def counts(self, session: Session, *, as_of: dt.date, calendar: WorkCalendar, due_soon_workdays: int) -> Counts:
        def count(plan_ids: list[int] | None) -> Counts:
            return counts_then(
                session,
                by=Occurrence.plan_id,
                plan_ids=plan_ids,
                as_of=as_of,
                calendar=calendar,
                due_soon_workdays=due_soon_workdays,
            )

        mark = read_mark(session)
        with self._lock:
            kept = self._kept.get(as_of)
        if kept is not None and kept.mark == mark:
            return kept.counts
        if kept is None or kept.mark.plans != mark.plans:
            counts = count(None)
        else:
            changed = plans_changed_since(session, kept.mark)
            recounted = set(changed)
            counts = {key: n for key, n in kept.counts.items() if key[0] not in recounted}
            if changed:
                counts.update(count(changed))
        with self._lock:
            self._kept[as_of] = _Kept(mark, counts)
            self._kept.move_to_end(as_of)
            while len(self._kept) > self._days:
                self._kept.popitem(last=False)
        return counts
