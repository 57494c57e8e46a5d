"""The outbox: queue each (occurrence, step, recipient) once, claim rows atomically, record what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.outbox import DeliveryAttempt, InboxMessage, OutboxMessage

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


OCCURRENCE_KEY = ("occurrence_id", "step", "contact_id")
REPORT_KEY = ("report_id", "step", "contact_id")


def enqueue(session: Session, rows: Sequence[dict[str, Any]], *, key: tuple[str, ...] = OCCURRENCE_KEY) -> list[int]:
    """Insert the rows not queued before; returns the new ids. The unique key absorbs a concurrent sweep."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    created: list[int] = []
    for start in range(0, len(rows), 300):
        statement = (
            insert(OutboxMessage)
            .values(list(rows[start : start + 300]))
            .on_conflict_do_nothing(index_elements=list(key))
            .returning(OutboxMessage.id)
        )
        created += list(session.scalars(statement))
    return created


def claim(
    session: Session, *, now: dt.datetime, worker: str, limit: int, lease: dt.timedelta, body_id: int | None = None
) -> list[OutboxMessage]:
    """Take up to `limit` messages that may go now, so that no other sweep takes them too.

    Claimable: pending ones whose time has come, and ones a sweep claimed but never finished (its lease
    ran out). PostgreSQL skips rows another sweep has locked; SQLite's immediate transaction serializes.
    """
    ready = or_(
        (OutboxMessage.status == PENDING) & (OutboxMessage.not_before <= now),
        (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < now - lease),
    )
    query = select(OutboxMessage.id).where(ready).order_by(OutboxMessage.not_before, OutboxMessage.id).limit(limit)
    if body_id is not None:
        query = query.where(OutboxMessage.body_id == body_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if not ids:
        return []
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), ready)
        .values(status=SENDING, claimed_by=worker, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker, OutboxMessage.status == SENDING
            )
        )
    )


def record(
    session: Session,
    *,
    message_id: int,
    worker: str,
    now: dt.datetime,
    attempts: list[tuple[str, bool, str | None]],
    inbox: list[tuple[str, str, str]],
    max_attempts: int,
    backoff: dt.timedelta,
) -> str:
    """Write each address's result and the message's new state; returns that state.

    Only the sweep holding the claim may record, so a sweep that outlived its lease changes nothing.
    """
    message = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker, OutboxMessage.status == SENDING
        )
    ).one_or_none()
    if message is None:
        return "lost-claim"
    for url_masked, ok, error in attempts:
        session.add(DeliveryAttempt(outbox_id=message.id, at=now, url_masked=url_masked, ok=ok, error=error))
    for person, title, body in inbox:
        session.add(InboxMessage(person=person, outbox_id=message.id, title=title, body=body, received_at=now))
    if attempts and all(ok for _, ok, _ in attempts):
        message.status, message.sent_at, message.last_error = SENT, now, None
    else:
        message.last_error = "; ".join(f"{url}: {error or '?'}" for url, ok, error in attempts if not ok)[:2000]
        if message.attempts >= max_attempts:
            message.status = FAILED
        else:
            message.status = PENDING
            message.not_before = now + backoff * (2 ** (message.attempts - 1))
    message.claimed_by = None
    return message.status
