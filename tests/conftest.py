"""Shared fixtures: a real database on every backend, the seed plan, and a frozen clock."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import models
from dutyflow.cli.app import main
from dutyflow.settings import get_settings
from models.db import make_engine, session_factory
from models.migrate import upgrade
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.file import read_plan_file
from tasks.plans.loading import LoadSummary, load_plan

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "plans" / "tra-cu-2023.yaml"
SEED_TEXT = ROOT / "plans" / "sources" / "tra-cu-2023.txt"  # the plan document, beside its plan file
PG_URL = os.environ.get("DUTYFLOW_TEST_DATABASE_URL", "").strip()
NOW = dt.datetime(2023, 3, 1, 1, 30, tzinfo=dt.UTC)  # 08:30 in Trà Cú, a week after the plan


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI must set DUTYFLOW_TEST_DATABASE_URL: every database test runs on PostgreSQL too")


def _backends() -> list[object]:
    params: list[object] = [pytest.param("sqlite", id="sqlite")]
    if PG_URL:
        params.append(pytest.param("postgresql", id="postgresql"))
    return params


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for the session: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'dutyflow.db'}"
        return
    schema = f"dutyflow_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on an emptied database; each test commits or not as it likes."""
    with engine.begin() as conn:
        for table in reversed(models.Base.metadata.sorted_tables):
            conn.execute(delete(table))
    with session_factory(engine)() as session:
        yield session


@pytest.fixture(scope="session")
def seed_plan() -> PlanFile:
    read = read_plan_file(SEED_PLAN)
    assert read.ok, read.issues
    assert read.plan is not None
    return read.plan


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def loaded(db: Session, seed_plan: PlanFile, calendar: WorkCalendar) -> LoadSummary:
    summary = load_plan(db, plan_file=seed_plan, sha256="seed", now=NOW, calendar=calendar, support_lead_workdays=3)
    db.commit()
    return summary


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def run(*args: str, database_url: str = "sqlite:///:memory:", **env: str) -> tuple[int, str, str]:
        monkeypatch.setenv("DUTYFLOW_DATABASE_URL", database_url)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("COLUMNS", "200")
        get_settings.cache_clear()
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        finally:
            get_settings.cache_clear()
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def people(db: Session, loaded: LoadSummary) -> None:
    """The seed plan with one person of each role (see tests/web_support.py)."""
    from tests.web_support import add_people

    add_people(db)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def flow_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DUTYFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
