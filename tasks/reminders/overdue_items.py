"""The overdue items a digest lists, and what has been said of them: mentions, the day each was last named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models.duty import Duty, Occurrence, owed_of_plan
from models.outbox import OutboxMention, OutboxMessage
from models.plan import Body, Plan, Unit
from notifications.outbox import FAILED
from tasks.calendar.clock import local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.reminders.due_steps import live_day, queued_steps

OFFICE_DIGEST = "digest-office"


@dataclass(frozen=True)
class OverdueItem:
    occurrence_id: int
    body_id: int
    unit_id: int | None
    body_name: str
    owner: str  # the commune for a commune's occurrence, else the body
    duty_code: str
    duty_text: str
    period: str
    due_on: dt.date
    days_late: int  # working days
    rung: int  # the highest escalation rung queued in the current round, 0 for none
    late_since: dt.date  # the first working day it was overdue (and owed)
    last_named: dt.date  # the last day a reminder, rung or body digest named it; else late_since

    def context(self, dashboard_url: str) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "duty_code": self.duty_code,
            "duty_text": self.duty_text,
            "period": self.period,
            "due_on": f"{self.due_on:%d/%m/%Y}",
            "days_late": self.days_late,
            "rung": self.rung,
            "link": f"{dashboard_url.rstrip('/')}/occurrences/{self.occurrence_id}",
        }


def overdue_items(
    session: Session, *, plan: Plan, now: dt.datetime, calendar: WorkCalendar, body_code: str | None = None
) -> list[OverdueItem]:
    """Every occurrence of the plan still owed after its deadline, longest overdue first."""
    today = local_date(now)
    query = (
        select(Occurrence, Body.name, Body.short_name, Unit.name, Duty.code, Duty.text)
        .join(Body, Occurrence.body_id == Body.id)
        .join(Duty, Occurrence.duty_id == Duty.id)
        .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        .where(*owed_of_plan(plan.id), Occurrence.due_on < today)
        .order_by(Occurrence.due_on, Occurrence.id)
    )
    if body_code:
        query = query.where(Body.code == body_code)
    rows = session.execute(query).all()
    ids = [row[0].id for row in rows]
    named = last_named(session, ids, now=now)
    queued = queued_steps(session, ids)
    items = []
    for occ, body_name, short_name, unit_name, duty_code, duty_text in rows:
        first_late = calendar.on_or_after(occ.due_on + dt.timedelta(days=1))
        late_since = max(first_late, live_day(occ.live_since, today) or first_late)
        rungs = [
            int(step.split("-")[1])
            for round_, step in queued.get(occ.id, ())
            if round_ == occ.live_round and step.startswith("escalate-")
        ]
        items.append(
            OverdueItem(
                occurrence_id=occ.id,
                body_id=occ.body_id,
                unit_id=occ.unit_id,
                body_name=short_name or body_name,
                owner=unit_name or short_name or body_name,
                duty_code=duty_code,
                duty_text=duty_text,
                period=occ.period,
                due_on=occ.due_on,
                days_late=calendar.workdays_between(occ.due_on, today),
                rung=max(rungs, default=0),
                late_since=late_since,
                last_named=named.get(occ.id) or late_since,
            )
        )
    return items


def last_named(session: Session, occurrence_ids: Sequence[int], *, now: dt.datetime) -> dict[int, dt.date]:
    """For each occurrence, the (local) day of the last message that named it by `now` and did not fail. The
    office's digest does not count: it names the oldest items to the office, and must not keep their own
    people from hearing of them."""
    found: dict[int, dt.date] = {}
    for start in range(0, len(occurrence_ids), 900):
        rows = session.execute(
            select(OutboxMention.occurrence_id, func.max(OutboxMessage.created_at))
            .join(OutboxMessage, OutboxMessage.id == OutboxMention.outbox_id)
            .where(
                OutboxMention.occurrence_id.in_(occurrence_ids[start : start + 900]),
                OutboxMessage.created_at <= now,
                OutboxMessage.status != FAILED,
                OutboxMessage.step != OFFICE_DIGEST,
            )
            .group_by(OutboxMention.occurrence_id)
        )
        found.update({occ_id: local_date(at) for occ_id, at in rows})
    return found


def mention(session: Session, pairs: Sequence[tuple[int, int]]) -> None:
    """Record that each outbox message named each occurrence: (outbox id, occurrence id)."""
    rows = [{"outbox_id": outbox_id, "occurrence_id": occ_id} for outbox_id, occ_id in pairs]
    for start in range(0, len(rows), 500):
        session.execute(insert(OutboxMention), rows[start : start + 500])
