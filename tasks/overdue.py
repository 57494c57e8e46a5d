"""The overdue list with the office's filters, sorting and paging; read straight from current statuses when it can."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from models.duty import Duty, Occurrence
from models.outbox import OutboxMessage
from models.plan import Body, Plan, Unit
from tasks.clock import end_of_local_day, local_date
from tasks.duty_listing import DutyRow, list_duties
from tasks.notices import told_by
from tasks.statuses import Category, Status
from tasks.workdays import WorkCalendar

OPEN_STATUSES = (Status.OPEN.value, Status.REJECTED.value)
SORTS = ("due", "-due", "body")
Found = Select[Occurrence, Body, Duty, Unit, str]


@dataclass(frozen=True)
class OverdueFilter:
    plan_code: str | None = None
    body_id: int | None = None  # the access scope of a body's own people
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


def _query(wanted: OverdueFilter, as_of: dt.date) -> Found:
    query = (
        select(Occurrence, Body, Duty, Unit, Plan.code)
        .join(Body, Occurrence.body_id == Body.id)
        .join(Duty, Occurrence.duty_id == Duty.id)
        .join(Plan, Occurrence.plan_id == Plan.id)
        .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        .where(
            Occurrence.status.in_(OPEN_STATUSES),
            Occurrence.due_on <= as_of - dt.timedelta(days=max(1, wanted.min_days)),
        )
    )
    if wanted.plan_code:
        query = query.where(Plan.code == wanted.plan_code)
    if wanted.body_id is not None:
        query = query.where(Occurrence.body_id == wanted.body_id)
    if wanted.body_code:
        query = query.where(Body.code == wanted.body_code)
    if wanted.unit_code:
        query = query.where(Unit.code == wanted.unit_code)
    if wanted.kind:
        query = query.where(Duty.kind == wanted.kind)
    if wanted.step:
        query = query.where(
            exists().where(
                OutboxMessage.occurrence_id == Occurrence.id,
                OutboxMessage.step == wanted.step,
                OutboxMessage.sent_at.is_not(None),
            )
        )
    return query


def _ordered(query: Found, sort: str) -> Found:
    if sort == "-due":
        return query.order_by(Occurrence.due_on.desc(), Occurrence.id.desc())
    if sort == "body":
        return query.order_by(Body.order, Unit.order, Occurrence.due_on, Occurrence.id)
    return query.order_by(Occurrence.due_on, Occurrence.id)


def _row(occ: Occurrence, body: Body, duty: Duty, unit: Unit | None, plan_code: str, as_of: dt.date) -> DutyRow:
    return DutyRow(
        occurrence_id=occ.id,
        key=occ.key,
        plan=plan_code,
        body_code=body.code,
        body_name=body.name,
        body_short_name=body.short_name,
        body_order=body.order,
        unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        duty_code=duty.code,
        duty_text=duty.text,
        duty_role=duty.role,
        kind=duty.kind,
        role=occ.role,
        period=occ.period,
        period_start=occ.period_start,
        period_end=occ.period_end,
        due_on=occ.due_on,
        status=occ.status,
        category=Category.OVERDUE.value,
        days_left=(occ.due_on - as_of).days,
        submitted_on=None,
    )


def _with_notices(session: Session, rows: list[DutyRow], as_of: dt.date) -> list[DutyRow]:
    told = told_by(session, occurrence_ids=[r.occurrence_id for r in rows], moment=end_of_local_day(as_of))
    return [
        replace(r, told_step=told[r.occurrence_id].escalation, told_at=told[r.occurrence_id].last_at)
        if r.occurrence_id in told
        else r
        for r in rows
    ]


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
    ids: set[int] = set()
    if wanted.body_id is not None:
        ids = set(session.scalars(select(Occurrence.id).where(Occurrence.body_id == wanted.body_id)))
    rows = [
        r
        for r in rows
        if (wanted.body_id is None or r.occurrence_id in ids)
        and (not wanted.kind or r.kind == wanted.kind)
        and -r.days_left >= wanted.min_days
        and (not wanted.step or (r.told_step or "") >= wanted.step)
    ]
    if wanted.sort == "-due":
        return sorted(rows, key=lambda r: (r.due_on, r.occurrence_id), reverse=True)
    if wanted.sort == "body":
        return sorted(rows, key=lambda r: (r.body_order, r.unit_code or "", r.due_on, r.occurrence_id))
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
    query = _query(wanted, as_of)
    total = session.scalar(select(func.count()).select_from(query.with_only_columns(Occurrence.id).subquery())) or 0
    found = session.execute(_ordered(query, wanted.sort).limit(per_page).offset((page - 1) * per_page)).all()
    rows = [_row(occ, body, duty, unit, plan_code, as_of) for occ, body, duty, unit, plan_code in found]
    return OverduePage(_with_notices(session, rows, as_of), total, page, per_page)


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
