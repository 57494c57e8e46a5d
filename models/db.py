"""Engines and sessions for any SQLAlchemy URL; SQLite gets foreign keys, WAL and immediate writes."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, *, immediate: bool = True, **kwargs: Any) -> Engine:
    """An engine for `url`. On SQLite, transactions begin IMMEDIATE so that writers queue, not fail;
    `immediate=False` makes an engine for readers, which then run side by side."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, **{"pool_pre_ping": True, **kwargs})

        @event.listens_for(engine, "connect")
        def _no_jit(dbapi_connection: Any, _record: Any) -> None:
            # Every query here is short; compiling one costs more (150 ms on a status-as-of-a-day query over a
            # million occurrences, whose estimate crosses jit_above_cost) than it could ever save.
            cursor = dbapi_connection.cursor()
            cursor.execute("SET jit = off")
            cursor.close()
            dbapi_connection.commit()  # a setting made in a transaction rolled back would be undone

        return engine
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, **{"pool_pre_ping": True, **kwargs})
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if parsed.database and parsed.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session maker for `engine`. Making one builds a Session class (about a millisecond): what makes sessions
    on every request keeps its own (web.context.WebContext)."""
    return sessionmaker(engine, expire_on_commit=False)


def refresh_statistics(engine: Engine) -> None:
    """Table statistics for the query planner. PostgreSQL's autovacuum keeps its own; SQLite has none until
    ANALYZE runs, and without them it sorts every overdue row instead of reading the owed-by-deadline index."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def is_duplicate(error: IntegrityError) -> bool:
    """Whether a refused write broke a unique constraint (the same thing written twice at once), as opposed to
    any other constraint, which would be a fault in the code."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if code is not None:
        return str(code) == "23505"
    return "UNIQUE constraint failed" in str(error.orig)


def serialize(session: Session, *keys: str) -> None:
    """Makes transactions that name the same key run one after another until they end: a check then a write
    (a throttle's count, a quota) that two requests must not both pass. PostgreSQL takes an advisory lock per
    key, in a fixed order; SQLite's writers are serialized already (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        number = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})
