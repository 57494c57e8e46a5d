"""Sessions kept on the server and the sign-in throttle: a copied cookie dies with sign-out, a new password or a
disabled account ends every session, API token and personal calendar address for good, and guessing passwords
ends in 429 until the office unlocks the account."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import AuditEntry, Person, SignInAttempt, WebSession
from tasks.people.accounts import issue_token, set_active, set_password
from tests.conftest import Run
from tests.web_support import PASSWORD, WEB_NOW, csrf_of, make_app, signed_in


def _sign_in(client: object, login: str, password: str) -> tuple[int, dict[str, str]]:
    page = client.get("/sign-in")  # type: ignore[attr-defined]
    answer = client.post(  # type: ignore[attr-defined]
        "/sign-in",
        data={"login": login, "password": password, "csrf": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    return answer.status_code, dict(answer.headers)


def test_a_cookie_copied_before_sign_out_no_longer_opens_anything(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    copied = dict(focal.client.cookies)
    assert focal.client.get("/my").status_code == 200
    assert focal.post("/sign-out").headers["location"] == "/sign-in"
    thief = signed_in(app, None).client
    thief.cookies.update(copied)
    answer = thief.get("/my", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")
    assert thief.post("/occurrences/1/submit", data={"note": "x"}, follow_redirects=False).status_code in (303, 403)
    ended = db.scalars(select(WebSession)).one()
    assert ended.ended_at is not None and ended.ended_why == "sign_out"


def test_the_cookie_carries_no_identity(database_url: str, db: Session, people: None) -> None:
    import base64
    import json

    focal = signed_in(make_app(database_url), "yte-focal")
    cookie = focal.client.cookies["dutyflow_session"]
    payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
    assert set(payload) == {"sid", "csrf"}  # a random id and the form token: no person, no password mark


def test_a_new_password_ends_sessions_api_tokens_and_calendar_feeds(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    person = db.scalars(select(Person).where(Person.login == "yte-focal")).one()
    _, api = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=person)
    _, feed = issue_token(db, kind="calendar", now=WEB_NOW, actor="test", person=person)
    db.commit()
    other = signed_in(app, None).client
    bearer = {"Authorization": f"Bearer {api}"}
    assert other.get("/api/v1/my/duties", headers=bearer).status_code == 200
    assert other.get(f"/calendar/{feed}.ics").status_code == 200
    set_password(db, person=person, password="mot-mat-khau-moi-2024", now=WEB_NOW, actor="test")
    db.commit()
    assert focal.client.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")
    assert other.get("/api/v1/my/duties", headers=bearer).status_code == 401
    assert other.get(f"/calendar/{feed}.ics").status_code == 404


def test_disabling_then_enabling_restores_no_session_token_or_feed(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    copied = dict(focal.client.cookies)
    person = db.scalars(select(Person).where(Person.login == "yte-focal")).one()
    _, api = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=person)
    _, feed = issue_token(db, kind="calendar", now=WEB_NOW, actor="test", person=person)
    db.commit()
    set_active(db, person=person, active=False, now=WEB_NOW, actor="test")
    db.commit()
    set_active(db, person=person, active=True, now=WEB_NOW, actor="test")
    db.commit()
    other = signed_in(app, None).client
    other.cookies.update(copied)
    assert other.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")
    assert other.get("/api/v1/my/duties", headers={"Authorization": f"Bearer {api}"}).status_code == 401
    assert other.get(f"/calendar/{feed}.ics").status_code == 404
    assert signed_in(app, "yte-focal").client.get("/my").status_code == 200  # the password still signs in


def test_a_person_sees_and_ends_their_own_other_session(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    laptop = signed_in(app, "yte-focal")
    phone = signed_in(app, "yte-focal")
    page = laptop.client.get("/sessions").text
    ids = sorted(int(part.split("/", 1)[0]) for part in page.split('action="/sessions/')[1:])
    assert len(ids) == 2
    mine = db.scalars(select(WebSession.id).order_by(WebSession.id)).all()
    db.commit()
    assert laptop.post(f"/sessions/{mine[1]}/end").headers["location"] == "/sessions"  # the phone's
    assert phone.client.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")
    assert laptop.client.get("/my").status_code == 200
    stranger = signed_in(app, "ldtbxh-focal")
    assert stranger.post(f"/sessions/{mine[0]}/end").status_code == 403
    assert laptop.client.get("/my").status_code == 200


def test_thirty_wrong_passwords_lock_the_account_until_the_office_unlocks_it(
    cli: Run, database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    client = signed_in(app, None).client
    answers = [_sign_in(client, "yte-focal", f"sai-mat-khau-{n}") for n in range(30)]
    assert [status for status, _ in answers[:5]] == [401] * 5
    assert all(status == 429 for status, _ in answers[5:]), [status for status, _ in answers]
    waits = [int(headers["retry-after"]) for _, headers in answers[5:]]
    assert waits[0] >= 1 and waits[-1] > waits[0]  # the wait grows with the tries
    status, _ = _sign_in(client, "yte-focal", PASSWORD)
    assert status == 429  # the right password too, while locked
    elsewhere = TestClient(app, client=("10.0.0.2", 50000))
    assert _sign_in(elsewhere, "yte-focal", PASSWORD)[0] == 429  # the login is locked from every address
    assert _sign_in(client, "ldtbxh-focal", PASSWORD)[0] == 429  # and this address for every login
    assert _sign_in(elsewhere, "ldtbxh-focal", PASSWORD)[0] == 303  # others are not held up
    locked = db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sign_in:locked"))
    assert locked == 28
    db.commit()
    code, out, err = cli("person", "unlock", "yte-focal", database_url=database_url)
    assert code == 0, err
    assert "yte-focal" in out
    status, headers = _sign_in(client, "yte-focal", PASSWORD)
    assert status == 303 and headers["location"] == "/"
    assert db.scalar(select(func.count()).select_from(SignInAttempt).where(SignInAttempt.outcome == "ok")) == 2
