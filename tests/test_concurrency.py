"""Real processes against a real database: concurrent sweeps send nothing twice; a killed sweep loses nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import OutboxMessage

from .conftest import ROOT, SEED_PLAN, Run
from .receivers import Hook, http_receiver

MOMENT = "2023-06-20T08:00"  # the H1 deadline: most bodies owe something that day


def _contacts_file(tmp_path: Path, port: int) -> Path:
    keys = sorted(set(re.findall(r'"contacts:([a-z0-9.-]+)"', SEED_PLAN.read_text(encoding="utf-8"))))
    path = tmp_path / "contacts.yaml"
    path.write_text("".join(f"{key}: ['json://127.0.0.1:{port}/hook']\n" for key in keys), encoding="utf-8")
    return path


def _sweep(database_url: str, contacts: Path, moment: str, **extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DUTYFLOW_DATABASE_URL": database_url, "DUTYFLOW_CONTACTS_FILE": str(contacts), **extra}
    return subprocess.Popen(
        [sys.executable, "-m", "dutyflow.cli.app", "sweep", "--as-of", moment, "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _identities(hook: Hook) -> Counter[tuple[str, str, str]]:
    """What identifies one outbox row at the receiver: its subject (step), addressee and occurrence link."""
    with hook.lock:
        return Counter((m["title"], m["message"].splitlines()[0], _link(m["message"])) for m in hook.received)


def _link(text: str) -> str:
    found = re.search(r"/occurrences/(\d+)", text)
    assert found, text
    return found.group(1)


def test_two_sweeps_at_once_send_every_message_exactly_once(
    cli: Run, database_url: str, db: Session, tmp_path: Path
) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    with http_receiver(delay=0.02) as (port, hook):
        contacts = _contacts_file(tmp_path, port)
        runs = [_sweep(database_url, contacts, MOMENT, DUTYFLOW_DELIVERY_CONCURRENCY="4") for _ in range(2)]
        for process in runs:
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        seen = _identities(hook)
    rows = db.scalar(select(func.count()).select_from(OutboxMessage))
    assert rows and rows > 50
    assert sum(seen.values()) == len(seen) == rows  # every row arrived, none twice
    assert db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")) == 0


def test_a_sweep_killed_mid_delivery_loses_nothing_and_resends_at_most_what_was_in_flight(
    cli: Run, database_url: str, db: Session, tmp_path: Path
) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    concurrency = 2
    with http_receiver(delay=0.2) as (port, hook):
        contacts = _contacts_file(tmp_path, port)
        settings = {"DUTYFLOW_DELIVERY_CONCURRENCY": str(concurrency), "DUTYFLOW_CLAIM_LEASE_SECONDS": "60"}
        victim = _sweep(database_url, contacts, MOMENT, **settings)
        deadline = time.monotonic() + 120
        while sum(_identities(hook).values()) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
        assert victim.returncode == -signal.SIGKILL
        received_before = sum(_identities(hook).values())
        rerun_settings = {**settings, "DUTYFLOW_DELIVERY_CONCURRENCY": "20"}
        rerun = _sweep(database_url, contacts, "2023-06-20T08:02", **rerun_settings)  # the dead sweep's lease is over
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        seen = _identities(hook)
    rows = db.scalar(select(func.count()).select_from(OutboxMessage))
    assert rows is not None and 10 <= received_before < rows  # it really died part way
    assert len(seen) == rows  # nothing lost
    assert sum(seen.values()) - len(seen) <= concurrency  # at most the messages in flight went twice
    assert db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")) == 0
