"""Sweep cost against table size: the same 1,000 due steps among 10k, 100k and 1M occurrences.

    .venv/bin/python -m bench.sweep_scale [--database sqlite|postgresql] [--sizes 10000,100000,1000000]

Prints the time of one sweep (queueing, then delivering to the inbox) at each size, and the ratio of the
largest to the smallest. Goal: ratio <= 2, and <= 2 s at 1M on SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select

from bench.common import fresh_database, load_seed, timed
from models import Body, Duty, Occurrence, OutboxMessage, Plan
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.workdays import WorkCalendar
from tasks.reminders.due_steps import find_due_steps
from tasks.reminders.sweep import SweepConfig, deliver, queue_due_steps

NOW = dt.datetime(2023, 6, 20, 1, 30, tzinfo=dt.UTC)  # 08:30 in Trà Cú, a Tuesday
DUE_STEPS = 1000


def fill(engine: Engine, total: int) -> None:
    """`total` occurrences: exactly DUE_STEPS open ones due today (remind-0), the rest spread over other years."""
    rng = random.Random(total)
    with session_factory(engine).begin() as session:
        plan = session.scalars(select(Plan)).one()
        duty = session.scalars(select(Duty).join(Body).where(Body.code == "tuphap")).first()
        assert duty is not None
        session.execute(delete(Occurrence))
        rows = []
        for i in range(total):
            due = NOW.date() if i < DUE_STEPS else dt.date(2010 + rng.randrange(12), 1 + rng.randrange(12), 1)
            if i >= DUE_STEPS and due.year in (2022, 2023):
                due = due.replace(year=2019)
            rows.append(
                {
                    "plan_id": plan.id,
                    "duty_id": duty.id,
                    "body_id": duty.body_id,
                    "unit_id": None,
                    "parent_id": None,
                    "key": f"bench/{i}",
                    "role": "own",
                    "period": "2023-H1",
                    "period_kind": "H1",
                    "period_start": due - dt.timedelta(days=180),
                    "period_end": due - dt.timedelta(days=6),
                    "due_on": due,
                    "status": "open" if i < DUE_STEPS else rng.choice(["accepted", "open", "waived"]),
                    "submitted_at": None,
                    "status_changed_at": NOW,
                    "created_at": NOW,
                }
            )
            if len(rows) == 20_000:
                session.execute(insert(Occurrence), rows)
                rows = []
        if rows:
            session.execute(insert(Occurrence), rows)


def one_sweep(engine: Engine, config: SweepConfig) -> tuple[float, float, int]:
    make = session_factory(engine)
    with make.begin() as session:
        session.execute(delete(OutboxMessage))

    def queue() -> int:
        with make.begin() as session:
            plan = session.scalars(select(Plan)).one()
            due = find_due_steps(session, plan=plan, now=NOW, calendar=config.calendar, lookback_days=45)
            return queue_due_steps(session, plan=plan, due=due, now=NOW, config=config)

    queued, queue_seconds = timed(queue)
    _, deliver_seconds = timed(lambda: deliver(make, now=NOW, worker="bench", book=ChannelBook(), config=config))
    return queue_seconds, deliver_seconds, queued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://127.0.0.1:8000", concurrency=50)
    results = {}
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database, Path(folder)) as engine:
        load_seed(engine)
        for size in sizes:
            _, fill_seconds = timed(partial(fill, engine, size))
            with session_factory(engine)() as session:
                count = session.scalar(select(func.count()).select_from(Occurrence))
            one_sweep(engine, config)  # warm caches and templates once per size
            queue_s, deliver_s, queued = one_sweep(engine, config)
            results[size] = queue_s + deliver_s
            print(
                f"{args.database:10} {count:>9,} occurrences (filled in {fill_seconds:5.1f} s): "
                f"{queued} steps queued in {queue_s:6.3f} s, delivered in {deliver_s:6.3f} s, "
                f"sweep {queue_s + deliver_s:6.3f} s",
                flush=True,
            )
    smallest, largest = min(results), max(results)
    print(f"ratio {largest:,}/{smallest:,}: {results[largest] / results[smallest]:.2f} (goal <= 2)")


if __name__ == "__main__":
    main()
