"""What the chasing tests and `bench.faults` share: sweeps in their own processes, what a receiver got, and
the check that no overdue duty went quiet."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Occurrence, OutboxMention, OutboxMessage, StatusEvent
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import OWED_STATUSES, Status
from tasks.reminders.config import SweepConfig
from tasks.reminders.simulate import SWEEP_AT, SimulationResult, simulate

from .conftest import ROOT, SEED_PLAN
from .receivers import Hook

VN = dt.timezone(dt.timedelta(hours=7))


def contacts_file(folder: Path, urls: list[str]) -> Path:
    """A contacts file that sends every contact of the seed plan to `urls`."""
    keys = sorted(set(re.findall(r'"contacts:([a-z0-9.-]+)"', SEED_PLAN.read_text(encoding="utf-8"))))
    path = folder / f"contacts-{len(list(folder.glob('contacts-*')))}.yaml"
    path.write_text("".join(f"{key}: {json.dumps(urls)}\n" for key in keys), encoding="utf-8")
    return path


def cli_sweep(database_url: str, contacts: Path, moment: str, **extra: str) -> subprocess.Popen[str]:
    """`dutyflow sweep --as-of MOMENT` in a process of its own."""
    env = {**os.environ, "DUTYFLOW_DATABASE_URL": database_url, "DUTYFLOW_CONTACTS_FILE": str(contacts), **extra}
    return subprocess.Popen(
        [sys.executable, "-m", "dutyflow.cli.app", "sweep", "--as-of", moment, "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def identities(hook: Hook) -> Counter[tuple[str, str, str]]:
    """What identifies one outbox row at the receiver: its subject (step), addressee and first link."""
    with hook.lock:
        return Counter((m["title"], m["message"].splitlines()[0], _link(m["message"])) for m in hook.received)


def _link(text: str) -> str:
    found = re.search(r"/occurrences/(\d+)", text)
    assert found, text
    return found.group(1)


def simulated_year(engine: Engine, *, start: dt.date, end: dt.date, submit_rate: float, seed: int) -> SimulationResult:
    """The seed plan played from `start` to `end`: a sweep each working morning, submissions at random."""
    config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://127.0.0.1:8000")
    return simulate(
        session_factory(engine),
        start=start,
        end=end,
        submit_rate=submit_rate,
        seed=seed,
        book=ChannelBook(),
        config=config,
        worker="sim",
    )


def status_at(initial: str, events: list[StatusEvent], moment: dt.datetime) -> Status:
    """An occurrence's status at `moment`, replayed from its audit trail."""
    status = Status(events[0].from_status) if events else Status(initial)
    for event in events:
        if event.at <= moment:
            status = Status(event.to_status)
    return status


def quiet_days(
    session: Session, *, calendar: WorkCalendar, start: dt.date, end: dt.date, every: int
) -> tuple[int, list[tuple[str, dt.date]]]:
    """Each working morning from `start` to `end`, every occurrence owed past its deadline must have been named
    in a message within the `every` working days before: (duty-days checked, those that went quiet)."""
    named: dict[int, set[dt.date]] = {}
    for occurrence_id, created in session.execute(
        select(OutboxMention.occurrence_id, OutboxMessage.created_at).join(
            OutboxMessage, OutboxMessage.id == OutboxMention.outbox_id
        )
    ):
        named.setdefault(occurrence_id, set()).add(created.astimezone(VN).date())
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    sweeps = [d for d in days if calendar.is_working_day(d)]
    checked, quiet = 0, []
    for occurrence in session.scalars(select(Occurrence)):
        events = sorted(occurrence.events, key=lambda e: e.id)
        for day in sweeps:
            if occurrence.due_on >= day:
                continue
            morning = dt.datetime.combine(day, SWEEP_AT, tzinfo=VN)
            if status_at(occurrence.status, events, morning) not in OWED_STATUSES:
                continue
            checked += 1
            since = calendar.add_workdays(day, -every)
            if not any(since <= d <= day for d in named.get(occurrence.id, ())):
                quiet.append((occurrence.key, day))
    return checked, quiet
