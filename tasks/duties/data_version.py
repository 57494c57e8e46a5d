"""A fingerprint of everything the duty tables show: it changes whenever a status, an occurrence, a message
sent or a reloaded plan does, so that a view computed before can be reused while it holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import Acknowledgement
from models.duty import Duty, Occurrence, StatusEvent
from models.outbox import DeliveryAttempt
from models.plan import Plan


def data_version(session: Session) -> tuple[Any, ...]:
    """One cheap query: the newest row of each table a duty listing reads (ids only grow)."""
    row = session.execute(
        select(
            select(func.max(StatusEvent.id)).scalar_subquery(),
            select(func.max(Occurrence.id)).scalar_subquery(),
            select(func.max(DeliveryAttempt.id)).scalar_subquery(),
            select(func.max(Acknowledgement.id)).scalar_subquery(),
            select(func.max(Plan.loaded_at)).scalar_subquery(),
            select(func.count(Duty.id)).scalar_subquery(),
        )
    ).one()
    return tuple(row)
