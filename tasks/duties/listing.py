"""The duty table for a date: every occurrence with its due date, status and timing category then."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models.duty import Duty, Occurrence
from models.plan import Body, Plan, Unit
from tasks.calendar.clock import end_of_local_day, local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.notices import told_by
from tasks.duties.statuses import Category, Status, StatusAt, categorize, status_at


@dataclass(frozen=True)
class DutyRow:
    occurrence_id: int
    key: str
    plan: str
    body_code: str
    body_name: str
    body_short_name: str | None
    body_order: int
    unit_code: str | None
    unit_name: str | None
    duty_code: str
    duty_text: str
    duty_role: str
    kind: str
    role: str  # own, or input to another body's duty
    period: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    category: str
    days_left: int
    submitted_on: dt.date | None
    told_step: str | None = None  # the escalation rung reached by that day
    told_at: dt.datetime | None = None  # the last message sent by that day
    # For an input (role "input"): the body that leads the duty and collects it, whole and short.
    lead_body_name: str | None = None
    lead_body_short_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("period_start", "period_end", "due_on", "submitted_on", "told_at"):
            data[name] = data[name].isoformat() if data[name] else None
        return data


def row_of(
    occ: Occurrence,
    *,
    body: Body,
    duty: Duty,
    unit: Unit | None,
    plan_code: str,
    status: str,
    category: str,
    as_of: dt.date,
    submitted_on: dt.date | None,
) -> DutyRow:
    """The table's line for one occurrence, as it stood on `as_of`."""
    lead = duty.body if occ.role == "input" else None  # the duty's own body collects the supporters' input
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
        status=status,
        category=category,
        days_left=(occ.due_on - as_of).days,
        submitted_on=submitted_on,
        lead_body_name=lead.name if lead else None,
        lead_body_short_name=lead.short_name if lead else None,
    )


def list_duties(
    session: Session,
    *,
    as_of: dt.date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    plan_code: str | None = None,
    body_code: str | None = None,
    unit_code: str | None = None,
    category: Category | None = None,
    include_all: bool = False,
    with_notices: bool = False,
) -> list[DutyRow]:
    """Occurrences as they stood at the end of `as_of` (local time).

    By default, what is live that day: periods begun whose deadline has not passed, and every
    overdue one. A category filter, or `include_all`, looks at every occurrence instead.
    """
    query = (
        select(Occurrence)
        .join(Body, Occurrence.body_id == Body.id)
        .join(Duty, Occurrence.duty_id == Duty.id)
        .join(Plan, Occurrence.plan_id == Plan.id)
        .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        .options(
            joinedload(Occurrence.body), joinedload(Occurrence.duty).joinedload(Duty.body), joinedload(Occurrence.unit)
        )
        .order_by(Plan.code, Body.order, Unit.order, Occurrence.due_on, Duty.order, Occurrence.key)
    )
    if plan_code:
        query = query.where(Plan.code == plan_code)
    if body_code:
        query = query.where(Body.code == body_code)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    occurrences = session.scalars(query).unique().all()
    moment = end_of_local_day(as_of)
    current = {o.id: StatusAt(Status(o.status), o.submitted_at) for o in occurrences}
    states = status_at(session, occurrence_ids=list(current), current=current, moment=moment)
    plans = {p.id: p.code for p in session.scalars(select(Plan))}
    rows = []
    for occ in occurrences:
        state = states[occ.id]
        submitted_on = local_date(state.submitted_at) if state.submitted_at else None
        cat = categorize(
            status=state.status,
            submitted_on=submitted_on,
            due_on=occ.due_on,
            period_start=occ.period_start,
            as_of=as_of,
            due_soon_from=calendar.add_workdays(occ.due_on, -due_soon_workdays),
        )
        if category is not None and cat is not category:
            continue
        live = occ.period_start <= as_of and (occ.due_on >= as_of or cat is Category.OVERDUE)
        if category is None and not include_all and not live:
            continue
        rows.append(
            row_of(
                occ,
                body=occ.body,
                duty=occ.duty,
                unit=occ.unit,
                plan_code=plans[occ.plan_id],
                status=state.status.value,
                category=cat.value,
                as_of=as_of,
                submitted_on=submitted_on,
            )
        )
    return with_notices_at(session, rows, moment) if with_notices else rows


def with_notices_at(session: Session, rows: list[DutyRow], moment: dt.datetime) -> list[DutyRow]:
    """The rows with who had been told by `moment`: the escalation rung reached and the last message sent."""
    told = told_by(session, occurrence_ids=[r.occurrence_id for r in rows], moment=moment)
    return [
        replace(r, told_step=told[r.occurrence_id].escalation, told_at=told[r.occurrence_id].last_at)
        if r.occurrence_id in told
        else r
        for r in rows
    ]


@dataclass(frozen=True)
class BodySummary:
    body_code: str
    body_name: str
    body_order: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarize_by_body(rows: list[DutyRow]) -> list[BodySummary]:
    """One line per body, in the plan's order: how many of its occurrences fall in each category."""
    grouped: dict[str, list[DutyRow]] = {}
    for row in rows:
        grouped.setdefault(row.body_code, []).append(row)
    summaries = []
    for code, body_rows in grouped.items():
        counts = {c.value: 0 for c in Category}
        for row in body_rows:
            counts[row.category] += 1
        first = body_rows[0]
        summaries.append(BodySummary(code, first.body_short_name or first.body_name, first.body_order, counts))
    return sorted(summaries, key=lambda s: s.body_order)
