"""What people do to duties: find an occurrence, change its status, record funding."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models.duty import Duty, FundingRecord, Occurrence, StatusEvent
from models.plan import Plan
from tasks.duties.statuses import Action, Status, TransitionError, transition

T = TypeVar("T")
MAX_ID = 2**63 - 1  # the largest id a database column holds; a larger number names nothing


def the_one(session: Session, query: Select[T], *, missing: str, ambiguous: str, **params: str) -> T:
    """The single row `query` finds; none, or one in each of several plans, is explained."""
    found = session.scalars(query.limit(2)).all()
    if not found:
        raise TransitionError(missing, **params)
    if len(found) > 1:
        raise TransitionError(ambiguous, **params)
    return found[0]


def find_occurrence(session: Session, *, ref: str, plan_code: str | None = None) -> Occurrence:
    """An occurrence by its number or its key (`ldtbxh-1/2023-H1/ldtbxh`)."""
    query = select(Occurrence)
    ref = ref.strip()
    if ref.isascii() and ref.isdigit():
        if int(ref) > MAX_ID:
            raise TransitionError("occurrence.not_found", ref=ref[:40])
        query = query.where(Occurrence.id == int(ref))
    else:
        query = query.where(Occurrence.key == ref)
    if plan_code:
        query = query.join(Plan, Occurrence.plan_id == Plan.id).where(Plan.code == plan_code)
    return the_one(session, query, missing="occurrence.not_found", ambiguous="occurrence.ambiguous", ref=ref)


def find_duty(session: Session, *, code: str, plan_code: str | None = None) -> Duty:
    query = select(Duty).where(Duty.code == code)
    if plan_code:
        query = query.join(Plan, Duty.plan_id == Plan.id).where(Plan.code == plan_code)
    return the_one(session, query, missing="duty.not_found", ambiguous="duty.ambiguous", code=code)


def act_on_occurrence(
    session: Session,
    *,
    ref: str,
    action: Action,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
    plan_code: str | None = None,
) -> tuple[Occurrence, StatusEvent]:
    occurrence = find_occurrence(session, ref=ref, plan_code=plan_code)
    event = transition(session, occurrence=occurrence, action=action, actor=actor, now=now, note=note)
    return occurrence, event


def record_funding(
    session: Session,
    *,
    duty_code: str,
    amount: int,
    actor: str,
    now: dt.datetime,
    reference: str | None = None,
    note: str | None = None,
    plan_code: str | None = None,
) -> tuple[FundingRecord, list[Occurrence]]:
    """Record funds for a conditional duty; its occurrences waiting for funds become open."""
    if amount <= 0:
        raise TransitionError("funding.amount_positive", amount=amount)
    if not actor.strip():
        raise TransitionError("status.actor_required")
    duty = find_duty(session, code=duty_code, plan_code=plan_code)
    if duty.condition != "funding":
        raise TransitionError("funding.not_conditional", code=duty.code)
    record = FundingRecord(
        duty_id=duty.id,
        amount=amount,
        reference=reference,
        recorded_at=now,
        recorded_by=actor.strip(),
        note=note,
    )
    session.add(record)
    waiting = session.scalars(
        select(Occurrence)
        .where(Occurrence.duty_id == duty.id, Occurrence.status == Status.NOT_APPLICABLE.value)
        .order_by(Occurrence.id)
    ).all()
    for occurrence in waiting:
        transition(session, occurrence=occurrence, action=Action.FUND, actor=actor, now=now, note=note or reference)
    session.flush()
    return record, list(waiting)
