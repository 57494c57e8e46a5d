"""The overdue list with the office's filters, sorting and paging; read straight from current statuses when it can."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, TextClause, case, exists, func, null, select
from sqlalchemy.orm import Session

from models.duty import OWED, Duty, Occurrence
from models.outbox import OutboxMessage
from models.plan import Body, Plan, Unit
from tasks.calendar.clock import end_of_local_day, local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.as_of import owed_then, status_then, unchanged_since
from tasks.duties.listing import DutyRow, with_notices_at
from tasks.duties.notices import told_by
from tasks.duties.overdue_rows import Names, named_rows, occurrence_query, overdue_query, overdue_rows

SORTS = ("due", "-due", "body")
Found = Select[*tuple[Any, ...]]


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


def _conditions(
    wanted: OverdueFilter, as_of: dt.date, *, past: bool
) -> tuple[list[ColumnElement[bool] | TextClause], Subquery | None]:
    """The filters as conditions on occurrences; each one that names a body, unit, kind or plan is a subquery
    on its small table, so counting needs no join. A day gone by is the set of ids owed then (`as_of`), to join
    to (a join, not `IN`: PostgreSQL then plans it as one), with those filters inside."""
    moment = end_of_local_day(as_of)
    due_by = as_of - dt.timedelta(days=max(1, wanted.min_days))
    found: list[ColumnElement[bool] | TextClause] = []
    if wanted.plan_code:
        found.append(Occurrence.plan_id.in_(select(Plan.id).where(Plan.code == wanted.plan_code)))
    if wanted.body_code:
        found.append(Occurrence.body_id.in_(select(Body.id).where(Body.code == wanted.body_code)))
    if wanted.unit_code:
        found.append(Occurrence.unit_id.in_(select(Unit.id).where(Unit.code == wanted.unit_code)))
    if wanted.kind:
        found.append(Occurrence.duty_id.in_(select(Duty.id).where(Duty.kind == wanted.kind)))
    owed = None
    if past:
        owed = owed_then(moment, due_by=due_by, narrowed=found).subquery("owed_then")
        found = []
    else:
        found = [OWED, Occurrence.due_on <= due_by, *found]  # OWED: the partial index's own words
    if wanted.step and past:  # the rung reached by that day
        found.append(
            exists().where(
                OutboxMessage.occurrence_id == Occurrence.id,
                OutboxMessage.step.like("escalate-%"),
                OutboxMessage.step >= wanted.step,
                OutboxMessage.sent_at.is_not(None),
                OutboxMessage.sent_at <= moment,
            )
        )
    elif wanted.step:
        found.append(
            exists().where(
                OutboxMessage.occurrence_id == Occurrence.id,
                OutboxMessage.step == wanted.step,
                OutboxMessage.sent_at.is_not(None),
            )
        )
    return found, owed


def _ordered(query: Found, sort: str, *, past: bool, joined: bool, owed: Subquery | None) -> Found:
    due, key = (owed.c.due_on, owed.c.id) if owed is not None else (Occurrence.due_on, Occurrence.id)
    if sort == "-due":
        return query.order_by(due.desc(), key.desc())
    if sort == "body" and not joined:  # the order needs the names' tables
        query = (
            query.join(Body, Occurrence.body_id == Body.id)
            .join(Duty, Occurrence.duty_id == Duty.id)
            .join(Plan, Occurrence.plan_id == Plan.id)
            .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        )
    if sort == "body" and past:  # the order the day-by-day listing has always given a day gone by
        return query.order_by(Plan.code, Body.order, Unit.order, Occurrence.due_on, Duty.order, Occurrence.key)
    if sort == "body":
        return query.order_by(Body.order, Unit.order, Occurrence.due_on, Occurrence.id)
    return query.order_by(due, key)


def _selection(
    wanted: OverdueFilter, *, as_of: dt.date, now: dt.datetime, joined: bool = True
) -> tuple[Select[int], Found]:
    """The count and the ordered query of what was overdue on `as_of`: from current statuses for today or
    later, else from the statuses then, both computed by the database. `joined`: with the names of what each row
    names (a page), or only the occurrences' own columns (the whole list, named from `Names`)."""
    past = as_of < local_date(now)
    moment = end_of_local_day(as_of)
    status = status_then(moment) if past else Occurrence.status
    # A day gone by has always shown the submission of one returned and unchanged since (today's list, none).
    submitted = case((unchanged_since(moment), Occurrence.submitted_at), else_=null()) if past else null()
    conditions, owed = _conditions(wanted, as_of, past=past)
    build = overdue_query if joined else occurrence_query
    query = build(conditions, status.label("status_then"), submitted.label("submitted_then"))
    count = select(func.count(Occurrence.id)).where(*conditions)
    if owed is not None:
        query = query.join(owed, owed.c.id == Occurrence.id)
        count = count.join(owed, owed.c.id == Occurrence.id)
    return count, _ordered(query, wanted.sort, past=past, joined=joined, owed=owed)


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
    """One page of what is overdue on `as_of`. (`calendar` and `due_soon_workdays` play no part in what is
    overdue; they stay for the callers that pass them.)"""
    page = max(1, page)
    count, ordered = _selection(wanted, as_of=as_of, now=now)
    total = session.scalar(count) or 0
    found = session.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
    rows = overdue_rows(found, as_of)
    return OverduePage(with_notices_at(session, rows, end_of_local_day(as_of)), total, page, per_page)


def all_overdue(
    session: Session,
    wanted: OverdueFilter,
    *,
    as_of: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    batch: int = 2000,
) -> Iterator[DutyRow]:
    """Every overdue row, read in one ordered pass and told in batches (for the CSV export)."""
    _, ordered = _selection(wanted, as_of=as_of, now=now, joined=False)
    moment, names = end_of_local_day(as_of), Names.read(session)
    # Through the session's connection, not the ORM: plain rows, streamed `batch` at a time.
    for part in session.connection().execute(ordered.execution_options(yield_per=batch)).partitions():
        told = told_by(session, occurrence_ids=[r[0] for r in part], moment=moment)
        yield from named_rows(part, as_of, names, told)
