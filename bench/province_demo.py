"""What the province demo costs: loading N province plans, then simulating a stretch of days over all of them.

    .venv/bin/python -m bench.province_demo [--database sqlite|postgresql] [--plans 1,10] [--to 2023-03-31]

For each N: wall and CPU seconds of `load_province_plans` (no demo accounts: their argon2 hashing is not the
plans' cost) and of `simulate` from the first plan's issue to `--to`, and the ratio of each against N=the first
size. Wall far above CPU means the run waited on the disk (a commit's fsync) or on a busy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from bench.common import fresh_database
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.workdays import WorkCalendar
from tasks.importing.province_sources import base_plans
from tasks.plans.province import issued_on, load_province_plans, make_province
from tasks.reminders.config import SweepConfig
from tasks.reminders.simulate import simulate

NOW = dt.datetime(2023, 1, 2, 1, 30, tzinfo=dt.UTC)


def measure(kind: str, count: int, until: dt.date) -> tuple[float, float, float, float, int]:
    with tempfile.TemporaryDirectory() as folder, fresh_database(kind, Path(folder)) as engine:
        calendar = WorkCalendar()
        wall, cpu = time.perf_counter(), time.process_time()
        with session_factory(engine).begin() as session:
            load_province_plans(
                session, bases=base_plans(), count=count, year=until.year, now=NOW, calendar=calendar,
                support_lead_workdays=3,
            )  # fmt: skip
        load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
        first = issued_on(make_province(year=until.year, seed=2023), count - 1)
        config = SweepConfig(calendar=calendar, dashboard_url="http://127.0.0.1:8000")
        wall, cpu = time.perf_counter(), time.process_time()
        played = simulate(
            session_factory(engine), start=first, end=until, submit_rate=0.2, seed=2023, book=ChannelBook(),
            config=config, worker="bench",
        )  # fmt: skip
        return load_wall, load_cpu, time.perf_counter() - wall, time.process_time() - cpu, played.sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--plans", default="1,10")
    parser.add_argument("--to", default="2023-03-31")
    args = parser.parse_args()
    until = dt.date.fromisoformat(args.to)
    sizes = [int(n) for n in args.plans.split(",")]
    print(f"{'plans':>5} {'load wall':>10} {'load cpu':>9} {'sim wall':>9} {'sim cpu':>8} {'sent':>7} {'x sim':>6}")
    base = None
    for count in sizes:
        load_wall, load_cpu, sim_wall, sim_cpu, sent = measure(args.database, count, until)
        base = base or sim_wall
        print(
            f"{count:>5} {load_wall:>9.1f}s {load_cpu:>8.1f}s {sim_wall:>8.1f}s {sim_cpu:>7.1f}s {sent:>7}"
            f" {sim_wall / base:>6.1f}"
        )


if __name__ == "__main__":
    main()
