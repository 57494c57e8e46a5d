"""Fault bench: the chasing scenarios that real operation hits, each with lost, duplicate and stuck counts.

    .venv/bin/python -m bench.faults [--database sqlite|postgresql] [--only NAME,...]

Every scenario runs on a fresh database with the seed plan, against real receivers on loopback (an HTTP
webhook and, for the serve scenario, real servers). Each line counts, at the receivers:
lost (outbox rows that never arrived), duplicates (copies beyond the first) and stuck (rows held by a
sweep past its lease at the end). The baseline line is the same sweep with no fault at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from bench.common import ROOT, fresh_database, load_seed
from dutyflow.serving import free_port
from models import Contact, Occurrence, OutboxMessage
from models.db import session_factory
from notifications.channels import ChannelBook, load_channel_book
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.actions import record_funding
from tasks.reminders.config import SweepConfig
from tasks.reminders.sweep import sweep
from tests.chasing_support import cli_sweep, contacts_file, identities, quiet_days, simulated_year
from tests.receivers import Hook, http_receiver

VN = dt.timezone(dt.timedelta(hours=7))
MOMENT = "2023-06-20T08:00"
Row = dict[str, object]


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN).astimezone(dt.UTC)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _book(engine: Engine, contacts: Path) -> ChannelBook:
    with session_factory(engine)() as session:
        pairs = [(c.code, c.channel_ref) for c in session.scalars(select(Contact).where(Contact.active))]
    book, issues = load_channel_book(pairs, contacts_file=contacts, environ={})
    assert not issues, issues
    return book


def _counts(engine: Engine, hook: Hook, lease_seconds: int = 300) -> Row:
    copies = identities(hook)
    with session_factory(engine)() as session:
        rows = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        stuck_before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=lease_seconds)
        stuck = session.scalar(
            select(func.count()).where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < stuck_before)
        )
    return {
        "messages": rows,
        "lost": rows - len(copies),
        "duplicates": sum(copies.values()) - len(copies),
        "stuck": stuck or 0,
    }


def baseline(engine: Engine, folder: Path) -> Row:
    with http_receiver() as (port, hook):
        book = _book(engine, contacts_file(folder, [f"json://127.0.0.1:{port}/hook"]))
        config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://127.0.0.1:8000")
        sweep(session_factory(engine), now=_at(MOMENT), book=book, config=config, worker="bench")
        return _counts(engine, hook)


def dead_address(engine: Engine, folder: Path) -> Row:
    """Every contact has a live webhook and a dead one; five tries, no wait between them."""
    dead = f"json://127.0.0.1:{free_port()}/hook"
    with http_receiver() as (port, hook):
        book = _book(engine, contacts_file(folder, [f"json://127.0.0.1:{port}/hook", dead]))
        config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://x", backoff=dt.timedelta(0))
        sweep(session_factory(engine), now=_at(MOMENT), book=book, config=config, worker="bench")
        found = _counts(engine, hook)
    with session_factory(engine)() as session:
        found["partly sent"] = session.scalar(select(func.count()).where(OutboxMessage.status == "partial"))
    return found


def overlapping_replays(engine: Engine, folder: Path) -> Row:
    """A catch-up replaying 08:00 and the scheduled sweep at 08:10, at once, in two processes."""
    with http_receiver(delay=0.02) as (port, hook):
        contacts = contacts_file(folder, [f"json://127.0.0.1:{port}/hook"])
        runs = [
            cli_sweep(_url(engine), contacts, m, DUTYFLOW_DELIVERY_CONCURRENCY="4")
            for m in (MOMENT, MOMENT[:-2] + "10")
        ]
        for process in runs:
            process.communicate(timeout=600)
        return _counts(engine, hook)


def killed_sweep(engine: Engine, folder: Path) -> Row:
    """kill -9 while messages are in flight, an immediate rerun (the 300 s lease holds), then one that takes
    the dead sweep's messages back (a 1 s lease, as if it had run out)."""
    settings = {"DUTYFLOW_DELIVERY_CONCURRENCY": "2", "DUTYFLOW_CLAIM_LEASE_SECONDS": "300"}
    with http_receiver(delay=0.2) as (port, hook):
        contacts = contacts_file(folder, [f"json://127.0.0.1:{port}/hook"])
        victim = cli_sweep(_url(engine), contacts, MOMENT, **settings)
        while sum(identities(hook).values()) < 10 or not hook.in_flight:
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=60)
        fast = {**settings, "DUTYFLOW_DELIVERY_CONCURRENCY": "50"}
        cli_sweep(_url(engine), contacts, MOMENT[:-2] + "30", **fast).communicate(timeout=600)
        with session_factory(engine)() as session:
            held = session.scalar(select(func.count()).where(OutboxMessage.status == "sending"))
        time.sleep(1.5)
        fast["DUTYFLOW_CLAIM_LEASE_SECONDS"] = "1"
        cli_sweep(_url(engine), contacts, MOMENT[:-2] + "31", **fast).communicate(timeout=600)
        return {**_counts(engine, hook, 1), "held by the dead sweep": held}


