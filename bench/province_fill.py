"""A province's database for the benchmarks: copies of the seed plan and a million occurrences with a history.

Each copy of the seed plan gets its own code and number, and so its own bodies and communes. The occurrences
spread over every plan's duties from 2014 to next year, each with the audit trail a real one would have:
submitted on time or late and accepted, returned and resubmitted, suspended and resumed, waived, or left
open (about 3 % of those past due). Rows go in through COPY on PostgreSQL and executemany on SQLite.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, delete, func, select, text

from bench.common import ROOT
from models import Duty, Occurrence, Unit
from models.db import session_factory
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.file import read_plan_file
from tasks.plans.loading import load_plan

START = dt.date(2014, 1, 1)
CREATED = dt.datetime(2013, 12, 1, tzinfo=dt.UTC)
OCC_COLUMNS = [
    "id",
    "plan_id",
    "duty_id",
    "body_id",
    "unit_id",
    "key",
    "role",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "due_on",
    "status",
    "submitted_at",
    "status_changed_at",
    "created_at",
    "live_since",
    "live_round",
    "last_event_at",
]
EVENT_COLUMNS = ("id", "occurrence_id", "at", "actor", "from_status", "to_status")
Event = tuple[dt.datetime, str, str]


def load_plans(engine: Engine, count: int) -> None:
    """`count` copies of the seed plan; the occurrences the loader makes are dropped (the fill makes its own)."""
    read = read_plan_file(ROOT / "plans" / "tra-cu-2023.yaml")
    seed = read.plan
    assert seed is not None
    started = time.perf_counter()
    for n in range(count):
        header = seed.plan.model_copy(update={"code": f"{seed.plan.code}-p{n:03}", "number": f"{n}/{seed.plan.number}"})
        with session_factory(engine).begin() as session:
            load_plan(
                session,
                plan_file=seed.model_copy(update={"plan": header}),
                sha256=read.sha256,
                now=dt.datetime(2023, 2, 24, tzinfo=dt.UTC),
                calendar=WorkCalendar(),
                support_lead_workdays=3,
            )
            session.execute(delete(Occurrence))
        if (n + 1) % 10 == 0 or n + 1 == count:
            print(
                f"  {n + 1}/{count} plans loaded ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True
            )


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(1 + rng.randrange(10), rng.randrange(60)), tzinfo=dt.UTC)


def history(due: dt.date, rng: random.Random, today: dt.date) -> list[Event]:
    """The events of one occurrence as (at, from, to); cut at today (what has not happened yet is dropped)."""
    days = dt.timedelta
    roll = rng.random()
    if due >= today and roll > 0.1:
        events: list[Event] = []
    elif due >= today:  # handed in early
        events = [(_at(due - days(rng.randrange(1, 10)), rng), "open", "submitted")]
    elif roll < 0.015:  # still open, never touched
        events = []
    elif roll < 0.03:  # returned and never handed in again
        events = [(_at(due - days(2), rng), "open", "submitted"), (_at(due + days(5), rng), "submitted", "rejected")]
    elif roll < 0.05:
        events = [(_at(due + days(rng.randrange(30)), rng), "open", "waived")]
    elif roll < 0.08:  # returned, then done properly
        again = due + days(rng.randrange(10, 90))
        events = [
            (_at(due - days(3), rng), "open", "submitted"),
            (_at(due + days(4), rng), "submitted", "rejected"),
            (_at(again, rng), "rejected", "submitted"),
            (_at(again + days(5), rng), "submitted", "accepted"),
        ]
    elif roll < 0.10:  # suspended, resumed, done late
        back = due + days(rng.randrange(10, 120))
        events = [
            (_at(due - days(30), rng), "open", "suspended"),
            (_at(back, rng), "suspended", "open"),
            (_at(back + days(20), rng), "open", "submitted"),
            (_at(back + days(25), rng), "submitted", "accepted"),
        ]
    else:  # on time or late, then accepted
        handed = due + days(rng.randrange(-20, 40))
        events = [
            (_at(handed, rng), "open", "submitted"),
            (_at(handed + days(rng.randrange(1, 10)), rng), "submitted", "accepted"),
        ]
    return [e for e in events if e[0].date() < today]


def rows(engine: Engine, total: int, today: dt.date) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Each occurrence's row with its events' rows, spread over every plan's duties."""
    rng = random.Random(total)
    with session_factory(engine)() as session:
        duties = list(session.execute(select(Duty.id, Duty.body_id, Duty.plan_id)))
        units: dict[int, list[int]] = {}
        for unit_id, body_id in session.execute(select(Unit.id, Unit.body_id)):
            units.setdefault(body_id, []).append(unit_id)
    span = (today - START).days + 365
    event_id = 0
    for i in range(total):
        duty_id, body_id, plan_id = duties[i % len(duties)]
        due = START + dt.timedelta(days=rng.randrange(span))
        events = history(due, rng, today)
        status, submitted, live_since, live_round = "open", None, CREATED, 0
        for at, _, target in events:
            status = target
            if target == "submitted":
                submitted = at
            if target in ("open", "rejected"):
                live_since, live_round = at, live_round + 1
        last = events[-1][0] if events else None
        unit = rng.choice(units[body_id]) if body_id in units else None
        occ = (
            i + 1,
            plan_id,
            duty_id,
            body_id,
            unit,
            f"bench/{i}",
            "own",
            f"{due.year}-H1",
            "H1",
            due - dt.timedelta(days=180),
            due - dt.timedelta(days=6),
            due,
            status,
            submitted,
            last or CREATED,
            CREATED,
            live_since if status in ("open", "rejected") else None,
            live_round,
            last,
        )
        trail = []
        for at, source, target in events:
            event_id += 1
            trail.append((event_id, i + 1, at, "bench", source, target))
        yield occ, trail


