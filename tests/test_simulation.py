"""A simulated year on the seed plan: every due step once per occurrence and recipient, none after submission."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Body, Contact, Occurrence, OutboxMessage, Plan, StatusEvent
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import CLOSED_FOR_REMINDERS
from tasks.plans.loading import LoadSummary
from tasks.reminders.policy import as_policy, effective_ladder, ladder_steps
from tasks.reminders.simulate import SWEEP_AT

from .chasing_support import simulated_year, status_at

VN = dt.timezone(dt.timedelta(hours=7))
START, END = dt.date(2023, 2, 24), dt.date(2024, 1, 31)


def test_a_simulated_year_sends_what_the_policy_implies_exactly_once(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    calendar = WorkCalendar()
    result = simulated_year(engine, start=START, end=END, submit_rate=0.15, seed=11)
    assert result.sweeps > 200 and result.submitted > 100 and result.failed == 0

    plan = db.scalars(select(Plan)).one()
    policy = as_policy(plan.policy)
    contacts = {c.id: c for c in db.scalars(select(Contact))}
    ladder_messages = list(db.scalars(select(OutboxMessage).where(OutboxMessage.occurrence_id.is_not(None))))
    sent = Counter((m.occurrence_id, m.step, contacts[m.contact_id].code) for m in ladder_messages)
    assert all(n == 1 for n in sent.values())  # once per occurrence, step and recipient (nobody is returned here)
    assert all(m.status == "sent" for m in db.scalars(select(OutboxMessage)))

    expected: Counter[tuple[int, str]] = Counter()
    for occurrence in db.scalars(select(Occurrence)):
        events = sorted(occurrence.events, key=lambda e: e.id)
        initial = events[0].from_status if events else occurrence.status
        reminders, ladder = effective_ladder(
            policy,
            duty_code=occurrence.duty.code,
            duty_kind=occurrence.duty.kind,
            role=occurrence.role,
            authority=occurrence.body.authority,
        )
        live_on = occurrence.live_since.astimezone(VN).date() if occurrence.live_since else None
        steps = ladder_steps(
            due_on=occurrence.due_on, reminders=reminders, ladder=ladder, calendar=calendar, live_on=live_on
        )
        for step in steps:
            morning = dt.datetime.combine(step.on, SWEEP_AT, tzinfo=VN)
            if not START <= step.on <= END or status_at(initial, events, morning) in CLOSED_FOR_REMINDERS:
                continue
            expected[(occurrence.id, step.name)] += 1
    actual = Counter((occurrence_id, step) for occurrence_id, step, _ in sent)
    assert set(actual) == set(expected)  # the same (occurrence, step) pairs, no more, no fewer
    assert sum(actual.values()) > sum(expected.values())  # several recipients for some steps

    office = next(c.code for c in contacts.values() if c.role == "office")
    overdue_ordered = [
        o
        for o in db.scalars(
            select(Occurrence)
            .join(Body, Body.id == Occurrence.body_id)
            .where(Body.authority == "ordered", Occurrence.role == "own")
        )
        if (o.id, "escalate-2") in expected
    ]
    assert overdue_ordered
    assert all((o.id, "escalate-2", office) in sent for o in overdue_ordered)

    for message in db.scalars(select(OutboxMessage)):
        submitted = db.scalar(
            select(StatusEvent.at).where(
                StatusEvent.occurrence_id == message.occurrence_id,
                StatusEvent.to_status == "submitted",
                StatusEvent.at <= message.created_at,
            )
        )
        later_reopened = db.scalar(
            select(StatusEvent.at).where(
                StatusEvent.occurrence_id == message.occurrence_id,
                StatusEvent.to_status == "rejected",
                StatusEvent.at <= message.created_at,
            )
        )
        assert submitted is None or later_reopened is not None  # nothing after submission (unless sent back)
