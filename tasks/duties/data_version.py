"""A fingerprint of everything the duty tables show: it changes whenever a status, an occurrence, a message
sent, a sweep run (the sweeps' health), a reloaded plan or a moved due date does, so that a view computed before
can be reused while it holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import Acknowledgement
from models.duty import Duty, Occurrence, StatusEvent
from models.outbox import DeliveryAttempt, SweepRun
from models.plan import Plan

# The newest row of each table a duty listing reads (ids only grow). Built and compiled once per dialect: every
# page asks it, and building a statement costs more than the database takes to answer it.
FINGERPRINT = select(
    select(func.max(StatusEvent.id)).scalar_subquery(),
    select(func.max(Occurrence.id)).scalar_subquery(),
    select(func.max(DeliveryAttempt.id)).scalar_subquery(),
    select(func.max(Acknowledgement.id)).scalar_subquery(),
    select(func.max(Plan.loaded_at)).scalar_subquery(),
    select(func.sum(Plan.revision)).scalar_subquery(),  # due dates moved
    select(func.count()).select_from(Duty).scalar_subquery(),  # count(*): an index answers it
    select(func.max(SweepRun.id)).scalar_subquery(),
)
_COMPILED: dict[str, str] = {}


def data_version(session: Session) -> tuple[Any, ...]:
    """One cheap query, sent as the text compiled for this database."""
    connection = session.connection()
    dialect = connection.dialect
    sql = _COMPILED.get(dialect.name)
    if sql is None:
        sql = _COMPILED[dialect.name] = str(FINGERPRINT.compile(dialect=dialect))
    return tuple(connection.exec_driver_sql(sql).one())
