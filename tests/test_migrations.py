"""The Alembic chain: an existing database with data upgrades to head and downgrades to nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from models.db import make_engine

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
    from models.migrate import migrate

    migrate(engine, revision, downgrade=action == "downgrade")


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


def test_migrating_a_database_full_of_history_loses_no_row(empty_engine: Engine) -> None:
    """SQLite rebuilds a table to change a column; the rebuild must not cascade-delete the rows pointing at it."""
    import datetime as dt

    from sqlalchemy import func, select

    from models import Contact, DeliveryAttempt, InboxMessage, Occurrence, OutboxMessage
    from models.db import session_factory
    from models.migrate import migrate
    from notifications.channels import ChannelBook
    from tasks.calendar.workdays import WorkCalendar
    from tasks.plans.file import read_plan_file
    from tasks.plans.loading import load_plan
    from tasks.reminders.config import SweepConfig
    from tasks.reminders.sweep import sweep

    from .conftest import SEED_PLAN

    migrate(empty_engine)
    plan = read_plan_file(SEED_PLAN).plan
    assert plan is not None
    with session_factory(empty_engine).begin() as session:
        load_plan(
            session,
            plan_file=plan,
            sha256="x",
            now=dt.datetime(2023, 3, 1, tzinfo=dt.UTC),
            calendar=WorkCalendar(),
            support_lead_workdays=3,
        )
    sweep(
        session_factory(empty_engine),
        now=dt.datetime(2023, 6, 20, 1, 30, tzinfo=dt.UTC),
        book=ChannelBook(),
        config=SweepConfig(calendar=WorkCalendar(), dashboard_url="http://x"),
        worker="t",
    )

    def counts() -> tuple[int, ...]:
        """Rows of every table the old schema knows; digests (0007) are dropped by a downgrade past them."""
        kept = select(OutboxMessage.id).where(OutboxMessage.digest_key.is_(None))
        with session_factory(empty_engine)() as session:
            return tuple(
                session.scalar(query) or 0
                for query in (
                    select(func.count()).select_from(Occurrence),
                    select(func.count()).select_from(Contact),
                    select(func.count()).where(OutboxMessage.id.in_(kept)),
                    select(func.count()).where(DeliveryAttempt.outbox_id.in_(kept)),
                    select(func.count()).where(InboxMessage.outbox_id.in_(kept)),
                )
            )

    before = counts()
    digests = select(OutboxMessage.id).where(OutboxMessage.digest_key.is_not(None))
    with session_factory(empty_engine)() as session:
        received_digests = session.scalar(select(func.count()).where(InboxMessage.outbox_id.in_(digests)))
    assert before[2] > 100 and before[3] == before[2] and before[4] == before[2]
    migrate(empty_engine, "0002", downgrade=True)  # back before the outbox and contact columns changed
    migrate(empty_engine)
    assert counts() == before
    with empty_engine.connect() as conn:
        # A digest someone received stays in their inbox, no longer tied to the dropped message.
        orphans = conn.execute(text("SELECT count(*) FROM inbox_messages WHERE outbox_id IS NULL")).scalar_one()
        assert orphans == received_digests
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1  # enforced again afterwards


def test_the_last_event_of_each_occurrence_is_filled_in_from_its_trail(empty_engine: Engine) -> None:
    """0012's backfill: `last_event_at` is the latest moment of the trail (even one written out of order), and
    stays empty for an occurrence never changed."""
    import datetime as dt

    from sqlalchemy import select

    from models import Occurrence
    from models.db import session_factory
    from models.migrate import migrate
    from tasks.calendar.workdays import WorkCalendar
    from tasks.duties.statuses import Action, transition
    from tasks.plans.file import read_plan_file
    from tasks.plans.loading import load_plan

    from .conftest import SEED_PLAN

    migrate(empty_engine)
    plan = read_plan_file(SEED_PLAN).plan
    assert plan is not None
    later, earlier = dt.datetime(2023, 7, 1, 2, tzinfo=dt.UTC), dt.datetime(2023, 6, 1, 2, tzinfo=dt.UTC)
    with session_factory(empty_engine).begin() as session:
        load_plan(
            session,
            plan_file=plan,
            sha256="x",
            now=dt.datetime(2023, 3, 1, tzinfo=dt.UTC),
            calendar=WorkCalendar(),
            support_lead_workdays=3,
        )
        first, second = session.scalars(select(Occurrence).where(Occurrence.status == "open").limit(2)).all()
        transition(session, occurrence=first, action=Action.SUBMIT, actor="a", now=later)
        transition(session, occurrence=first, action=Action.REJECT, actor="a", now=earlier)
        ids = first.id, second.id
    migrate(empty_engine, "0011", downgrade=True)
    migrate(empty_engine)
    with session_factory(empty_engine)() as session:
        query = select(Occurrence.id, Occurrence.last_event_at).where(Occurrence.id.in_(ids))
        found = {row[0]: row[1] for row in session.execute(query)}
    assert found == {ids[0]: later, ids[1]: None}
