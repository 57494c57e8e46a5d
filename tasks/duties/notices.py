"""What people were told about an occurrence: the messages sent, to whom, and how delivery went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.outbox import DeliveryAttempt, OutboxMessage
from models.plan import Contact


@dataclass(frozen=True)
class Told:
    escalation: str | None  # the highest rung reached, e.g. "escalate-2"
    last_at: dt.datetime | None  # the last message of any step


@dataclass(frozen=True)
class Notice:
    outbox_id: int
    step: str
    recipient: str
    status: str
    sent_at: dt.datetime | None
    deliveries: list[tuple[str, bool, str | None]]  # masked address, ok, error


def told_by(session: Session, *, occurrence_ids: list[int], moment: dt.datetime) -> dict[int, Told]:
    """For each occurrence, the rung reached and the last message sent by `moment`."""
    found: dict[int, Told] = {}
    for start in range(0, len(occurrence_ids), 900):
        chunk = occurrence_ids[start : start + 900]
        sent = (
            OutboxMessage.occurrence_id.in_(chunk),
            OutboxMessage.sent_at.is_not(None),
            OutboxMessage.sent_at <= moment,
        )
        last = dict(
            session.execute(
                select(OutboxMessage.occurrence_id, func.max(OutboxMessage.sent_at))
                .where(*sent)
                .group_by(OutboxMessage.occurrence_id)
            ).all()
        )
        rung = dict(
            session.execute(
                select(OutboxMessage.occurrence_id, func.max(OutboxMessage.step))
                .where(*sent, OutboxMessage.step.like("escalate-%"))
                .group_by(OutboxMessage.occurrence_id)
            ).all()
        )
        found.update(
            {occurrence_id: Told(rung.get(occurrence_id), at) for occurrence_id, at in last.items() if occurrence_id}
        )
    return found


def notices_for(session: Session, *, occurrence_id: int) -> list[Notice]:
    """Every message about the occurrence, oldest first, each with its delivery attempts."""
    rows = session.execute(
        select(OutboxMessage, Contact.name)
        .join(Contact, Contact.id == OutboxMessage.contact_id)
        .where(OutboxMessage.occurrence_id == occurrence_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    notices = []
    for message, recipient in rows:
        attempts = session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == message.id).order_by(DeliveryAttempt.id)
        ).all()
        notices.append(
            Notice(
                message.id,
                message.step,
                recipient,
                message.status,
                message.sent_at,
                [(a.url_masked, a.ok, a.error) for a in attempts],
            )
        )
    return notices
