"""Shared set-up for the benchmarks: a fresh database with the seed plan loaded."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from models.db import make_engine, session_factory
from models.migrate import upgrade
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.file import read_plan_file
from tasks.plans.loading import load_plan

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[Engine]:
    """A new SQLite file, or a new schema in the local PostgreSQL `test` database; dropped afterwards."""
    if kind == "sqlite":
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    base = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    )
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def load_seed(engine: Engine) -> None:
    read = read_plan_file(ROOT / "plans" / "tra-cu-2023.yaml")
    assert read.plan is not None
    with session_factory(engine).begin() as session:
        load_plan(
            session,
            plan_file=read.plan,
            sha256=read.sha256,
            now=dt.datetime(2023, 2, 24, tzinfo=dt.UTC),
            calendar=WorkCalendar(),
            support_lead_workdays=3,
        )


def timed(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start
