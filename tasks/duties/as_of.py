"""Statuses as of a moment, computed by the database: the rule of `statuses.status_at`, written as SQL.

An occurrence with no status event after the moment still has its status of now; for the others the status
then is the `from_status` of the first event after it (by id), and the submission then is the last one made by
that moment. `last_event_at` tells the two apart without reading the trail of every occurrence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    String,
    TextClause,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.base import UtcDateTime
from models.duty import OWED, Occurrence, StatusEvent
from tasks.calendar.clock import VN_TZ, end_of_local_day
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import COMPLETED, OWED_STATUSES, Category, Status


def unchanged_since(moment: dt.datetime) -> ColumnElement[bool]:
    """No status event after `moment`: its status then is its status now."""
    return or_(Occurrence.last_event_at.is_(None), Occurrence.last_event_at <= moment)


def _first_later_from(moment: dt.datetime) -> ColumnElement[str]:
    return (
        select(StatusEvent.from_status)
        .where(StatusEvent.occurrence_id == Occurrence.id, StatusEvent.at > moment)
        .order_by(StatusEvent.id)
        .limit(1)
        .correlate(Occurrence)
        .scalar_subquery()
    )


def status_then(moment: dt.datetime) -> ColumnElement[str]:
    """Each occurrence's status at `moment`."""
    return case((unchanged_since(moment), Occurrence.status), else_=_first_later_from(moment))


def owed_then(
    moment: dt.datetime, *, due_by: dt.date, narrowed: Sequence[ColumnElement[bool] | TextClause] = ()
) -> CompoundSelect[int, dt.date]:
    """Open or returned at `moment`, of those due by `due_by`: the ones unchanged since, read through the partial
    index of owed ones, and the ones changed since, read through (due_on, last_event_at); each set is small.
    `narrowed` (a plan, a body...) applies inside each set, where an index can serve it. Each id comes with its
    due date, for ordering by it without the planner walking all occurrences in due order to find the owed."""
    owed = sorted(s.value for s in OWED_STATUSES)
    unchanged = select(Occurrence.id, Occurrence.due_on).where(
        OWED, Occurrence.due_on <= due_by, unchanged_since(moment), *narrowed
    )
    changed = select(Occurrence.id, Occurrence.due_on).where(
        Occurrence.due_on <= due_by, Occurrence.last_event_at > moment, *narrowed, _first_later_from(moment).in_(owed)
    )
    return union_all(unchanged, changed)  # the two never share an id: no duplicates to remove


def submitted_then(moment: dt.datetime) -> ColumnElement[dt.datetime]:
    """The submission standing at `moment` (meaningful only where the status then counts as completed)."""
    earlier = (
        select(StatusEvent.at)
        .where(
            StatusEvent.occurrence_id == Occurrence.id,
            StatusEvent.to_status == Status.SUBMITTED.value,
            StatusEvent.at <= moment,
        )
        .order_by(StatusEvent.id.desc())
        .limit(1)
        .correlate(Occurrence)
        .scalar_subquery()
    )
    kept = or_(unchanged_since(moment), Occurrence.submitted_at.is_(None), Occurrence.submitted_at <= moment)
    return case((kept, Occurrence.submitted_at), else_=earlier)


def _deadline(dialect: str) -> ColumnElement[Any]:
    """The first instant after the due day in Vietnam, in UTC: a submission before it was on time."""
    offset = VN_TZ.utcoffset(dt.datetime(2000, 1, 1))
    assert offset is not None
    hours = 24 - int(offset.total_seconds() // 3600)
    if dialect == "sqlite":
        # SQLite keeps moments as naive UTC text, which compares in time order with this text
        return literal_column(f"datetime(occurrences.due_on, '+{hours} hours')", String)
    return literal_column(f"timezone('UTC', occurrences.due_on + time '{hours:02d}:00')", UtcDateTime)


def last_due_soon(as_of: dt.date, *, calendar: WorkCalendar, due_soon_workdays: int) -> dt.date:
    """The latest due date that counts as due soon on `as_of` (due_soon_from is monotonic in the due date)."""
    day = as_of
    while calendar.add_workdays(day + dt.timedelta(days=1), -due_soon_workdays) <= as_of:
        day += dt.timedelta(days=1)
    return day


def category_then(
    moment: dt.datetime, *, as_of: dt.date, dialect: str, calendar: WorkCalendar, due_soon_workdays: int
) -> ColumnElement[str]:
    """`statuses.categorize` for every occurrence at once, on `as_of` (ending at `moment`)."""
    status = status_then(moment)
    on_time = submitted_then(moment) < _deadline(dialect)
    soon = last_due_soon(as_of, calendar=calendar, due_soon_workdays=due_soon_workdays)
    completed = sorted(s.value for s in COMPLETED)
    return case(
        (
            status.in_(completed),
            case((on_time, literal(Category.COMPLETED_ON_TIME.value)), else_=literal(Category.COMPLETED_LATE.value)),
        ),
        (status == Status.WAIVED.value, literal(Category.WAIVED.value)),
        (status == Status.SUSPENDED.value, literal(Category.SUSPENDED.value)),
        (status == Status.NOT_APPLICABLE.value, literal(Category.NOT_APPLICABLE.value)),
        (Occurrence.due_on < as_of, literal(Category.OVERDUE.value)),
        (Occurrence.due_on <= soon, literal(Category.DUE_SOON.value)),
        (Occurrence.period_start <= as_of, literal(Category.IN_PROGRESS.value)),
        else_=literal(Category.NOT_YET_DUE.value),
    )


def counts_then(
    session: Session,
    *,
    by: InstrumentedAttribute[int],
    plan_ids: list[int] | None,
    as_of: dt.date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
) -> dict[tuple[int, str], int]:
    """How many occurrences begun by `as_of` fall in each category that day, per value of `by` (a body or a
    plan), counted by the database in one pass."""
    category = category_then(
        end_of_local_day(as_of),
        as_of=as_of,
        dialect=session.get_bind().dialect.name,
        calendar=calendar,
        due_soon_workdays=due_soon_workdays,
    ).label("category")
    query = select(by, category, func.count()).where(Occurrence.period_start <= as_of).group_by(by, category)
    if plan_ids is not None:
        query = query.where(Occurrence.plan_id.in_(plan_ids))
    return {(key, cat): count for key, cat, count in session.execute(query)}
