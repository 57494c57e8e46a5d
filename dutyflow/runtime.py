"""What every edge (CLI, flow, web) needs from settings: the clock, the calendar and the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dutyflow.settings import Settings
from models.db import make_engine, session_factory
from models.migrate import upgrade
from tasks.workdays import WorkCalendar


def utc_now() -> dt.datetime:
    """The one place that reads the clock; edges call it once and pass the moment down."""
    return dt.datetime.now(dt.UTC)


def work_calendar(settings: Settings) -> WorkCalendar:
    return WorkCalendar.from_lists(settings.calendar.extra_days_off, settings.calendar.makeup_working_days)


def masked_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def database(settings: Settings) -> Engine:
    """The engine for the configured database, its schema brought up to date on first use."""
    return _engine(settings.database_url)


@contextmanager
def transaction(settings: Settings) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back whole on any error."""
    with session_factory(database(settings)).begin() as session:
        yield session
