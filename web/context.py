"""What every request shares: settings, the database (writer and readers), templates, the clock."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dutyflow import runtime
from dutyflow.i18n import t
from dutyflow.settings import PROJECT_ROOT, Settings
from models.db import make_engine, refresh_statistics, session_factory
from models.plan import Body, Plan, Unit
from tasks.calendar.clock import local_date, on_day, read_moment
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.overdue import OverdueFilter, OverduePage, overdue_page
from tasks.duties.plan_counts import PlanCounts
from tasks.duties.views import BodyLine, PlanLine, filter_choices, overview, plans_overview
from tasks.people.demo_mark import demo_day
from tasks.reminders.health import daily_times
from tasks.reminders.on_demand import NoticeSetup
from web.cache import ViewCache
from web.templating import environment

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_secret(settings: Settings) -> str:
    """The key that signs session cookies: the configured one, or one made once and kept in a private file."""
    if settings.web_secret is not None:
        return settings.web_secret.get_secret_value()
    path: Path = settings.web_secret_file
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    secret = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret


def _glancer(reader: Engine) -> Engine:
    """On PostgreSQL, the reader without a transaction around its statements: BEGIN and ROLLBACK are two round
    trips more than a single read needs. (SQLite's own transactions cost nothing: it keeps the reader.)"""
    if reader.dialect.name != "postgresql":
        return reader
    return reader.execution_options(isolation_level="AUTOCOMMIT")


@dataclass
class WebContext:
    settings: Settings
    writer: Engine
    reader: Engine
    glance: Engine  # the reader, one statement at a time: for the two short reads of a page answered again
    calendar: WorkCalendar
    templates: Environment
    views: ViewCache
    plan_counts: PlanCounts  # every plan's counts on the days asked, recounted only where something changed
    demo_read: tuple[float, dt.date | None] = (0.0, None)  # (when read, the demo's day), read again every 15 s
    makers: dict[int, sessionmaker[Session]] = field(default_factory=dict)  # a session maker per engine here

    @classmethod
    def build(cls, settings: Settings) -> WebContext:
        writer = runtime.database(settings)  # migrates on first use
        refresh_statistics(writer)
        # One connection per request thread: as many as the server's worker threads (40), so none waits. Readers
        # skip the ping before each use (a round trip per request); a connection is renewed after 30 minutes.
        reader = make_engine(
            settings.database_url,
            immediate=False,
            pool_size=10,
            max_overflow=30,
            pool_pre_ping=False,
            pool_recycle=1800,
        )
        return cls(
            settings,
            writer,
            reader,
            _glancer(reader),
            runtime.work_calendar(settings),
            environment(),
            ViewCache(),
            PlanCounts(),
        )

    def sessions(self, engine: Engine) -> sessionmaker[Session]:
        """The session maker of one of this context's engines, made once: making one builds a Session class and
        copies its event listeners, about a millisecond, too much for every request."""
        made = self.makers.get(id(engine))
        if made is None:
            made = self.makers[id(engine)] = session_factory(engine)
        return made

    @property
    def demo_day(self) -> dt.date | None:
        """On a demo database, the day its history was simulated to (a later `simulate` moves it on)."""
        read_at, day = self.demo_read
        if time.monotonic() - read_at > 15:
            with self.sessions(self.reader)() as session:
                day = demo_day(session)
            self.demo_read = (time.monotonic(), day)
        return day

    def moment(self, wall: dt.datetime) -> dt.datetime:
        """The business moment of a request: the wall clock, or on a demo database the simulated day at the
        wall clock's time of day (Vietnam), so that its pages open where its history stops."""
        day = self.demo_day
        return wall if day is None else on_day(day, wall)

    @cached_property
    def sweep_times(self) -> dict[str, dt.time]:
        """When each body's morning sweep runs, from the deployments in prefect.yaml (empty if it is missing)."""
        path = PROJECT_ROOT / "prefect.yaml"
        try:
            deployments = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("deployments") or []
        except (OSError, yaml.YAMLError):
            return {}
        return daily_times(deployments)

    @property
    def notices(self) -> NoticeSetup:
        """How messages a person sets off (a submission's notice, "remind now") are written."""
        return NoticeSetup(dashboard_url=self.settings.dashboard_url, locale=self.settings.lang)

    @property
    def lease(self) -> dt.timedelta:
        """How long a sweep may hold a message before it counts as stuck."""
        return dt.timedelta(seconds=self.settings.claim_lease_seconds)

    def overdue(
        self, db: Session, wanted: OverdueFilter, *, as_of: dt.date, now: dt.datetime, page: int, per_page: int = 50
    ) -> OverduePage:
        """The overdue page, computed once per state of the data."""
        question = ("overdue", wanted, as_of, local_date(now), page, per_page)
        return self.views.get(
            db,
            question,
            lambda: overdue_page(
                db,
                wanted,
                as_of=as_of,
                now=now,
                calendar=self.calendar,
                due_soon_workdays=self.settings.due_soon_workdays,
                page=page,
                per_page=per_page,
            ),
        )

    def overdue_with_choices(
        self, db: Session, wanted: OverdueFilter, *, as_of: dt.date, now: dt.datetime, page: int
    ) -> tuple[OverduePage, list[Body], list[Unit], Markup]:
        """The overdue page with the bodies and units its filters offer, and its table already rendered: all
        computed once per state of the data (only the page around it names the signed-in person)."""

        def compute() -> tuple[OverduePage, list[Body], list[Unit], Markup]:
            found = self.overdue(db, wanted, as_of=as_of, now=now, page=page)  # the same view the API reads
            table = self.templates.get_template("_rows.html.j2").render(rows=found.rows, with_body=True)
            return (found, *filter_choices(db, plan_code=wanted.plan_code), Markup(table))

        return self.views.get(db, ("overdue-page", wanted, as_of, local_date(now), page), compute)

    def overview(self, db: Session, *, plan: Plan, as_of: dt.date) -> list[BodyLine]:
        question = ("overview", plan.id, as_of)
        return self.views.get(
            db,
            question,
            lambda: overview(
                db, plan=plan, as_of=as_of, calendar=self.calendar, due_soon_workdays=self.settings.due_soon_workdays
            ),
        )

    def plans_overview(self, db: Session, *, as_of: dt.date) -> list[PlanLine]:
        return self.views.get(
            db,
            ("plans-overview", as_of),
            lambda: plans_overview(
                db,
                as_of=as_of,
                calendar=self.calendar,
                due_soon_workdays=self.settings.due_soon_workdays,
                kept=self.plan_counts,
            ),
        )

    def page_part(
        self,
        db: Session,
        request: Request,
        name: str,
        question: Hashable,
        values: Callable[[], dict[str, Any]],
    ) -> Markup:
        """The part of a page that names no one (no person, no form token): rendered once per state of the data,
        address and question, so that a page asked again only renders what is the signed-in person's own."""

        def compute() -> Markup:
            return Markup(self.templates.get_template(name).render(request=request, **values()))

        return self.views.get(db, ("part", name, request.url.path, request.url.query, question), compute)

    def render(self, request: Request, name: str, *, status_code: int = 200, **values: Any) -> HTMLResponse:
        session = request.scope.get("session", {})
        values.setdefault("me", getattr(request.state, "person", None))
        values.setdefault("demo_day", self.demo_day)
        html = self.templates.get_template(name).render(
            request=request,
            csrf=session.get("csrf", ""),
            flashes=session.pop("flash", []) if "session" in request.scope else [],
            **values,
        )
        return HTMLResponse(html, status_code=status_code)


def web(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


async def _web(request: Request) -> WebContext:
    # The cheap dependencies are coroutines: FastAPI runs a plain function on a worker thread, a hop that costs
    # more than the work (these only read the request or the clock).
    return web(request)


WebDep = Annotated[WebContext, Depends(_web)]


def get_db(request: Request) -> Iterator[Session]:
    """A session per request: readers for reading, the writer (which queues on SQLite) for changes."""
    context = web(request)
    engine = context.reader if request.method in SAFE_METHODS else context.writer
    with context.sessions(engine)() as session:
        session.info["reads_only"] = engine is context.reader  # see web.cache: one fingerprint per request
        yield session


DbDep = Annotated[Session, Depends(get_db)]


async def now(request: Request) -> dt.datetime:
    """The request's one reading of the clock (on a demo database, the simulated day, read again at most every
    15 s: a short query on the event loop that long apart costs less than a thread for every request)."""
    return web(request).moment(runtime.utc_now())


NowDep = Annotated[dt.datetime, Depends(now)]


async def wall() -> dt.datetime:
    """The real clock, for what must never follow a replayed day: session expiry, the sign-in throttle."""
    return runtime.utc_now()


WallDep = Annotated[dt.datetime, Depends(wall)]


def as_of_or_today(value: str | None, moment: dt.datetime) -> dt.date:
    """The date asked for (YYYY-MM-DD, or a date-time read as Vietnam time unless it has an offset), or today
    in Vietnam; anything else is a clear 400."""
    if not value:
        return local_date(moment)
    try:
        return local_date(read_moment(value))
    except ValueError:
        raise HTTPException(400, t("web.bad_date", value=value[:40])) from None


def flash(request: Request, message: str, kind: str = "ok") -> None:
    # Reassigned, not appended to: the session notices only changes to its own keys.
    request.session["flash"] = [*request.session.get("flash", []), [kind, message]]
