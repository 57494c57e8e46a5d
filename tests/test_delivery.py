"""Delivery to real receivers on loopback: SMTP, an HTTP webhook, the inbox; failures retried, secrets masked."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import AddressDelivery, DeliveryAttempt, InboxMessage, OutboxMessage
from notifications import render
from notifications.channels import ChannelBook, load_channel_book
from tasks.plans.loading import LoadSummary

from .conftest import SEED_PLAN, Run
from .receivers import http_receiver, smtp_server
from .test_sweep import at, run

CANARY = "canary-7f3a9c51e2"


def _book(mapping: dict[str, list[str]]) -> ChannelBook:
    return ChannelBook(urls=mapping)


def test_email_arrives_with_its_vietnamese_subject_and_both_bodies(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    with smtp_server() as (port, mailbox):
        url = f"mailto://127.0.0.1:{port}?from=dutyflow@tracu.local&to=tuphap@tracu.local"
        report = run(engine, at(2023, 6, 13), body="tuphap", book=_book({"tuphap-focal": [url]}))
    assert report.sent == 1 and len(mailbox.messages) == 1
    mail = mailbox.messages[0]
    outbox = db.scalars(select(OutboxMessage)).one()
    assert (
        mail["Subject"]
        == outbox.subject
        == "[Nhắc việc] Phòng Tư pháp — tuphap-1 kỳ 2023-H1: còn 5 ngày làm việc (20/06/2023)"
    )
    parts = {part.get_content_type(): part.get_content() for part in mail.walk() if not part.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    assert "Kính gửi Đầu mối Phòng Tư pháp" in parts["text/html"]
    assert "trợ giúp pháp lý cho người nghèo" in parts["text/plain"]
    assert "http://127.0.0.1:8000/occurrences/" in parts["text/html"]


def test_a_json_webhook_receives_a_well_formed_message(db: Session, engine: Engine, loaded: LoadSummary) -> None:
    with http_receiver() as (port, hook):
        book = _book({"van-phong-bcd": [f"json://127.0.0.1:{port}/hook"]})
        run(engine, at(2023, 6, 23), body="tuphap", book=book)
    assert len(hook.received) == 1
    payload = hook.received[0]
    assert payload["title"].startswith("[Quá hạn 3 ngày làm việc — báo quá hạn lần 2] tuphap-1 kỳ 2023-H1")
    assert "Nhiệm vụ của Phòng Tư pháp đã quá hạn 3 ngày làm việc" in payload["message"]


def test_a_channel_that_is_down_is_retried_with_backoff_then_marked_failed_and_listed(
    db: Session, engine: Engine, loaded: LoadSummary, cli: Run, database_url: str
) -> None:
    secret_url = f"json://127.0.0.1:9/hook?+X-Api-Key={CANARY}"  # port 9: nothing listens
    book = _book({"tuphap-focal": [secret_url]})
    first = run(engine, at(2023, 6, 13), body="tuphap", book=book, max_attempts=3, backoff=dt.timedelta(minutes=10))
    assert (first.sent, first.retrying) == (0, 1)
    message = db.scalars(select(OutboxMessage)).one()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.not_before == at(2023, 6, 13, 8, 10)
    db.commit()
    assert run(engine, at(2023, 6, 13, 8, 5), body="tuphap", book=book, max_attempts=3).retrying == 0  # not yet
    run(engine, at(2023, 6, 13, 8, 11), body="tuphap", book=book, max_attempts=3, backoff=dt.timedelta(minutes=10))
    last = run(engine, at(2023, 6, 13, 9, 0), body="tuphap", book=book, max_attempts=3)
    assert last.failed == 1
    db.expire_all()
    message = db.scalars(select(OutboxMessage)).one()
    assert (message.status, message.attempts) == ("failed", 3)
    attempts = db.scalars(select(DeliveryAttempt)).all()
    assert len(attempts) == 3 and not any(a.ok for a in attempts)
    db.commit()
    code, out, _ = cli("outbox", "list", "--failed", "--json", database_url=database_url)
    listed = json.loads(out)["messages"]
    assert code == 0 and [m["id"] for m in listed] == [message.id] and listed[0]["status"] == "failed"
    shown = out + json.dumps([a.url_masked + (a.error or "") for a in attempts]) + (message.last_error or "")
    assert CANARY not in shown and "****" in shown


def test_one_bad_channel_does_not_stop_the_others(db: Session, engine: Engine, loaded: LoadSummary) -> None:
    with http_receiver() as (port, hook):
        book = _book({"tuphap-focal": ["json://127.0.0.1:9/down"], "tuphap-head": [f"json://127.0.0.1:{port}/ok"]})
        report = run(engine, at(2023, 6, 21), body="tuphap", book=book)
    assert (report.sent, report.retrying) == (1, 1) and len(hook.received) == 1


def test_the_inbox_keeps_what_a_person_received(
    db: Session, engine: Engine, loaded: LoadSummary, cli: Run, database_url: str
) -> None:
    run(engine, at(2023, 6, 23), body="tuphap")
    received = db.scalars(select(InboxMessage).where(InboxMessage.person == "van-phong-bcd")).all()
    assert len(received) == 1 and "Quá hạn 3 ngày làm việc" in received[0].title
    db.commit()
    code, out, _ = cli("inbox", "van-phong-bcd", database_url=database_url)
    assert code == 0 and "Quá hạn 3 ngày làm việc" in out and "Kính gửi Văn phòng Ban Chỉ đạo" in out


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()}")


def test_a_canary_secret_in_a_channel_never_reaches_any_output(
    db: Session,
    engine: Engine,
    loaded: LoadSummary,
    cli: Run,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logs = _Recorder()  # what the application's own log handlers would get, at any level
    logging.getLogger().addHandler(logs)
    monkeypatch.setattr(logging.getLogger(), "level", logging.DEBUG)
    with http_receiver(status=500) as (port, hook):
        contacts = tmp_path / "contacts.yaml"
        url = f"json://dutyflow:{CANARY}@127.0.0.1:{port}/hook?+X-Api-Key={CANARY}"
        contacts.write_text(f"tuphap.focal: ['{url}']\n", encoding="utf-8")
        env = {"DUTYFLOW_CONTACTS_FILE": str(contacts)}
        code, out, err = cli(
            "sweep", "--as-of", "2023-06-13T08:00", "--body", "tuphap", "--json", database_url=database_url, **env
        )
        assert code == 0 and hook.received and hook.headers[0]["X-Api-Key"] == CANARY  # it was really used
        more = [
            cli("outbox", "list", database_url=database_url, **env),
            cli("outbox", "list", "--json", database_url=database_url, **env),
            cli("sweep", "--as-of", "2023-06-13T09:00", database_url=database_url, **env),
        ]
    printed = out + err + "".join(o + e for _, o, e in more)
    stored = " ".join(
        str(v) for row in db.execute(select(OutboxMessage.last_error, OutboxMessage.channel_ref)).all() for v in row
    )
    stored += " ".join(f"{a.url_masked} {a.error}" for a in db.scalars(select(DeliveryAttempt)))
    stored += " ".join(f"{a.url_masked} {a.last_error}" for a in db.scalars(select(AddressDelivery)))
    logging.getLogger().removeHandler(logs)
    assert logs.lines and CANARY not in printed and CANARY not in stored and CANARY not in "\n".join(logs.lines)
    assert "retrying" in out or json.loads(out)["retrying"] == 1


def test_bad_channel_configuration_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text("nobody.here: ['json://127.0.0.1/x']\ntuphap.focal: ['notascheme://what']\n", encoding="utf-8")
    pairs = [("tuphap-focal", "contacts:tuphap.focal"), ("yte-focal", "env:DUTYFLOW_TEST_YTE"), ("x", "contacts:x")]
    _, issues = load_channel_book(pairs, contacts_file=contacts, environ={})
    found = sorted((i.code, tuple(sorted(i.params.items()))) for i in issues)
    assert [code for code, _ in found] == ["channel.bad_url", "channel.env_missing", "channel.unknown_contact"]
    assert ("contact", "tuphap-focal") in found[0][1] and ("key", "nobody.here") in found[2][1]


def test_the_sweep_command_refuses_a_broken_template_naming_it(
    cli: Run, database_url: str, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    broken = tmp_path / "vi"
    broken.mkdir()
    for part in render.PARTS:
        (broken / part).write_text((render.TEMPLATES_DIR / "vi" / part).read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "chat.txt.j2").write_text("{{ duty.nonexistent_field }}", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES_DIR", tmp_path)
    render._environment.cache_clear()
    try:
        code, out, err = cli("sweep", "--as-of", "2023-06-13T08:00", database_url=database_url)
    finally:
        render._environment.cache_clear()
    assert code == 1 and "vi/chat.txt.j2" in out and "chưa gửi gì" in err
    assert db.scalars(select(OutboxMessage)).first() is None