def fill(engine: Engine, total: int, today: dt.date) -> tuple[int, int]:
    """Writes `total` occurrences and their trails; returns (occurrences, events). Shows progress."""
    connection = engine.raw_connection()
    started, events = time.perf_counter(), 0
    try:
        cursor = connection.cursor()
        if engine.dialect.name == "postgresql":
            events = _copy(cursor, rows(engine, total, today), total, started)
            for table in ("occurrences", "status_events"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        else:
            cursor.execute("BEGIN")  # the driver is left in autocommit: one transaction, not one per row
            events = _insert(cursor, rows(engine, total, today), total, started)
        connection.commit()
    finally:
        connection.close()
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":  # what autovacuum does after a load this size
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()
    return total, events


def _progress(done: int, total: int, started: float) -> None:
    if done % 100_000 == 0 or done == total:
        print(
            f"  {done:,}/{total:,} occurrences written ({time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )


def _copy(
    cursor: Any, source: Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]], total: int, started: float
) -> int:
    """COPY in chunks of 50,000 occurrences, each followed by its events (the trail points at them)."""
    occs: list[tuple[Any, ...]] = []
    trails: list[tuple[Any, ...]] = []
    count = 0
    for n, (occ, trail) in enumerate(source, 1):
        occs.append(occ)
        trails.extend(trail)
        if len(occs) == 50_000 or n == total:
            for table, columns, chunk in (("occurrences", OCC_COLUMNS, occs), ("status_events", EVENT_COLUMNS, trails)):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            count += len(trails)
            occs, trails = [], []
        _progress(n, total, started)
    return count


def _text(value: Any) -> Any:
    """SQLite's form of a moment (naive UTC text, as the UtcDateTime column writes it) and of a day."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat() if isinstance(value, dt.date) else value


def _insert(
    cursor: Any, source: Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]], total: int, started: float
) -> int:
    occ_sql = f"INSERT INTO occurrences ({', '.join(OCC_COLUMNS)}) VALUES ({', '.join('?' * len(OCC_COLUMNS))})"
    event_sql = f"INSERT INTO status_events ({', '.join(EVENT_COLUMNS)}, note) VALUES (?, ?, ?, ?, ?, ?, NULL)"
    occs: list[tuple[Any, ...]] = []
    trails: list[tuple[Any, ...]] = []
    count = 0
    for n, (occ, trail) in enumerate(source, 1):
        occs.append(tuple(_text(v) for v in occ))
        trails.extend(tuple(_text(v) for v in e) for e in trail)
        if len(occs) == 50_000 or n == total:
            cursor.executemany(occ_sql, occs)
            cursor.executemany(event_sql, trails)
            count += len(trails)
            occs, trails = [], []
        _progress(n, total, started)
    return count


def overdue_today(engine: Engine, today: dt.date) -> int:
    with session_factory(engine)() as session:
        return (
            session.scalar(
                select(func.count()).where(Occurrence.status.in_(["open", "rejected"]), Occurrence.due_on < today)
            )
            or 0
        )
