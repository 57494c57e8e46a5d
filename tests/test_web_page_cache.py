"""The office's pages answered again without the framework (web.page_cache) answer exactly what the app would:
never to an ended session, a revoked token or a changed account, never another session's form token or another
person's name, never data older than the database's, and a notice still shows once."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import Person
from tasks.people.accounts import issue_token, revoke_token, set_active
from tests.web_support import WEB_NOW, csrf_of, make_app, overdue_occurrence, signed_in
from web.page_cache import PageCache


def kept(app: FastAPI) -> int:
    """How many answers the app's page cache holds (so that each test is known to go through it)."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, PageCache)
    return len(layer.answers._answers)


def test_an_ended_session_gets_no_page_it_was_given_before(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    office = signed_in(app, "office")
    copied = dict(office.client.cookies)
    for _ in range(2):  # asked twice: the second answer is the kept one
        assert office.client.get("/overdue").status_code == 200
        assert office.client.get("/").status_code == 200
    assert kept(app) == 2
    assert office.post("/sign-out").status_code == 303
    thief = signed_in(app, None).client
    thief.cookies.update(copied)
    for path in ("/overdue", "/"):
        answer = thief.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in"), path


def test_each_session_gets_its_own_form_token_and_each_person_their_own_name(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    first, second, viewer = signed_in(app, "office"), signed_in(app, "office"), signed_in(app, "viewer")
    pages = {}
    for name, who in (("first", first), ("second", second), ("viewer", viewer)):
        for _ in range(2):
            pages[name] = who.client.get("/overdue").text
        assert csrf_of(pages[name]) == who.csrf, name  # the kept page carries this session's token
        assert "\x00" not in pages[name]
    assert kept(app) == 2  # one for the office (both sessions), one for the viewer
    assert "Văn phòng BCĐ" in pages["first"] and "Người xem" in pages["viewer"]
    assert "Văn phòng BCĐ" not in pages["viewer"].split("<main>")[0]
    # the token filled in is the one the session's forms need: signing out with it works
    assert first.post("/sign-out").headers["location"] == "/sign-in"
    assert second.client.get("/overdue").status_code == 200  # the other session of the same person goes on


def test_a_change_to_the_data_shows_at_once(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    occurrence = overdue_occurrence(db, "yte")
    office = signed_in(app, "office")
    before = [office.client.get("/api/v1/overdue?per_page=500").json() for _ in range(2)][-1]
    assert occurrence.key in {row["key"] for row in before["rows"]} and kept(app) == 1
    focal = signed_in(app, "yte-focal")
    assert focal.post(f"/occurrences/{occurrence.id}/submit", data={"note": "Đã nộp"}).status_code == 303
    after = office.client.get("/api/v1/overdue?per_page=500").json()
    assert occurrence.key not in {row["key"] for row in after["rows"]}
    assert after["total"] == before["total"] - 1


def test_a_revoked_token_and_a_disabled_account_are_refused_after_a_kept_answer(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    office = db.scalars(select(Person).where(Person.login == "office")).one()
    token, secret = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=office)
    db.commit()
    client = signed_in(app, None).client
    bearer = {"Authorization": f"Bearer {secret}"}
    for _ in range(2):
        assert client.get("/api/v1/overview", headers=bearer).status_code == 200
    revoke_token(db, token_id=token.id, now=WEB_NOW, actor="test")
    db.commit()
    assert client.get("/api/v1/overview", headers=bearer).status_code == 401

    browser = signed_in(app, "viewer")
    for _ in range(2):
        assert browser.client.get("/overdue").status_code == 200
    viewer = db.scalars(select(Person).where(Person.login == "viewer")).one()
    set_active(db, person=viewer, active=False, now=WEB_NOW, actor="test")
    db.commit()
    answer = browser.client.get("/overdue", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")


def test_an_account_whose_role_changed_gets_what_its_new_role_sees(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    browser = signed_in(app, "viewer")
    for _ in range(2):
        assert browser.client.get("/", follow_redirects=False).status_code == 200
    viewer = db.scalars(select(Person).where(Person.login == "viewer")).one()
    viewer.role = "focal"
    db.commit()
    answer = browser.client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/my"


def test_a_notice_still_shows_once_on_a_kept_page(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    occurrence = overdue_occurrence(db, "yte")
    office = signed_in(app, "office")
    for _ in range(2):
        assert occurrence.key not in office.client.get("/overdue?page=9999").text
    # accepting what was never submitted is refused, with a notice for the next page
    answer = office.post("/awaiting/decide", data={"action": "accept", "ids": str(occurrence.id)})
    assert answer.status_code == 303
    assert f"{occurrence.key}: " in office.client.get("/overdue?page=9999").text
    assert f"{occurrence.key}: " not in office.client.get("/overdue?page=9999").text
