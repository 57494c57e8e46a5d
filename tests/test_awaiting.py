"""What awaits the steering office: a submission tells the office (its queue, its inbox), the office accepts or
returns many at once with one audit entry each, and "remind now" tells the body once, not twice within an hour."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import AuditEntry
from models.duty import Occurrence, StatusEvent
from models.outbox import InboxMessage, OutboxMessage
from models.plan import Body, Contact
from tests.conftest import Run
from tests.web_support import WEB_NOW, make_app, signed_in


def _overdue(db: Session, body: str, count: int) -> list[Occurrence]:
    found = list(
        db.scalars(
            select(Occurrence)
            .join(Body, Body.id == Occurrence.body_id)
            .where(Body.code == body, Occurrence.status == "open", Occurrence.due_on < WEB_NOW.date())
            .order_by(Occurrence.due_on, Occurrence.id)
            .limit(count)
        )
    )
    db.commit()
    assert len(found) == count
    return found


def test_a_submission_reaches_the_office_queue_and_inbox(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    office = signed_in(app, "office")
    occurrence = _overdue(db, "yte", 1)[0]
    assert "Không có kết quả nào đang chờ" in office.client.get("/awaiting").text
    assert focal.post(f"/occurrences/{occurrence.id}/submit", {"note": "Đã gửi bản ký"}).status_code == 303
    page = office.client.get("/awaiting").text
    assert f'value="{occurrence.id}"' in page and "Đã gửi bản ký" in page and "Đầu mối Y tế" in page
    listed = office.client.get("/api/v1/awaiting").json()
    assert [row["occurrence_id"] for row in listed] == [occurrence.id]
    office_contact = db.scalars(select(Contact).where(Contact.role == "office")).one()
    told = db.scalars(select(OutboxMessage).where(OutboxMessage.occurrence_id == occurrence.id)).all()
    assert [(m.contact_id, m.step.startswith("submitted-")) for m in told] == [(office_contact.id, True)]
    assert told[0].status == "sent"  # delivered right after the answer, not at the next morning's sweep
    inbox = db.scalars(select(InboxMessage).where(InboxMessage.person == office_contact.code)).all()
    db.commit()
    assert len(inbox) == 1 and "Chờ xem xét" in inbox[0].title and "Đầu mối Y tế" in inbox[0].body
    assert "báo đã gửi kết quả" in office.client.get(f"/occurrences/{occurrence.id}").text


def test_bulk_accept_writes_one_audit_entry_per_occurrence(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "xa-focal")
    office = signed_in(app, "office")
    chosen = _overdue(db, "ubnd-xa", 3)
    for occurrence in chosen:
        assert focal.post(f"/occurrences/{occurrence.id}/submit", {"note": "xong"}).status_code == 303
    ids = [str(o.id) for o in chosen]
    answer = office.client.post(
        "/awaiting/decide",
        data={"csrf": office.csrf, "action": "accept", "ids": ids, "note": "đạt"},
        follow_redirects=True,
    )
    assert "Đã xác nhận 3 kết quả" in answer.text
    audits = db.scalars(select(AuditEntry.subject).where(AuditEntry.action == "occurrence:accept")).all()
    statuses = db.scalars(select(Occurrence.status).where(Occurrence.id.in_([o.id for o in chosen]))).all()
    events = db.scalar(select(func.count()).select_from(StatusEvent).where(StatusEvent.to_status == "accepted"))
    db.commit()
    assert sorted(audits) == sorted(o.key for o in chosen) and set(statuses) == {"accepted"} and events == 3
    assert office.client.get("/api/v1/awaiting").json() == []
    again = office.client.post(
        "/awaiting/decide", data={"csrf": office.csrf, "action": "reject", "ids": ids[:1]}, follow_redirects=True
    )
    assert chosen[0].key in again.text  # already decided: refused in words, nothing changed
    viewer = signed_in(app, "viewer")
    assert viewer.post("/awaiting/decide", {"action": "accept", "ids": ids[0]}).status_code == 403


def test_remind_now_sends_once_and_not_twice_within_an_hour(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    office = signed_in(app, "office")
    occurrence = _overdue(db, "ldtbxh", 1)[0]
    first = office.client.post(
        f"/occurrences/{occurrence.id}/remind", data={"csrf": office.csrf, "note": "Gửi trước thứ Sáu"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Đã gửi lời nhắc" in first.text
    second = office.client.post(
        f"/occurrences/{occurrence.id}/remind", data={"csrf": office.csrf}, follow_redirects=True
    )
    assert "chưa đầy một giờ" in second.text
    sent = db.scalars(select(OutboxMessage).where(OutboxMessage.occurrence_id == occurrence.id)).all()
    audits = db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "occurrence:remind_now"))
    db.commit()
    assert len(sent) == 1 and sent[0].step.startswith("remind-now-") and "Gửi trước thứ Sáu" in sent[0].body_text
    assert audits == 1
    assert signed_in(app, "ldtbxh-focal").post(f"/occurrences/{occurrence.id}/remind").status_code == 403


def test_the_cli_lists_what_awaits_a_decision_oldest_first(
    cli: Run, database_url: str, db: Session, people: None
) -> None:
    chosen = _overdue(db, "ubnd-xa", 2)
    for occurrence in chosen:
        code, _out, err = cli("duty", "submit", occurrence.key, "--by", "Đầu mối xã", database_url=database_url)
        assert code == 0, err
    code, out, err = cli("duty", "list", "--awaiting", "--json", database_url=database_url)
    assert code == 0, err
    listed = json.loads(out)["awaiting"]
    assert [row["key"] for row in listed] == [o.key for o in chosen]
    assert listed[0]["submitted_at"] <= listed[1]["submitted_at"]
    told = db.scalars(select(OutboxMessage.step).where(OutboxMessage.occurrence_id == chosen[0].id)).all()
    db.commit()
    assert told and all(step.startswith("submitted-") for step in told)  # the CLI's submission tells the office too
    code, out, _ = cli("duty", "list", "--awaiting", database_url=database_url)
    assert code == 0 and chosen[0].key in out


def test_a_support_input_tells_the_lead_body_focal_point_too(
    cli: Run, database_url: str, db: Session, people: None
) -> None:
    support = db.scalars(
        select(Occurrence)
        .where(Occurrence.parent_id.is_not(None), Occurrence.status == "open")
        .order_by(Occurrence.due_on, Occurrence.id)
    ).first()
    assert support is not None and support.parent is not None
    lead_body = support.parent.body_id
    db.commit()
    code, _out, err = cli("duty", "submit", support.key, "--by", "Đầu mối phối hợp", database_url=database_url)
    assert code == 0, err
    told = db.execute(
        select(Contact.role, Contact.body_id)
        .join(OutboxMessage, OutboxMessage.contact_id == Contact.id)
        .where(OutboxMessage.occurrence_id == support.id)
    ).all()
    db.commit()
    assert sorted(told, key=str) == sorted([("office", None), ("focal_point", lead_body)], key=str)
