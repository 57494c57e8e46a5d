"""What one plan-year costs on PostgreSQL: rows and bytes per table after a simulated year of the seed plan.

    .venv/bin/python -m bench.sizing [--submit-rate 0.15]

Loads the seed plan (17 bodies, 17 commune units) in a fresh PostgreSQL schema, plays its year (a sweep each
working morning with every reminder, escalation and digest delivered to the inbox, submissions at random),
then prints each table's rows and total size (indexes and TOAST included) and the totals per occurrence, the
figures docs/scaling.md multiplies out to a province and to the country.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy import func, select, text

from bench.common import fresh_database, load_seed, timed
from models import Occurrence
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.workdays import WorkCalendar
from tasks.reminders.config import SweepConfig
from tasks.reminders.simulate import simulate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submit-rate", type=float, default=0.15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database("postgresql", Path(folder)) as engine:
        load_seed(engine)
        config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://127.0.0.1:8000")
        result, seconds = timed(
            lambda: simulate(
                session_factory(engine),
                start=dt.date(2023, 2, 24),
                end=dt.date(2023, 12, 31),
                submit_rate=args.submit_rate,
                seed=3,
                book=ChannelBook(),
                config=config,
                worker="bench",
            )
        )
        print(f"a year of the seed plan simulated in {seconds:.1f} s: {result}")
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            schema = conn.scalar(text("select current_schema()"))
            tables = conn.execute(
                text(
                    "select c.relname, pg_total_relation_size(c.oid) from pg_class c join pg_namespace n "
                    "on n.oid = c.relnamespace where n.nspname = :schema and c.relkind = 'r' order by 2 desc"
                ),
                {"schema": schema},
            ).all()
            occurrences = conn.scalar(select(func.count()).select_from(Occurrence)) or 1
            total = 0
            for name, size in tables:
                rows = conn.scalar(text(f'select count(*) from "{name}"'))
                total += size
                if rows:
                    print(f"  {name:28} {rows:>8} rows {size / 1024:>9.0f} KiB")
        print(
            f"{len(tables)} tables, {total / 1024 / 1024:.1f} MiB for {occurrences} occurrences: "
            f"{total / occurrences / 1024:.1f} KiB per occurrence-year (all tables, indexes included)"
        )


if __name__ == "__main__":
    main()
