"""The overdue list with the office's filters, sorting and paging; read straight from current statuses when it can."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, TextClause, exists, func, select
from sqlalchemy.orm import Session

from models.duty import OWED, Duty, Occurrence
from models.outbox import OutboxMessage
from models.plan import Body, Plan, Unit
from tasks.calendar.clock import end_of_local_day, local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.listing import DutyRow, list_duties, row_of, with_notices_at
from tasks.duties.statuses import Category

SORTS = ("due", "-due", "body")
Found = Select[Occurrence, Body, Duty, Unit, str]


@dataclass(frozen=True)
class OverdueFilter:
    plan_code: str | None = None
    body_code: str | None = None
    unit_code: str | None = None
    kind: str | None = None
    min_days: int = 1
    step: str | None = None  # an escalation rung reached, e.g. "escalate-2"
    sort: str = "due"


@dataclass(frozen=True)
class OverduePage:
    rows: list[DutyRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _conditions(wanted: OverdueFilter, as_of: dt.date) -> list[ColumnElement[bool] | TextClause]:
    """The filters as conditions on occurrences; each one that names a body, unit, kind or plan is a subquery
    on its small table, so counting needs no join."""
    found: list[ColumnElement[bool] | TextClause] = [
        OWED,  # the partial index's own words
        Occurrence.due_on <= as_of - dt.timedelta(days=max(1, wanted.min_days)),
    ]
    if wanted.plan_code:
        found.append(Occurrence.plan_id.in_(select(Plan.id).where(Plan.code == wanted.plan_code)))
    if wanted.body_code:
        found.append(Occurrence.body_id.in_(select(Body.id).where(Body.code == wanted.body_code)))
    if wanted.unit_code:
        found.append(Occurrence.unit_id.in_(select(Unit.id).where(Unit.code == wanted.unit_code)))
    if wanted.kind:
        found.append(Occurrence.duty_id.in_(select(Duty.id).where(Duty.kind == wanted.kind)))
    if wanted.step:
        found.append(
            exists().where(
                OutboxMessage.occurrence_id == Occurrence.id,
                OutboxMessage.step == wanted.step,
                OutboxMessage.sent_at.is_not(None),
            )
        )
    return found


def _query(conditions: list[ColumnElement[bool] | TextClause]) -> Found:
    return (
        select(Occurrence, Body, Duty, Unit, Plan.code)
        .join(Body, Occurrence.body_id == Body.id)
        .join(Duty, Occurrence.duty_id == Duty.id)
        .join(Plan, Occurrence.plan_id == Plan.id)
        .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        .where(*conditions)
    )


def _ordered(query: Found, sort: str) -> Found:
    if sort == "-due":
        return query.order_by(Occurrence.due_on.desc(), Occurrence.id.desc())
    if sort == "body":
        return query.order_by(Body.order, Unit.order, Occurrence.due_on, Occurrence.id)
    return query.order_by(Occurrence.due_on, Occurrence.id)


def _past(
    session: Session, wanted: OverdueFilter, *, as_of: dt.date, calendar: WorkCalendar, due_soon_workdays: int
) -> list[DutyRow]:
    """A day gone by: statuses rebuilt from the audit trail, then the same filters."""
    rows = list_duties(
        session,
        as_of=as_of,
        calendar=calendar,
        due_soon_workdays=due_soon_workdays,
        plan_code=wanted.plan_code,
        body_code=wanted.body_code,
        unit_code=wanted.unit_code,
        category=Category.OVERDUE,
        with_notices=True,
    )
    rows = [
        r
        for r in rows
        if (not wanted.kind or r.kind == wanted.kind)
        and -r.days_left >= wanted.min_days
        and (not wanted.step or (r.told_step or "") >= wanted.step)
    ]
    if wanted.sort == "-due":
        return sorted(rows, key=lambda r: (r.due_on, r.occurrence_id), reverse=True)
    if wanted.sort == "body":
        return rows  # list_duties gives them in the plan's order of bodies and units, then by due date
    return sorted(rows, key=lambda r: (r.due_on, r.occurrence_id))


def overdue_page(
    session: Session,
    wanted: OverdueFilter,
    *,
    as_of: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    page: int = 1,
    per_page: int = 50,
) -> OverduePage:
    """One page of what is overdue on `as_of`; today or later is read from current statuses with the index."""
    page = max(1, page)
    if as_of < local_date(now):
        rows = _past(session, wanted, as_of=as_of, calendar=calendar, due_soon_workdays=due_soon_workdays)
        start = (page - 1) * per_page
        return OverduePage(rows[start : start + per_page], len(rows), page, per_page)
    conditions = _conditions(wanted, as_of)
    total = session.scalar(select(func.count(Occurrence.id)).where(*conditions)) or 0
    ordered = _ordered(_query(conditions), wanted.sort)
    found = session.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
    overdue = Category.OVERDUE.value
    rows = [
        row_of(
            occ,
            body=body,
            duty=duty,
            unit=unit,
            plan_code=plan_code,
            status=occ.status,
            category=overdue,
            as_of=as_of,
            submitted_on=None,
        )
        for occ, body, duty, unit, plan_code in found
    ]
    return OverduePage(with_notices_at(session, rows, end_of_local_day(as_of)), total, page, per_page)


def all_overdue(
    session: Session,
    wanted: OverdueFilter,
    *,
    as_of: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    batch: int = 1000,
) -> Iterator[DutyRow]:
    """Every overdue row, in batches (for the CSV export)."""
    page = 1
    while True:
        found = overdue_page(
            session,
            wanted,
            as_of=as_of,
            now=now,
            calendar=calendar,
            due_soon_workdays=due_soon_workdays,
            page=page,
            per_page=batch,
        )
        yield from found.rows
        if page >= found.pages:
            return
        page += 1
