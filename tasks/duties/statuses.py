"""Occurrence statuses: the allowed transitions, the audit trail, and timing categories as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from models.duty import Occurrence, StatusEvent


class Status(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WAIVED = "waived"
    SUSPENDED = "suspended"
    NOT_APPLICABLE = "not_applicable"


class Action(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REJECT = "reject"
    WAIVE = "waive"
    SUSPEND = "suspend"
    RESUME = "resume"
    FUND = "fund"  # funding was recorded for a duty that waited for it


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.OPEN, Action.SUBMIT): Status.SUBMITTED,
    (Status.REJECTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.ACCEPT): Status.ACCEPTED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    (Status.OPEN, Action.WAIVE): Status.WAIVED,
    (Status.REJECTED, Action.WAIVE): Status.WAIVED,
    (Status.SUSPENDED, Action.WAIVE): Status.WAIVED,
    (Status.NOT_APPLICABLE, Action.WAIVE): Status.WAIVED,
    (Status.OPEN, Action.SUSPEND): Status.SUSPENDED,
    (Status.REJECTED, Action.SUSPEND): Status.SUSPENDED,
    (Status.SUSPENDED, Action.RESUME): Status.OPEN,
    (Status.NOT_APPLICABLE, Action.FUND): Status.OPEN,
}
COMPLETED = frozenset({Status.SUBMITTED, Status.ACCEPTED})
OWED_STATUSES = frozenset({Status.OPEN, Status.REJECTED})  # models.duty.OWED says the same in SQL
# The ladder of reminders stops for these (issue: submitted, accepted, waived, suspended, not applicable).
CLOSED_FOR_REMINDERS = frozenset({*COMPLETED, Status.WAIVED, Status.SUSPENDED, Status.NOT_APPLICABLE})


class Category(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    WAIVED = "waived"
    SUSPENDED = "suspended"
    NOT_APPLICABLE = "not_applicable"


class TransitionError(Exception):
    """A refused change: `code` names the message, `params` fill it. Nothing was changed."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def allowed_actions(status: Status) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source is status]


def transition(
    session: Session,
    *,
    occurrence: Occurrence,
    action: Action,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
) -> StatusEvent:
    """Move `occurrence` by `action`, writing the audit event; refuse what the table does not allow.

    The update is conditional on the status read, so two people acting at once cannot both win.
    """
    if not actor.strip():
        raise TransitionError("status.actor_required")
    source = Status(occurrence.status)
    target = TRANSITIONS.get((source, action))
    if target is None:
        raise TransitionError(
            "status.illegal",
            action=action.value,
            status=source.value,
            allowed=", ".join(a.value for a in allowed_actions(source)) or "-",
        )
    values: dict[str, Any] = {
        "status": target.value,
        "status_changed_at": now,
        # The latest moment of the trail, even when an event is recorded with an earlier time than one before it.
        "last_event_at": case(
            (Occurrence.last_event_at.is_(None) | (Occurrence.last_event_at < now), now),
            else_=Occurrence.last_event_at,
        ),
    }
    if target is Status.SUBMITTED:
        values["submitted_at"] = now
    if target in OWED_STATUSES:  # owed again (funded, resumed, returned): the ladder starts afresh from now
        values["live_since"], values["live_round"] = now, Occurrence.live_round + 1
    result = session.execute(
        update(Occurrence)
        .where(Occurrence.id == occurrence.id, Occurrence.status == source.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise TransitionError("status.conflict", key=occurrence.key)
    event = StatusEvent(
        occurrence_id=occurrence.id,
        at=now,
        actor=actor.strip(),
        from_status=source.value,
        to_status=target.value,
        note=note,
    )
    session.add(event)
    session.flush()
    session.refresh(occurrence)
    return event


@dataclass(frozen=True)
class StatusAt:
    status: Status
    submitted_at: dt.datetime | None


def status_at(
    session: Session, *, occurrence_ids: list[int], current: dict[int, StatusAt], moment: dt.datetime
) -> dict[int, StatusAt]:
    """Each occurrence's status at `moment`, rolled back from now through the events after it."""
    result = dict(current)
    if not occurrence_ids:
        return result
    later: dict[int, str] = {}  # the status before the earliest later event
    for chunk_start in range(0, len(occurrence_ids), 900):
        chunk = occurrence_ids[chunk_start : chunk_start + 900]
        rows = session.execute(
            select(StatusEvent.occurrence_id, StatusEvent.from_status)
            .where(StatusEvent.occurrence_id.in_(chunk), StatusEvent.at > moment)
            .order_by(StatusEvent.occurrence_id, StatusEvent.id.desc())
        )
        for occurrence_id, from_status in rows:
            later[occurrence_id] = from_status
    # A submission made after the moment gives way to the last one made by then, read for all of them at once.
    resubmitted = [
        i
        for i, from_status in later.items()
        if Status(from_status) in COMPLETED and (current[i].submitted_at or moment) > moment
    ]
    before = _last_submissions_before(session, resubmitted, moment)
    for occurrence_id, from_status in later.items():
        status = Status(from_status)
        submitted_at = current[occurrence_id].submitted_at
        if submitted_at is not None and submitted_at > moment:
            submitted_at = before.get(occurrence_id)
        result[occurrence_id] = StatusAt(status, submitted_at if status in COMPLETED else None)
    return result


def _last_submissions_before(
    session: Session, occurrence_ids: list[int], moment: dt.datetime
) -> dict[int, dt.datetime]:
    """For each occurrence, the moment of its last submission (by event id) made by `moment`."""
    found: dict[int, dt.datetime] = {}
    for chunk_start in range(0, len(occurrence_ids), 900):
        chunk = occurrence_ids[chunk_start : chunk_start + 900]
        rows = session.execute(
            select(StatusEvent.occurrence_id, StatusEvent.at)
            .where(
                StatusEvent.occurrence_id.in_(chunk),
                StatusEvent.to_status == Status.SUBMITTED.value,
                StatusEvent.at <= moment,
            )
            .order_by(StatusEvent.occurrence_id, StatusEvent.id)
        )
        for occurrence_id, at in rows:
            found[occurrence_id] = at  # ascending ids: the last one stays
    return found


def categorize(
    *,
    status: Status,
    submitted_on: dt.date | None,
    due_on: dt.date,
    period_start: dt.date,
    as_of: dt.date,
    due_soon_from: dt.date,
) -> Category:
    """The government's timing category of one occurrence on `as_of`.

    `due_soon_from` is the first day counted as due soon (some working days before `due_on`).
    """
    if status in COMPLETED:
        on_time = submitted_on is not None and submitted_on <= due_on
        return Category.COMPLETED_ON_TIME if on_time else Category.COMPLETED_LATE
    if status is Status.WAIVED:
        return Category.WAIVED
    if status is Status.SUSPENDED:
        return Category.SUSPENDED
    if status is Status.NOT_APPLICABLE:
        return Category.NOT_APPLICABLE
    if as_of > due_on:
        return Category.OVERDUE
    if as_of >= due_soon_from:
        return Category.DUE_SOON
    if as_of >= period_start:
        return Category.IN_PROGRESS
    return Category.NOT_YET_DUE
