"""What every edge (CLI, flow, web) needs from settings: clock, calendar, database, channels, sweep setup."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dutyflow.settings import Settings
from models.db import make_engine, session_factory
from models.migrate import upgrade
from models.plan import Contact
from notifications.channels import ChannelBook, load_channel_book
from notifications.render import check_templates
from tasks.calendar.workdays import WorkCalendar
from tasks.reminders.config import SweepConfig


def utc_now() -> dt.datetime:
    """The one place that reads the clock; edges call it once and pass the moment down."""
    return dt.datetime.now(dt.UTC)


def business_now(settings: Settings) -> dt.datetime:
    """Now, for what a command stamps and takes as today: the wall clock, or on a demo database its simulated
    day at the wall clock's time of day (the dashboard does the same). A database not made yet is not made."""
    from tasks.calendar.clock import on_day
    from tasks.people.demo_mark import demo_day

    wall = utc_now()
    parsed = make_url(settings.database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not os.path.exists(parsed.database):
        return wall
    try:
        with session_factory(database(settings))() as session:
            day = demo_day(session)
    except Exception:  # out of reach: the command says so itself when it connects
        return wall
    return on_day(day, wall) if day is not None else wall


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


class ConfigurationError(Exception):
    """Channels or templates that would fail at 07:30: every problem, each as (message code, params)."""

    def __init__(self, problems: list[tuple[str, dict[str, str]]]) -> None:
        super().__init__(problems)
        self.problems = problems


def worker_id() -> str:
    """Who claims messages and records a sweep: the cluster worker's name when a worker started this process
    (DUTYFLOW_WORKER_NAME), else the host; with the process and a random tail, so no two are alike."""
    from dutyflow.settings import get_settings

    return f"{get_settings().worker_name or socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def sweep_config(settings: Settings) -> SweepConfig:
    return SweepConfig(
        calendar=work_calendar(settings),
        dashboard_url=settings.dashboard_url,
        locale=settings.lang,
        concurrency=settings.delivery_concurrency,
        max_attempts=settings.max_attempts,
        backoff=dt.timedelta(seconds=settings.retry_backoff_seconds),
        lease=dt.timedelta(seconds=settings.claim_lease_seconds),
        attachments_dir=settings.reports_dir / "digests",
        horizon_days=settings.horizon_days,
        support_lead_workdays=settings.support_lead_workdays,
    )


def channel_book(settings: Settings, session: Session) -> ChannelBook:
    """The contacts' channels, checked with the templates before anything is sent."""
    contacts = [(c.code, c.channel_ref) for c in session.scalars(select(Contact).where(Contact.active))]
    book, issues = load_channel_book(contacts, contacts_file=settings.contacts_file, environ=os.environ)
    problems = [(i.code, i.params) for i in issues]
    problems += [
        ("template.broken", {"template": name, "problem": why}) for name, why in check_templates(settings.lang)
    ]
    if problems:
        raise ConfigurationError(problems)
    return book
