"""The Alembic chain: an existing database with data upgrades to head and downgrades to nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from models.db import make_engine
from models.migrate import alembic_config

from .conftest import PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        pytest.skip("DUTYFLOW_TEST_DATABASE_URL is not set (CI sets it and refuses to run without it)")
    schema = f"migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _migrate(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def test_a_populated_first_schema_upgrades_to_head_and_back(empty_engine: Engine) -> None:
    _migrate(empty_engine, "upgrade", "0001")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO plans (code, number, title, issuer, place, issued_on, year, effective_from, effective_to, "
                "signer_name, signer_title, signer_contact, bases, recipients, source_sha256, loaded_at) VALUES "
                "('p', '1', 't', 'i', 'pl', '2023-01-01', 2023, '2023-01-01', '2023-12-31', 's', 'st', 'c', "
                "'[]', '[]', 'x', '2023-01-01 00:00:00')"
            )
        )
    _migrate(empty_engine, "upgrade", "head")
    tables = set(inspect(empty_engine).get_table_names())
    assert {"outbox", "inbox_messages", "indicator_values", "reports"} <= tables
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM plans")).scalar_one() == "p"
    _migrate(empty_engine, "downgrade", "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