def quiet_year(engine: Engine, folder: Path) -> Row:
    """A simulated year with 2 % of duties submitted each day: overdue days with no message in 5 working days."""
    calendar = WorkCalendar()
    start, end = dt.date(2023, 2, 24), dt.date(2023, 12, 29)
    simulated_year(engine, start=start, end=end, submit_rate=0.02, seed=3)
    with session_factory(engine)() as session:
        checked, quiet = quiet_days(session, calendar=calendar, start=start, end=end, every=5)
        digests = session.scalar(select(func.count()).where(OutboxMessage.step.like("digest-%")))
    return {"overdue duty-days": checked, "quiet (none in 5 working days)": len(quiet), "digests": digests}


def late_funding(engine: Engine, folder: Path) -> Row:
    """tckh-1 funded on 05/07/2023, after its deadline of 20/06: whom its first messages go to."""
    config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://x")
    with session_factory(engine).begin() as session:
        record_funding(session, duty_code="tckh-1", amount=10**9, actor="bench", now=_at("2023-07-05T09:00"))
    sweep(
        session_factory(engine),
        now=_at("2023-07-05T10:00"),
        book=ChannelBook(),
        config=config,
        worker="bench",
        body_code="tckh",
    )
    with session_factory(engine)() as session:
        first = session.execute(
            select(OutboxMessage.step, Contact.code)
            .join(Contact, Contact.id == OutboxMessage.contact_id)
            .join(Occurrence, Occurrence.id == OutboxMessage.occurrence_id)
            .where(Occurrence.key.like("tckh-1/%"))
        ).all()
    return {"first messages": ", ".join(f"{step} → {code}" for step, code in first)}


def second_serve(engine: Engine, folder: Path) -> Row:
    """A second `dutyflow serve` on the first one's Prefect port."""
    port, web = free_port(), free_port()
    env = {
        **os.environ,
        "DUTYFLOW_DATABASE_URL": _url(engine),
        "DUTYFLOW_WEB_SECRET_FILE": str(folder / "secret"),
        "DUTYFLOW_PREFECT_PORT": str(port),
        "DUTYFLOW_WEB_PORT": str(web),
    }
    env.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "dutyflow.cli.app", "serve", "--prefect-home"]
    first = subprocess.Popen(
        [*command, str(folder / "pf1")], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert first.stdout is not None
        for _ in range(4):
            first.stdout.readline()
        started = time.monotonic()
        second = subprocess.run(
            [*command, str(folder / "pf2")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**env, "DUTYFLOW_WEB_PORT": str(free_port())},
            timeout=120,
        )
        refused_in = time.monotonic() - started
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/deployments/filter",
            data=b"{}",
            method="POST",
            headers={"content-type": "application/json"},
        )
        time.sleep(2)
        with urllib.request.urlopen(request, timeout=10) as answer:
            paused = sum(bool(d["paused"]) for d in json.load(answer))
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    return {
        "second exit code": second.returncode,
        "refused in s": round(refused_in, 1),
        "first's deployments paused": paused,
        "says": (second.stderr or second.stdout).strip()[:120],
    }


SCENARIOS: dict[str, Callable[[Engine, Path], Row]] = {
    "baseline": baseline,
    "dead-address": dead_address,
    "overlapping-replays": overlapping_replays,
    "killed-sweep": killed_sweep,
    "quiet-year": quiet_year,
    "late-funding": late_funding,
    "second-serve": second_serve,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--only", default=",".join(SCENARIOS))
    args = parser.parse_args()
    for name in args.only.split(","):
        with tempfile.TemporaryDirectory() as folder, fresh_database(args.database, Path(folder)) as engine:
            load_seed(engine)
            started = time.perf_counter()
            found = SCENARIOS[name](engine, Path(folder))
            figures = ", ".join(f"{k} {v}" for k, v in found.items())
            print(f"{args.database:10} {name:20} {figures} ({time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
