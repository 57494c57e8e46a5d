"""What awaits the steering office's decision: submissions neither accepted nor returned, oldest first, and
deciding many at once (each one changed and audited on its own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from models.access import Person
from models.duty import Occurrence, StatusEvent
from models.plan import Plan
from tasks.desk.duties import act
from tasks.duties.actions import MAX_ID
from tasks.duties.statuses import Action, Status, TransitionError


@dataclass(frozen=True)
class Awaiting:
    occurrence_id: int
    key: str
    body: str
    unit: str | None
    duty_text: str
    period: str
    due_on: dt.date
    submitted_at: dt.datetime
    submitted_by: str
    note: str | None
    late: bool  # submitted after its deadline

    def as_json(self) -> dict[str, object]:
        return {
            "occurrence_id": self.occurrence_id,
            "key": self.key,
            "body": self.body,
            "unit": self.unit,
            "duty": self.duty_text,
            "period": self.period,
            "due_on": self.due_on.isoformat(),
            "submitted_at": self.submitted_at.isoformat(),
            "submitted_by": self.submitted_by,
            "note": self.note,
            "late": self.late,
        }


def awaiting(session: Session, *, plan_code: str | None = None, limit: int = 1000) -> list[Awaiting]:
    """Submissions awaiting a decision, the longest waiting first."""
    latest = (
        select(StatusEvent.occurrence_id, func.max(StatusEvent.id).label("event_id"))
        .where(StatusEvent.to_status == Status.SUBMITTED.value)
        .group_by(StatusEvent.occurrence_id)
        .subquery()
    )
    query = (
        select(Occurrence, StatusEvent)
        .join(latest, latest.c.occurrence_id == Occurrence.id)
        .join(StatusEvent, StatusEvent.id == latest.c.event_id)
        .options(joinedload(Occurrence.duty), joinedload(Occurrence.body), joinedload(Occurrence.unit))
        .where(Occurrence.status == Status.SUBMITTED.value)
        .order_by(StatusEvent.at, Occurrence.id)
        .limit(limit)
    )
    if plan_code:
        query = query.join(Plan, Plan.id == Occurrence.plan_id).where(Plan.code == plan_code)
    rows = []
    for occurrence, event in session.execute(query).unique():
        rows.append(
            Awaiting(
                occurrence_id=occurrence.id,
                key=occurrence.key,
                body=occurrence.body.short_name or occurrence.body.name,
                unit=occurrence.unit.name if occurrence.unit else None,
                duty_text=occurrence.duty.text,
                period=occurrence.period,
                due_on=occurrence.due_on,
                submitted_at=event.at,
                submitted_by=event.actor,
                note=event.note,
                late=event.at.date() > occurrence.due_on,
            )
        )
    return rows


@dataclass
class Decided:
    done: list[str]  # keys
    refused: list[tuple[str, TransitionError]]  # (key or id, why)


def decide_many(
    session: Session, *, occurrence_ids: list[int], action: Action, person: Person, now: dt.datetime, note: str | None
) -> Decided:
    """Accept or return each submission on its own: one status event and one audit entry each; one that is no
    longer awaiting (decided meanwhile) is refused and the others still go."""
    result = Decided([], [])
    for occurrence_id in dict.fromkeys(occurrence_ids):
        occurrence = session.get(Occurrence, occurrence_id) if 0 < occurrence_id <= MAX_ID else None
        if occurrence is None:
            result.refused.append((str(occurrence_id), TransitionError("occurrence.not_found", ref=str(occurrence_id))))
            continue
        try:
            with session.begin_nested():
                act(session, occurrence=occurrence, action=action, person=person, now=now, note=note, max_bytes=0)
            result.done.append(occurrence.key)
        except TransitionError as error:
            result.refused.append((occurrence.key, error))
    return result
