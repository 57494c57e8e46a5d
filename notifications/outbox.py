"""The outbox: queue each (occurrence, step, recipient) once, claim rows atomically, record what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.outbox import AddressDelivery, DeliveryAttempt, InboxMessage, OutboxMessage, held_past
from notifications.sender import AddressResult

PENDING, SENDING, SENT, PARTIAL, FAILED = "pending", "sending", "sent", "partial", "failed"
RETRY = "retry"  # an address that failed for a passing reason and will be tried again
DIED = "every sweep that took this message stopped before recording a result"
# Messages somebody should look at: nobody got them, or some addresses never will.
UNDELIVERED = (FAILED, PARTIAL)


OCCURRENCE_KEY = ("occurrence_id", "round", "step", "contact_id")
REPORT_KEY = ("report_id", "step", "contact_id")
DIGEST_KEY = ("digest_key", "contact_id")


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
    session: Session,
    *,
    now: dt.datetime,
    wall: dt.datetime,
    worker: str,
    limit: int,
    lease: dt.timedelta,
    body_id: int | None = None,
    max_attempts: int | None = None,
) -> list[OutboxMessage]:
    """Take up to `limit` messages that may go at `now`, so that no other sweep takes them too.

    Claimable: pending ones whose time (`now`, which a sweep may replay) has come, and ones a sweep claimed
    but never finished. A claim lasts its lease on the wall clock (`wall`), whatever moment a sweep replays,
    so a sweep replaying a later hour cannot take the claims of one still running. PostgreSQL skips rows
    another sweep has locked; SQLite's immediate transaction serializes.
    """
    if max_attempts is not None:  # a message whose sweeps keep dying before they record is given up, not retried
        session.execute(
            update(OutboxMessage)
            .where(held_past(wall - lease), OutboxMessage.attempts >= max_attempts)
            .values(status=FAILED, claimed_by=None, last_error=DIED)
            .execution_options(synchronize_session=False)
        )
    ready = or_(
        (OutboxMessage.status == PENDING) & (OutboxMessage.not_before <= now),
        held_past(wall - lease),
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
        .values(status=SENDING, claimed_by=worker, claimed_at=wall, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker, OutboxMessage.status == SENDING
            )
        )
    )


def stuck(*, wall: dt.datetime, lease: dt.timedelta) -> Select[OutboxMessage]:
    """Messages claimed by a sweep that has held them past the lease: it died, or hangs."""
    return select(OutboxMessage).where(held_past(wall - lease))


def address_states(session: Session, message_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """For each message, the state of each address it was tried at (sent, retry, failed)."""
    found: dict[int, dict[str, str]] = {}
    for start in range(0, len(message_ids), 900):
        rows = session.execute(
            select(AddressDelivery.outbox_id, AddressDelivery.address_key, AddressDelivery.status).where(
                AddressDelivery.outbox_id.in_(message_ids[start : start + 900])
            )
        )
        for outbox_id, key, status in rows:
            found.setdefault(outbox_id, {})[key] = status
    return found


@dataclass(frozen=True)
class Delivered:
    """What one send of one message came to: its results per address and what inboxes received."""

    message_id: int
    addresses: Sequence[str]  # keys of every address the message is for; each is to be sent once
    attempts: Sequence[AddressResult]
    inbox: Sequence[tuple[str, str, str]] = ()


def record(
    session: Session,
    *,
    message_id: int,
    worker: str,
    now: dt.datetime,
    addresses: Sequence[str],
    attempts: Sequence[AddressResult],
    inbox: list[tuple[str, str, str]],
    max_attempts: int,
    backoff: dt.timedelta,
) -> str:
    """`record_all` for one message."""
    done = Delivered(message_id, addresses, attempts, inbox)
    return record_all(session, [done], worker=worker, now=now, max_attempts=max_attempts, backoff=backoff)[message_id]


def record_all(
    session: Session,
    delivered: Sequence[Delivered],
    *,
    worker: str,
    now: dt.datetime,
    max_attempts: int,
    backoff: dt.timedelta,
) -> dict[int, str]:
    """Write each address's result and each message's new state; returns the states by message id.

    A message is sent when every address has it, partly sent when some failed for good, failed when none
    got it; while an address failed for a passing reason and tries remain, the message waits and only that
    address is tried again. Only the sweep holding the claim changes the message ("lost-claim" otherwise);
    one that outlived its lease records only the addresses it reached. One read of the messages (locked on
    PostgreSQL) and one of their addresses serve the whole batch.
    """
    ids = [d.message_id for d in delivered]
    query = select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # a sweep re-claiming these waits for this record, and then sees it
    messages = {m.id: m for m in session.scalars(query)}
    states: dict[tuple[int, str], AddressDelivery] = {
        (d.outbox_id, d.address_key): d
        for d in session.scalars(select(AddressDelivery).where(AddressDelivery.outbox_id.in_(ids)))
    }
    found: dict[int, str] = {}
    for done in delivered:
        message = messages.get(done.message_id)
        if message is None:
            found[done.message_id] = "lost-claim"
        elif message.claimed_by != worker or message.status != SENDING:
            # Outlived its lease: the message is another sweep's now, but an address that got it must not
            # get it again from that sweep.
            _record_addresses(session, message, [r for r in done.attempts if r.ok], states, now, False)
            found[done.message_id] = "lost-claim"
        else:
            found[done.message_id] = _record_one(session, message, done, states, now, max_attempts, backoff)
    return found


def _record_addresses(
    session: Session,
    message: OutboxMessage,
    attempts: Sequence[AddressResult],
    states: dict[tuple[int, str], AddressDelivery],
    now: dt.datetime,
    out_of_tries: bool,
) -> None:
    for result in attempts:
        session.add(
            DeliveryAttempt(outbox_id=message.id, at=now, url_masked=result.masked, ok=result.ok, error=result.error)
        )
        state = states.get((message.id, result.key))
        if state is None:
            state = AddressDelivery(outbox_id=message.id, address_key=result.key, attempts=0)
            session.add(state)
            states[(message.id, result.key)] = state
        state.url_masked, state.updated_at, state.attempts = result.masked, now, state.attempts + 1
        if result.ok:
            state.status, state.last_error = SENT, None
        else:
            state.status = FAILED if result.permanent or out_of_tries else RETRY
            state.last_error = result.error


def _record_one(
    session: Session,
    message: OutboxMessage,
    done: Delivered,
    states: dict[tuple[int, str], AddressDelivery],
    now: dt.datetime,
    max_attempts: int,
    backoff: dt.timedelta,
) -> str:
    out_of_tries = message.attempts >= max_attempts
    _record_addresses(session, message, done.attempts, states, now, out_of_tries)
    for person, title, body in done.inbox:
        session.add(InboxMessage(person=person, outbox_id=message.id, title=title, body=body, received_at=now))
    mine = [s for (outbox_id, _), s in states.items() if outbox_id == message.id]
    wanted = [states[(message.id, key)].status if (message.id, key) in states else RETRY for key in done.addresses]
    errors = [f"{s.url_masked}: {s.last_error or '?'}" for s in mine if s.status != SENT]
    message.last_error = "; ".join(errors)[:2000] or None
    if all(status == SENT for status in wanted):
        message.status, message.sent_at = SENT, now
    elif RETRY in wanted and not out_of_tries:
        message.status = PENDING
        message.not_before = now + backoff * (2 ** (message.attempts - 1))
    else:
        message.status = PARTIAL if SENT in wanted else FAILED
        message.sent_at = now if SENT in wanted else None
    message.claimed_by = None
    return message.status
