"""The duty table for a date: every occurrence with its due date, status and timing category then."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

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


# What a row shows, read as plain columns: no ORM objects, no JSON columns decoded (as `overdue_rows` reads them).
Lead = aliased(Body, name="lead_body")  # the body that leads the duty and collects an input
ROW_COLUMNS = (
    Occurrence.id,
    Occurrence.key,
    Plan.code,
    Body.code,
    Body.name,
    Body.short_name,
    Body.order,
    Unit.code,
    Unit.name,
    Duty.code,
    Duty.text,
    Duty.role,
    Duty.kind,
    Occurrence.role,
    Occurrence.period,
    Occurrence.period_start,
    Occurrence.period_end,
    Occurrence.due_on,
    Occurrence.status,
    Occurrence.submitted_at,
    Lead.name,
    Lead.short_name,
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
        select(*ROW_COLUMNS)
        .join(Body, Occurrence.body_id == Body.id)
        .join(Duty, Occurrence.duty_id == Duty.id)
        .join(Lead, Duty.body_id == Lead.id)
        .join(Plan, Occurrence.plan_id == Plan.id)
        .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        .order_by(Plan.code, Body.order, Unit.order, Occurrence.due_on, Duty.order, Occurrence.key)
    )
    if plan_code:
        query = query.where(Plan.code == plan_code)
    if body_code:
        query = query.where(Body.code == body_code)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    found = session.execute(query).all()
    moment = end_of_local_day(as_of)
    current = {r[0]: StatusAt(Status(r[18]), r[19]) for r in found}
    states = status_at(session, occurrence_ids=list(current), current=current, moment=moment)
    due_soon_from: dict[dt.date, dt.date] = {}  # many occurrences share a deadline
    rows = []
    for (
        occ_id, key, plan, body_code_, body_name, body_short, body_order, unit_code_, unit_name,
        duty_code, duty_text, duty_role, kind, role, period, start, end, due_on, _, _, lead_name, lead_short,
    ) in found:  # fmt: skip
        state = states[occ_id]
        submitted_on = local_date(state.submitted_at) if state.submitted_at else None
        if due_on not in due_soon_from:
            due_soon_from[due_on] = calendar.add_workdays(due_on, -due_soon_workdays)
        cat = categorize(
            status=state.status,
            submitted_on=submitted_on,
            due_on=due_on,
            period_start=start,
            as_of=as_of,
            due_soon_from=due_soon_from[due_on],
        )
        if category is not None and cat is not category:
            continue
        live = start <= as_of and (due_on >= as_of or cat is Category.OVERDUE)
        if category is None and not include_all and not live:
            continue
        lead = role == "input"  # the duty's own body collects the supporters' input
        rows.append(
            DutyRow(
                occurrence_id=occ_id,
                key=key,
                plan=plan,
                body_code=body_code_,
                body_name=body_name,
                body_short_name=body_short,
                body_order=body_order,
                unit_code=unit_code_,
                unit_name=unit_name,
                duty_code=duty_code,
                duty_text=duty_text,
                duty_role=duty_role,
                kind=kind,
                role=role,
                period=period,
                period_start=start,
                period_end=end,
                due_on=due_on,
                status=state.status.value,
                category=cat.value,
                days_left=(due_on - as_of).days,
                submitted_on=submitted_on,
                lead_body_name=lead_name if lead else None,
                lead_body_short_name=lead_short if lead else None,
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
