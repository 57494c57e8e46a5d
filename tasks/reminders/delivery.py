"""Delivering the outbox: claim what may go, send each message to each of its addresses once, record."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.outbox import OutboxMessage
from models.plan import Contact
from notifications.apprise_log import mask_onward
from notifications.channels import ChannelBook
from notifications.masking import Masker
from notifications.outbox import FAILED, SENT, Delivered, address_states, claim, record_all
from notifications.sender import Prepared, address_key, send_all
from tasks.reminders.config import SessionMaker, SweepConfig, SweepReport


def deliver(
    make_session: SessionMaker,
    *,
    now: dt.datetime,
    worker: str,
    book: ChannelBook,
    config: SweepConfig,
    body_id: int | None = None,
    report: SweepReport | None = None,
) -> SweepReport:
    """Claim, send and record until nothing more may go at `now`.

    A batch is as large as the concurrency bound and its results are committed together as soon as it is
    done, so a sweep that dies loses nothing and sends again at most the messages that were in flight. An
    address that already has a message, or refused it for good, is not sent to again.
    """
    report = report or SweepReport(now, None)
    masker = Masker.of(book.all_urls())  # worked out once per delivery, not once per failed send
    mask_onward(masker)
    while True:
        with make_session() as session, session.begin():
            claimed = claim(
                session,
                now=now,
                wall=config.clock(),
                worker=worker,
                limit=config.concurrency,
                lease=config.lease,
                body_id=body_id,
                max_attempts=config.max_attempts,
            )
            batch = {m.id: (m, _contact_code(session, m)) for m in claimed}
            done = address_states(session, list(batch))
        if not batch:
            return report
        urls = {message_id: book.for_contact(code) for message_id, (_, code) in batch.items()}
        prepared = [
            Prepared(
                m.id,
                [u for u in urls[m.id] if done.get(m.id, {}).get(address_key(u)) not in (SENT, FAILED)],
                m.subject,
                m.body_text,
                m.body_html,
                m.chat_text,
                m.attachment,
            )
            for m, _ in batch.values()
        ]
        outcomes = asyncio.run(send_all(prepared, concurrency=config.concurrency, masker=masker))
        delivered = [
            Delivered(o.message_id, [address_key(u) for u in urls[o.message_id]], o.attempts, o.inbox) for o in outcomes
        ]
        with make_session() as session, session.begin():
            states = record_all(
                session,
                delivered,
                worker=worker,
                now=now,
                max_attempts=config.max_attempts,
                backoff=config.backoff,
            )
        for outcome in outcomes:
            message, code = batch[outcome.message_id]
            state = states[outcome.message_id]
            report.sent += state == "sent"
            report.partial += state == "partial"
            report.retrying += state == "pending"
            report.failed += state == "failed"
            report.lines.append(
                {
                    "outbox_id": message.id,
                    "step": message.step,
                    "recipient": code,
                    "channels": [result.masked for result in outcome.attempts],
                    "status": state,
                    "subject": message.subject,
                }
            )


def _contact_code(session: Session, message: OutboxMessage) -> str:
    return session.scalar(select(Contact.code).where(Contact.id == message.contact_id)) or ""
