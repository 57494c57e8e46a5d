"""Messages a person sets off (a submission's notice, "remind now") go right after the answer, in the background;
they are in the outbox already, so if this cannot send them the next sweep does."""

from __future__ import annotations

import logging

from dutyflow import runtime
from models.db import session_factory
from tasks.reminders.delivery import deliver
from web.context import WebContext

log = logging.getLogger(__name__)


def deliver_now(context: WebContext, body_id: int) -> None:
    """Send what was just queued for `body_id`; when the channels cannot be read, the next sweep sends it."""
    try:
        with session_factory(context.writer)() as session:
            book = runtime.channel_book(context.settings, session)
        deliver(
            session_factory(context.writer),
            now=runtime.utc_now(),
            worker=runtime.worker_id(),
            book=book,
            config=runtime.sweep_config(context.settings),
            body_id=body_id,
        )
    except Exception as error:  # queued in the outbox: nothing is lost, a sweep sends it
        log.warning("delivery after a person's action deferred to the next sweep: %s", type(error).__name__)
