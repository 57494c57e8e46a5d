"""Sweep cost against table size and against what is owed: digests included, no window of due dates.

    .venv/bin/python -m bench.sweep_scale [--database sqlite|postgresql] [--sizes 10000,100000,1000000]

Each table holds exactly 1,000 open occurrences due today (a reminder each) and OWED open occurrences
overdue for years (their top rung and a digest each morning that one is due), the rest closed. One real
sweep (`tasks.reminders.sweep.sweep`: generating, the ladder, digests, delivering to the inbox) is timed
on an emptied outbox at each size; then, at the largest size, with twice as many owed. Goals: the cost
follows what is owed, not the table (largest/smallest size <= 2) and grows with it (doubling owed: ~2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from bench.common import fresh_database, load_seed, timed
from models import Body, Contact, Duty, Occurrence, OutboxMention, OutboxMessage, Plan
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.workdays import WorkCalendar
from tasks.reminders.config import SweepConfig, SweepReport
from tasks.reminders.sweep import sweep

NOW = dt.datetime(2023, 6, 20, 1, 30, tzinfo=dt.UTC)  # 08:30 in Trà Cú, a Tuesday
DUE_TODAY, OWED = 1000, 2000


def fill(engine: Engine, total: int) -> None:
    """`total` occurrences: DUE_TODAY open due today, OWED open overdue since 2019-2021, the rest closed."""
    rng = random.Random(total)
    with session_factory(engine).begin() as session:
        plan = session.scalars(select(Plan)).one()
        duty = session.scalars(select(Duty).join(Body).where(Body.code == "tuphap")).first()
        assert duty is not None
        session.execute(delete(Occurrence))
        rows = []
        for i in range(total):
            old = dt.date(2010 + rng.randrange(12), 1 + rng.randrange(12), 1)
            due = NOW.date() if i < DUE_TODAY else old.replace(year=2019 + i % 3) if i < DUE_TODAY + OWED else old
            status = "open" if i < DUE_TODAY + OWED else rng.choice(["accepted", "waived", "submitted"])
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
                    "status": status,
                    "submitted_at": None,
                    "status_changed_at": NOW,
                    "created_at": NOW,
                    "live_since": None,
                    "live_round": 0,
                }
            )
            if len(rows) == 20_000:
                session.execute(insert(Occurrence), rows)
                rows = []
        if rows:
            session.execute(insert(Occurrence), rows)
        told_long_ago(session, plan.id)


def told_long_ago(session: Session, plan_id: int) -> None:
    """The owed ones climbed their ladder years ago: their top rung is in the outbox, named in 2021."""
    focal = session.scalars(select(Contact.id).where(Contact.code == "tuphap-focal")).one()
    owed = list(
        session.scalars(select(Occurrence.id).where(Occurrence.status == "open", Occurrence.due_on < NOW.date()))
    )
    then = dt.datetime(2021, 1, 4, 1, 0, tzinfo=dt.UTC)
    rows = [
        {
            "plan_id": plan_id,
            "occurrence_id": occ_id,
            "body_id": None,
            "contact_id": focal,
            "step": "escalate-3",
            "round": 0,
            "channel_ref": "contacts:tuphap.focal",
            "subject": "s",
            "body_text": "t",
            "body_html": "h",
            "chat_text": "c",
            "status": "sent",
            "not_before": then,
            "attempts": 1,
            "created_at": then,
            "sent_at": then,
        }
        for occ_id in owed
    ]
    for start in range(0, len(rows), 5000):
        ids = session.scalars(insert(OutboxMessage).returning(OutboxMessage.id), rows[start : start + 5000]).all()
        session.execute(
            insert(OutboxMention),
            [{"outbox_id": i, "occurrence_id": o} for i, o in zip(ids, owed[start : start + 5000], strict=True)],
        )


def one_sweep(engine: Engine, config: SweepConfig) -> tuple[float, SweepReport]:
    make = session_factory(engine)
    with make.begin() as session:  # today's messages go; what was told in 2021 stays
        session.execute(delete(OutboxMessage).where(OutboxMessage.created_at >= NOW - dt.timedelta(days=1)))
    report, seconds = timed(
        lambda: sweep(make, now=NOW, book=ChannelBook(), config=config, worker="bench", body_code="tuphap")
    )
    return seconds, report


def measured(engine: Engine, config: SweepConfig, label: str) -> tuple[float, int]:
    with session_factory(engine)() as session:
        count = session.scalar(select(func.count()).select_from(Occurrence)) or 0
        owed = session.scalar(select(func.count()).where(Occurrence.status == "open")) or 0
    one_sweep(engine, config)  # warm caches and templates once
    seconds, report = one_sweep(engine, config)
    print(
        f"{label:10} {count:>9,} occurrences, {owed:>5,} owed: {report.queued:,} steps and {report.digests} "
        f"digests queued, {report.sent:,} sent, sweep {seconds:6.3f} s",
        flush=True,
    )
    return seconds, owed


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
            print(f"{args.database:10} filled {size:,} in {fill_seconds:.1f} s", flush=True)
            results[size], owed_before = measured(engine, config, args.database)
        with session_factory(engine).begin() as session:  # twice as many owed, same table
            more = select(Occurrence.id).where(Occurrence.status != "open").limit(OWED).scalar_subquery()
            session.execute(
                update(Occurrence).where(Occurrence.id.in_(more)).values(status="open", due_on=dt.date(2020, 3, 2))
            )
            session.execute(delete(OutboxMessage))
            told_long_ago(session, session.scalars(select(Plan.id)).one())
        doubled, owed_after = measured(engine, config, args.database)
    smallest, largest = min(results), max(results)
    ratio = results[largest] / results[smallest]
    print(f"ratio {largest:,}/{smallest:,} occurrences, same owed: {ratio:.2f} (goal <= 2)")
    print(f"ratio {owed_after:,}/{owed_before:,} owed, same table: {doubled / results[largest]:.2f}")


if __name__ == "__main__":
    main()
