"""Chasing you can trust: each address gets a message once, late starts climb from the bottom, leases hold."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dutyflow.serving import free_port
from models import AddressDelivery, Occurrence, OutboxMessage, Plan
from notifications.channels import ChannelBook
from notifications.failures import UNREADABLE, is_permanent
from notifications.masking import mask_url
from notifications.outbox import DIED, claim, record
from notifications.sender import AddressResult
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.actions import act_on_occurrence, record_funding
from tasks.duties.statuses import Action
from tasks.plans.loading import LoadSummary
from tasks.reminders.config import SweepConfig
from tasks.reminders.due_steps import find_due_steps
from tasks.reminders.sweep import queue_due_steps

from .conftest import SEED_PLAN, Run
from .receivers import http_receiver, smtp_controller, smtp_server
from .test_sweep import at, messages, run
from .web_support import make_app, signed_in

NO_WAIT = {"backoff": dt.timedelta(0), "max_attempts": 5}


def _state(db: Session) -> tuple[str, dict[str, tuple[str, int]]]:
    """The tuphap-1 H1 reminder's status, and each address's (status, attempts)."""
    message = db.scalars(select(OutboxMessage).where(OutboxMessage.step == "remind-5")).one()
    addresses = {d.url_masked: (d.status, d.attempts) for d in db.scalars(select(AddressDelivery))}
    db.commit()
    return message.status, addresses


def test_a_live_address_gets_one_copy_while_a_dead_one_is_retried_five_times(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    dead = f"json://127.0.0.1:{free_port()}/hook"  # nothing listens there: a passing fault, retried
    with http_receiver() as (port, hook):
        live = f"json://127.0.0.1:{port}/hook"
        book = ChannelBook({"tuphap-focal": [live, dead]})
        report = run(engine, at(2023, 6, 13), body="tuphap", book=book, **NO_WAIT)
        again = run(engine, at(2023, 6, 14), body="tuphap", book=book, **NO_WAIT)  # nothing left to retry
    assert len(hook.received) == 1
    status, addresses = _state(db)
    assert status == "partial" and report.partial == 1 and again.sent == again.partial == 0
    assert addresses == {mask_url(live): ("sent", 1), mask_url(dead): ("failed", 5)}


@pytest.mark.parametrize(("code", "tries", "status"), [(404, 1, "failed"), (400, 1, "failed"), (503, 5, "failed")])
def test_a_refusal_for_good_is_not_retried_and_a_passing_one_is(
    db: Session, engine: Engine, loaded: LoadSummary, code: int, tries: int, status: str
) -> None:
    with http_receiver(status=code) as (port, hook):
        book = ChannelBook({"tuphap-focal": [f"json://127.0.0.1:{port}/hook"]})
        run(engine, at(2023, 6, 13), body="tuphap", book=book, **NO_WAIT)
    assert len(hook.received) == tries
    message_status, addresses = _state(db)
    assert message_status == status and list(addresses.values()) == [(status, tries)]


class _Refusing:
    """An SMTP server that refuses the recipient for good (550), as a mailbox that does not exist."""

    def __init__(self) -> None:
        self.tries = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.tries += 1
        return "550 5.1.1 no such mailbox"


def test_an_smtp_5xx_is_a_refusal_for_good(db: Session, engine: Engine, loaded: LoadSummary) -> None:
    with smtp_controller(_Refusing()) as (port, handler):
        url = f"mailto://127.0.0.1:{port}?from=dutyflow@tracu.local&to=khongco@tracu.local"
        run(engine, at(2023, 6, 13), body="tuphap", book=ChannelBook({"tuphap-focal": [url]}), **NO_WAIT)
    assert handler.tries == 1
    status, addresses = _state(db)
    assert status == "failed" and [s for s, _ in addresses.values()] == ["failed"]


@pytest.mark.parametrize(
    ("log", "permanent"),
    [
        ("WARNING Failed to send JSON POST notification: Not Found - error=404.", True),
        ("WARNING Failed to send JSON POST notification: error=408.", False),
        ("WARNING Failed to send JSON POST notification: Too Many Requests - error=429.", False),
        ("WARNING Failed to send JSON POST notification: Service Unavailable - error=503.", False),
        ("DEBUG Socket Exception: {'x@y.vn': (550, b'5.1.1 no such mailbox')}", True),
        ("DEBUG Socket Exception: (451, b'4.3.0 try again later')", False),
        ("DEBUG Socket Exception: [Errno 111] Connection refused", False),
        (UNREADABLE, True),
    ],
)
def test_what_counts_as_a_refusal_for_good(log: str, permanent: bool) -> None:
    assert is_permanent(log) is permanent


def _queue_reminder(db: Session, body: str) -> int:
    """Queue (not send) the reminders a body is owed on 13/06/2023; how many."""
    plan = db.scalars(select(Plan)).one()
    config = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://x")
    due = find_due_steps(db, plan=plan, now=at(2023, 6, 13), calendar=config.calendar, body_code=body)
    queued = queue_due_steps(db, plan=plan, due=due, now=at(2023, 6, 13), config=config)
    db.commit()
    return queued


def test_a_claim_lasts_its_lease_on_the_wall_clock_whatever_moment_a_sweep_replays(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    assert _queue_reminder(db, "tuphap") == 1
    wall, lease = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC), dt.timedelta(minutes=5)

    def take(worker: str, now: dt.datetime, seconds: int) -> list[int]:
        found = [
            m.id
            for m in claim(db, now=now, wall=wall + dt.timedelta(seconds=seconds), worker=worker, limit=10, lease=lease)
        ]
        db.commit()
        return found

    (message_id,) = take("replaying-08:00", at(2023, 6, 13, 8), 0)
    assert take("replaying-08:10", at(2023, 6, 13, 8, 10), 1) == []  # a later replay cannot take it
    assert take("replaying-next-week", at(2023, 6, 20), 299) == []
    assert take("after-the-lease", at(2023, 6, 13, 8, 1), 301) == [message_id]  # its holder is taken as dead
    late = record(
        db,
        message_id=message_id,
        worker="replaying-08:00",
        now=at(2023, 6, 13),
        addresses=["k"],
        attempts=[AddressResult("k", "inbox://x", True)],
        inbox=[],
        max_attempts=5,
        backoff=dt.timedelta(0),
    )
    assert late == "lost-claim"  # the sweep that outlived its lease does not change the message...
    reached = db.scalars(select(AddressDelivery.status).where(AddressDelivery.outbox_id == message_id)).all()
    db.commit()
    assert reached == ["sent"]  # ...but the address it reached is not sent to again by the new holder


def _tckh(db: Session) -> list[tuple[str, str, str]]:
    return [(step, code, key) for key, step, code in messages(db, "tckh-1/2023-H1/%")]


def test_a_duty_funded_after_its_deadline_starts_at_the_bottom_rung_and_climbs_from_then(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    run(engine, at(2023, 7, 3), body="tckh")
    assert _tckh(db) == []  # waiting for funds: nothing owed
    record_funding(db, duty_code="tckh-1", amount=1_500_000_000, actor="Phòng TC-KH", now=at(2023, 7, 5, 9))
    db.commit()
    run(engine, at(2023, 7, 5, 10), body="tckh")
    key = "tckh-1/2023-H1/tckh"
    assert _tckh(db) == [("escalate-1", "tckh-focal", key), ("escalate-1", "tckh-head", key)]
    run(engine, at(2023, 7, 6), body="tckh")
    assert len(_tckh(db)) == 2  # the next rung is two working days after the start, not after the deadline
    run(engine, at(2023, 7, 7), body="tckh")
    run(engine, at(2023, 7, 11), body="tckh")
    assert [step for step, _, _ in _tckh(db)[2:]] == ["escalate-2", "escalate-3"]
    subject = db.scalars(select(OutboxMessage.subject).where(OutboxMessage.step == "escalate-1")).first()
    db.commit()
    assert subject is not None and "Quá hạn 11 ngày làm việc" in subject  # the real days late, from 20/06


@pytest.mark.parametrize("again", ["returned", "resumed"])
def test_a_duty_owed_again_after_its_deadline_starts_the_ladder_afresh(
    db: Session, engine: Engine, loaded: LoadSummary, again: str
) -> None:
    key = "tuphap-1/2023-H1/tuphap"
    for day in (21, 23, 27):  # the whole ladder of the deadline 20/06
        run(engine, at(2023, 6, day), body="tuphap")
    if again == "returned":
        act_on_occurrence(db, ref=key, action=Action.SUBMIT, actor="Đầu mối", now=at(2023, 6, 28, 9))
        act_on_occurrence(db, ref=key, action=Action.REJECT, actor="Văn phòng BCĐ", now=at(2023, 7, 3, 9))
    else:
        act_on_occurrence(db, ref=key, action=Action.SUSPEND, actor="Văn phòng BCĐ", now=at(2023, 6, 28, 9))
        act_on_occurrence(db, ref=key, action=Action.RESUME, actor="Văn phòng BCĐ", now=at(2023, 7, 3, 9))
    db.commit()
    run(engine, at(2023, 7, 3, 10), body="tuphap")
    rows = db.execute(
        select(OutboxMessage.round, OutboxMessage.step)
        .join(Occurrence, Occurrence.id == OutboxMessage.occurrence_id)
        .where(Occurrence.key == key)
        .order_by(OutboxMessage.id)
    ).all()
    db.commit()
    assert sorted({(r, s) for r, s in rows if r == 1}) == [(1, "escalate-1")]
    assert {s for r, s in rows if r == 0} == {"escalate-1", "escalate-2", "escalate-3"}


def test_duty_show_json_lists_every_message_that_named_the_occurrence_digests_included(
    cli: Run, database_url: str, db: Session
) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    for moment in ("2023-06-21T08:00", "2023-06-23T08:00", "2023-06-27T08:00", "2023-07-04T08:00"):
        code, _, err = cli("sweep", "--as-of", moment, "--body", "tuphap", database_url=database_url)
        assert code == 0, err
    code, out, err = cli("duty", "show", "tuphap-1/2023-H1/tuphap", "--json", database_url=database_url)
    assert code == 0, err
    shown = json.loads(out)
    steps = [(m["step_name"], m["recipient"]) for m in shown["messages"]]
    assert steps[-2:] == [
        ("tổng hợp việc quá hạn", "Đầu mối Phòng Tư pháp"),
        ("tổng hợp việc quá hạn", "Trưởng phòng Tư pháp"),
    ]  # five working days after the last rung, its people hear of it again
    assert ("báo quá hạn lần 3", "Tăng Thị Thắm") in steps  # the Vice-Chairman who signed the plan
    digest = shown["messages"][-1]
    assert digest["queued_at"] == "2023-07-04T08:00+07:00" and digest["status_name"] == "đã gửi"
    assert digest["addresses"] == [
        {"address": "inbox://tuphap-head", "status": "sent", "status_name": "đã gửi", "attempts": 1, "error": None}
    ]
    code, out, _ = cli("duty", "show", "tuphap-1/2023-H1/tuphap", database_url=database_url)
    assert "04/07/2023 08:00 tổng hợp việc quá hạn → Trưởng phòng Tư pháp (đã gửi) inbox://tuphap-head ✓" in out


def test_the_office_digest_counts_every_body_and_carries_the_overdue_list_as_csv_by_email(
    db: Session, engine: Engine, loaded: LoadSummary, tmp_path: Path
) -> None:
    with smtp_server() as (port, mailbox):
        url = f"mailto://127.0.0.1:{port}?from=dutyflow@tracu.local&to=vpbcd@tracu.local"
        report = run(engine, at(2023, 7, 4), book=ChannelBook({"van-phong-bcd": [url]}), attachments_dir=tmp_path)
    digests = [m for m in mailbox.messages if m["Subject"].startswith("[Tổng hợp việc quá hạn] 12/KH-UBND")]
    assert report.digests == len(digests) == 1  # the bodies were just told by their rungs; the office gets counts
    (attachment,) = list(digests[0].iter_attachments())
    table = attachment.get_content()
    table = table.decode("utf-8-sig") if isinstance(table, bytes) else table.lstrip("\ufeff")
    lines = [line for line in table.splitlines() if line]
    overdue = db.scalars(select(Occurrence).where(Occurrence.status == "open", Occurrence.due_on < dt.date(2023, 7, 4)))
    assert len(lines) - 1 == len(overdue.all()) > 0  # a header, then every overdue occurrence
    db.commit()
    html = digests[0].get_body(preferencelist=("html",))
    assert html is not None
    text = html.get_content()
    assert "Phòng Tư pháp" in text and "/overdue" in text


def test_the_failed_deliveries_page_lists_partly_sent_and_stuck_messages(
    database_url: str, db: Session, engine: Engine, people: None
) -> None:
    dead = f"json://127.0.0.1:{free_port()}/hook"
    with http_receiver() as (port, _):
        book = ChannelBook({"tuphap-focal": [f"json://127.0.0.1:{port}/hook", dead]})
        run(engine, at(2023, 6, 13), body="tuphap", book=book, **NO_WAIT)
    _queue_reminder(db, "yte")
    wall = dt.datetime.now(dt.UTC)
    claim(
        db,
        now=at(2023, 6, 13),
        wall=wall - dt.timedelta(minutes=10),
        worker="sweep-that-died",
        limit=1,
        lease=dt.timedelta(minutes=5),
    )
    db.commit()
    office = signed_in(make_app(database_url, moment=wall), "office")
    page = office.client.get("/deliveries/failed").text
    assert "gửi được một phần" in page and "kẹt: lượt quét sweep-that-died" in page
    listed = office.client.get("/api/v1/deliveries/failed").json()
    assert sorted(m["status"] for m in listed) == ["partial", "sending"]


def test_a_message_whose_sweeps_keep_dying_before_recording_is_given_up_not_retried_forever(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    _queue_reminder(db, "tuphap")
    wall, lease = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC), dt.timedelta(minutes=5)
    for n in range(3):  # taken three times by sweeps that die before they record
        later = wall + n * (lease + dt.timedelta(seconds=1))
        taken = claim(db, now=at(2023, 6, 13), wall=later, worker=f"dies-{n}", limit=5, lease=lease, max_attempts=3)
        db.commit()
        assert len(taken) == 1
    last = wall + 3 * (lease + dt.timedelta(seconds=1))
    assert claim(db, now=at(2023, 6, 13), wall=last, worker="next", limit=5, lease=lease, max_attempts=3) == []
    db.expire_all()  # the session keeps what it loaded; the claims changed the row underneath
    message = db.scalars(select(OutboxMessage)).one()
    db.commit()
    assert (message.status, message.attempts, message.claimed_by) == ("failed", 3, None)
    assert message.last_error == DIED  # listed with the failed deliveries for a person to look at
