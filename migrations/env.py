"""Alembic environment: runs on the connection dutyflow hands over, or on the configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import models
from dutyflow.settings import get_settings
from models.db import make_engine

target_metadata = models.Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().database_url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("dutyflow migrations run online only")
run_migrations_online()
