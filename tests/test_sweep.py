"""Sweeps on a real database: each step once per occurrence and recipient, never after submission."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models import Contact, InboxMessage, Occurrence, OutboxMessage
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.actions import act_on_occurrence
from tasks.duties.statuses import Action
from tasks.plans.loading import LoadSummary
from tasks.reminders.config import SweepConfig, SweepReport
from tasks.reminders.sweep import sweep

VN = dt.timezone(dt.timedelta(hours=7))


def at(y: int, m: int, d: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=VN).astimezone(dt.UTC)


def run(
    engine: Engine, now: dt.datetime, body: str | None = None, book: ChannelBook | None = None, **config: object
) -> SweepReport:
    settings = SweepConfig(calendar=WorkCalendar(), dashboard_url="http://127.0.0.1:8000", **config)  # type: ignore[arg-type]
    return sweep(
        session_factory(engine), now=now, book=book or ChannelBook(), config=settings, worker="test", body_code=body
    )


def messages(db: Session, key_like: str) -> list[tuple[str, str, str]]:
    rows = db.execute(
        select(Occurrence.key, OutboxMessage.step, Contact.code)
        .join(Occurrence, Occurrence.id == OutboxMessage.occurrence_id)
        .join(Contact, Contact.id == OutboxMessage.contact_id)
        .where(Occurrence.key.like(key_like))
        .order_by(OutboxMessage.id)
    ).all()
    db.commit()
    return list(rows)


def test_a_sweep_sends_the_step_due_and_a_second_sweep_at_the_same_moment_sends_nothing(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    first = run(engine, at(2023, 6, 13), body="tuphap")
    second = run(engine, at(2023, 6, 13), body="tuphap")
    assert (first.queued, first.sent) == (1, 1)
    assert (second.queued, second.sent) == (0, 0)
    assert messages(db, "tuphap-1/2023-H1/%") == [("tuphap-1/2023-H1/tuphap", "remind-5", "tuphap-focal")]
    inbox = db.scalars(select(InboxMessage)).all()
    assert [(m.person, m.title) for m in inbox] == [
        ("tuphap-focal", "[Nhắc việc] Phòng Tư pháp — tuphap-1 kỳ 2023-H1: còn 5 ngày làm việc (20/06/2023)")
    ]


def test_outside_office_hours_messages_are_held_until_the_next_window(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    early = run(engine, at(2023, 6, 13, 6, 0), body="tuphap")
    assert (early.queued, early.sent, early.held) == (1, 0, 1)
    later = run(engine, at(2023, 6, 13, 7, 45), body="tuphap")
    assert (later.queued, later.sent, later.held) == (0, 1, 0)


def test_the_ladder_climbs_day_by_day_and_stops_at_submission(db: Session, engine: Engine, loaded: LoadSummary) -> None:
    days = [at(2023, 6, d) for d in (13, 14, 16, 19, 20, 21, 22, 23, 26, 27, 28)]
    for moment in days[:8]:
        run(engine, moment, body="tuphap")
    sent = messages(db, "tuphap-1/2023-H1/tuphap")
    assert sent == [
        ("tuphap-1/2023-H1/tuphap", "remind-5", "tuphap-focal"),
        ("tuphap-1/2023-H1/tuphap", "remind-2", "tuphap-focal"),
        ("tuphap-1/2023-H1/tuphap", "remind-0", "tuphap-focal"),
        ("tuphap-1/2023-H1/tuphap", "escalate-1", "tuphap-focal"),
        ("tuphap-1/2023-H1/tuphap", "escalate-1", "tuphap-head"),
        ("tuphap-1/2023-H1/tuphap", "escalate-2", "van-phong-bcd"),
    ]
    act_on_occurrence(
        db, ref="tuphap-1/2023-H1/tuphap", action=Action.SUBMIT, actor="Phòng Tư pháp", now=at(2023, 6, 23, 9)
    )
    db.commit()
    for moment in days[8:]:
        run(engine, moment, body="tuphap")
    assert len(messages(db, "tuphap-1/2023-H1/tuphap")) == 6  # no vice-chairman: it was submitted


def test_an_ordered_body_s_last_rung_is_the_vice_chairman_and_a_requested_body_s_is_the_office(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    run(engine, at(2023, 6, 27), body="tuphap")
    run(engine, at(2023, 6, 27), body="bhxh")
    tuphap = messages(db, "tuphap-1/2023-H1/tuphap")
    bhxh = messages(db, "bhxh-2/2023-H1/bhxh")
    assert tuphap == [("tuphap-1/2023-H1/tuphap", "escalate-3", "pct-ubnd")]
    assert bhxh == [("bhxh-2/2023-H1/bhxh", "escalate-2", "van-phong-bcd")]


def test_a_support_body_is_reminded_of_its_earlier_input_deadline(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    run(engine, at(2023, 6, 15), body="ldtbxh")  # inputs to other bodies' H1 duties fall due 15/06
    inputs = [m for m in messages(db, "%/2023-H1/%/ldtbxh") if m[1] == "remind-0"]
    assert inputs and all(code == "ldtbxh-focal" for _, _, code in inputs)
    run(engine, at(2023, 6, 16), body="ldtbxh")
    overdue = [m for m in messages(db, "kthtang-2/2023-H1/kthtang/ldtbxh") if m[1] == "escalate-1"]
    assert sorted(code for _, _, code in overdue) == ["kthtang-focal", "ldtbxh-focal"]


def test_every_commune_is_reminded_through_its_own_focal_point(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    report = run(engine, at(2023, 5, 12), body="ubnd-xa")  # the May survey is due 16/05: remind-2 on 12/05
    sent = messages(db, "ubnd-xa-3/2023-05/%")
    assert len(sent) == 17 and {step for _, step, _ in sent} == {"remind-2"}
    assert {(key.rsplit("/", 1)[1], code) for key, _, code in sent} == {
        (unit, f"{unit}-focal") for unit in {key.rsplit("/", 1)[1] for key, _, _ in sent}
    }
    assert report.sent == report.queued == db.scalar(select(func.count()).select_from(OutboxMessage))
    db.commit()  # end this reader's transaction before the next sweep writes
    escalated = run(engine, at(2023, 5, 17), body="ubnd-xa")  # a day overdue: the commune's focal point and the head
    assert escalated.sent > 0
    codes = {code for key, step, code in messages(db, "ubnd-xa-3/2023-05/xa-kim-son") if step == "escalate-1"}
    assert codes == {"xa-kim-son-focal", "ubnd-xa-head"}


def test_an_input_reminder_names_the_lead_body_even_without_a_short_name(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    run(engine, at(2023, 6, 15), body="ubnd-xa")  # inputs to Phòng Y tế's H1 duty fall due 15/06
    body = db.scalars(
        select(OutboxMessage.body_text)
        .join(Occurrence, Occurrence.id == OutboxMessage.occurrence_id)
        .where(Occurrence.key == "yte-2/2023-H1/yte/xa-kim-son")
    ).one()
    db.commit()
    assert "cần gửi phần phối hợp cho Phòng Y tế trước ngày 15/06/2023" in body
