"""Real processes against a real database: concurrent sweeps send nothing twice; a killed sweep loses nothing."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import OutboxMessage

from .chasing_support import cli_sweep, contacts_file, identities
from .conftest import SEED_PLAN, Run
from .receivers import http_receiver

MOMENT = "2023-06-20T08:00"  # the H1 deadline: most bodies owe something that day


@pytest.mark.parametrize(
    "moments",
    [(MOMENT, MOMENT), (MOMENT, "2023-06-20T08:10")],
    ids=["same-moment", "a-catch-up-replaying-08:00-beside-08:10"],
)
def test_two_sweeps_at_once_send_every_message_exactly_once(
    cli: Run, database_url: str, db: Session, tmp_path: Path, moments: tuple[str, str]
) -> None:
    """Each sweep's claims hold by the wall clock, whatever moment each one replays."""
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    with http_receiver(delay=0.02) as (port, hook):
        contacts = contacts_file(tmp_path, [f"json://127.0.0.1:{port}/hook"])
        runs = [cli_sweep(database_url, contacts, m, DUTYFLOW_DELIVERY_CONCURRENCY="4") for m in moments]
        for process in runs:
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        seen = identities(hook)
    rows = db.scalar(select(func.count()).select_from(OutboxMessage))
    assert rows and rows > 50
    assert sum(seen.values()) == len(seen) == rows  # every row arrived, none twice
    assert db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")) == 0


def _stuck(cli: Run, database_url: str, lease: str) -> list[dict[str, object]]:
    code, out, err = cli(
        "outbox", "list", "--stuck", "--json", database_url=database_url, DUTYFLOW_CLAIM_LEASE_SECONDS=lease
    )
    assert code == 0, err
    return list(json.loads(out)["messages"])


def test_a_sweep_killed_mid_delivery_loses_nothing_and_resends_at_most_what_was_in_flight(
    cli: Run, database_url: str, db: Session, tmp_path: Path
) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    concurrency = 2
    with http_receiver(delay=0.2) as (port, hook):
        contacts = contacts_file(tmp_path, [f"json://127.0.0.1:{port}/hook"])
        settings = {"DUTYFLOW_DELIVERY_CONCURRENCY": str(concurrency), "DUTYFLOW_CLAIM_LEASE_SECONDS": "300"}
        victim = cli_sweep(database_url, contacts, MOMENT, **settings)
        deadline = time.monotonic() + 120
        while (sum(identities(hook).values()) < 10 or not hook.in_flight) and time.monotonic() < deadline:
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)  # while the receiver is answering: messages are in flight
        victim.communicate(timeout=30)
        assert victim.returncode == -signal.SIGKILL
        received_before = sum(identities(hook).values())
        in_flight = db.scalar(select(func.count()).where(OutboxMessage.status == "sending"))
        db.commit()
        assert in_flight is not None and 0 < in_flight <= concurrency
        rerun_settings = {**settings, "DUTYFLOW_DELIVERY_CONCURRENCY": "50"}
        # At once, replaying a later moment: the dead sweep's claims still hold, so the rest go and they wait.
        rerun = cli_sweep(database_url, contacts, "2023-06-20T08:30", **rerun_settings)
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        held = db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sending"))
        db.commit()
        assert held == in_flight  # within the 300 s lease, the rerun left the dead sweep's messages alone
        time.sleep(1.5)
        stuck = _stuck(cli, database_url, "1")  # with a lease of one second they are past it: stuck
        assert len(stuck) == held and {m["status"] for m in stuck} == {"sending"}
        after_lease = {**rerun_settings, "DUTYFLOW_CLAIM_LEASE_SECONDS": "1"}
        again = cli_sweep(database_url, contacts, "2023-06-20T08:31", **after_lease)  # takes them back
        _, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
        seen = identities(hook)
    rows = db.scalar(select(func.count()).select_from(OutboxMessage))
    assert rows is not None and 10 <= received_before < rows  # it really died part way
    assert len(seen) == rows  # nothing lost
    assert sum(seen.values()) - len(seen) <= concurrency  # at most the messages in flight went twice
    assert db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")) == 0
    db.commit()  # end the read, so the command's transaction is not kept waiting
    assert _stuck(cli, database_url, "1") == []  # none left stuck
