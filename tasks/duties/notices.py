"""What people were told about an occurrence: the messages sent, to whom, and how delivery went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, func, literal, select
from sqlalchemy.orm import Session

from models.outbox import AddressDelivery, DeliveryAttempt, OutboxMention, OutboxMessage
from models.plan import Contact


@dataclass(frozen=True)
class Told:
    escalation: str | None  # the highest rung reached, e.g. "escalate-2"
    last_at: dt.datetime | None  # the last message of any step


@dataclass(frozen=True)
class AddressState:
    masked: str
    status: str  # sent, retry, failed
    attempts: int
    error: str | None


@dataclass(frozen=True)
class Notice:
    outbox_id: int
    step: str  # remind-5, escalate-2, digest-body, digest-office...
    recipient: str
    status: str  # pending, sending, sent, partial, failed
    sent_at: dt.datetime | None
    deliveries: list[tuple[str, bool, str | None]]  # every try: masked address, ok, error
    queued_at: dt.datetime | None = None
    addresses: list[AddressState] = field(default_factory=list)  # where each address stands now


def among(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL one array parameter (`= ANY`), which the driver sends as it is rather than
    parsing a query with a placeholder per id."""
    if session.get_bind().dialect.name == "postgresql":
        condition: ColumnElement[bool] = column == any_(literal(ids, ARRAY(Integer)))
    else:
        condition = column.in_(ids)
    return condition


def told_by(session: Session, *, occurrence_ids: list[int], moment: dt.datetime) -> dict[int, Told]:
    """For each occurrence, the rung reached and the last message naming it (digests too) sent by `moment`."""
    found: dict[int, Told] = {}
    # SQLite takes at most 999 parameters a query; PostgreSQL gets the ids as one array, however many.
    size = 900 if session.get_bind().dialect.name == "sqlite" else 20_000
    for start in range(0, len(occurrence_ids), size):
        chunk = occurrence_ids[start : start + size]
        sent = (OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at <= moment)
        last = dict(
            session.execute(
                select(OutboxMention.occurrence_id, func.max(OutboxMessage.sent_at))
                .join(OutboxMessage, OutboxMessage.id == OutboxMention.outbox_id)
                .where(among(session, OutboxMention.occurrence_id, chunk), *sent)
                .group_by(OutboxMention.occurrence_id)
            ).all()
        )
        rung = dict(
            session.execute(
                select(OutboxMessage.occurrence_id, func.max(OutboxMessage.step))
                .where(among(session, OutboxMessage.occurrence_id, chunk), *sent, OutboxMessage.step.like("escalate-%"))
                .group_by(OutboxMessage.occurrence_id)
            ).all()
        )
        found.update({occurrence_id: Told(rung.get(occurrence_id), at) for occurrence_id, at in last.items()})
    return found


def notices_for(session: Session, *, occurrence_id: int) -> list[Notice]:
    """Every message that named the occurrence (its own steps and the digests that listed it), oldest first,
    each with where each address stands and every try."""
    rows = session.execute(
        select(OutboxMessage, Contact.name)
        .join(Contact, Contact.id == OutboxMessage.contact_id)
        .join(OutboxMention, OutboxMention.outbox_id == OutboxMessage.id)
        .where(OutboxMention.occurrence_id == occurrence_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    notices = []
    for message, recipient in rows:
        attempts = session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == message.id).order_by(DeliveryAttempt.id)
        ).all()
        states = session.scalars(
            select(AddressDelivery).where(AddressDelivery.outbox_id == message.id).order_by(AddressDelivery.id)
        ).all()
        notices.append(
            Notice(
                message.id,
                message.step,
                recipient,
                message.status,
                message.sent_at,
                [(a.url_masked, a.ok, a.error) for a in attempts],
                message.created_at,
                [AddressState(d.url_masked, d.status, d.attempts, d.last_error) for d in states],
            )
        )
    return notices
