"""The dashboard's accounts: calendar feeds until revoked, sessions and tokens ended by a new password or
disabling, and a sign-in that refuses a wrong password and never follows a foreign address."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import AuditEntry, Person
from models.duty import Occurrence
from models.plan import Body
from tasks.people.accounts import issue_token, set_active, set_password
from tests.web_support import WEB_NOW, make_app, signed_in


def test_a_calendar_feed_lists_the_body_due_dates_until_its_address_is_revoked(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    focal.post("/calendar")
    page = focal.client.get("/calendar").text
    url = page.split('id="feed-url">', 1)[1].split("<", 1)[0]
    path = url.removeprefix("http://testserver")
    anonymous = signed_in(app, None).client
    feed = anonymous.get(path)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    body = feed.content.decode()
    yte = db.scalars(select(Body).where(Body.code == "yte")).one()
    owed = db.scalar(
        select(func.count())
        .select_from(Occurrence)
        .where(Occurrence.body_id == yte.id, Occurrence.status != "not_applicable")
    )
    db.commit()
    assert body.count("BEGIN:VEVENT") == owed
    assert "SUMMARY:Hạn:" in body
    token_id = int(page.split('name="token_id" value="', 1)[1].split('"', 1)[0])
    focal.post("/calendar/revoke", {"token_id": str(token_id)})
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/calendar/khong-co-ma-nay.ics").status_code == 404


def test_a_disabled_account_or_a_new_password_ends_the_session_and_its_tokens(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    person = db.scalars(select(Person).where(Person.login == "yte-focal")).one()
    _, secret = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=person)
    db.commit()
    bearer = signed_in(app, None).client
    assert bearer.get("/api/v1/my/duties", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    set_password(db, person=person, password="mot-mat-khau-moi-2024", now=WEB_NOW, actor="test")
    db.commit()
    assert focal.client.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")
    set_active(db, person=person, active=False, now=WEB_NOW, actor="test")
    db.commit()
    assert bearer.get("/api/v1/my/duties", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_sign_in_refuses_a_wrong_password_and_never_follows_a_foreign_address(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    anonymous = signed_in(app, None)
    wrong = anonymous.post("/sign-in", {"login": "office", "password": "sai-mat-khau", "next": "/"})
    assert wrong.status_code == 401
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sign_in:failed")) == 1
    db.commit()
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        fresh = signed_in(app, None)
        answer = fresh.post("/sign-in", {"login": "office", "password": "mat-khau-du-dai-2023", "next": target})
        assert answer.headers["location"] == "/"
    cookie = fresh.client.cookies.jar
    assert any(c.name == "dutyflow_session" for c in cookie)
