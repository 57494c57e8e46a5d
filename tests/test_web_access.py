"""Every route of the dashboard and its API, for every role: allowed, forbidden (403), or sent to sign in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow import runtime
from models.access import Evidence, Person, WebSession
from models.duty import Occurrence
from models.plan import Body
from models.report import Report
from tasks.people.accounts import issue_token
from tasks.people.sessions import start_session
from tests.web_support import PEOPLE, UNIT_PEOPLE, WEB_NOW, Browserless, make_app, signed_in

ROLES = ["anonymous", *PEOPLE, *UNIT_PEOPLE]
# the commune body reports for its communes, a commune's own people for theirs; the others for the district
SCOPES = {"xa-focal": "tt-tra-cu", "hamgiang-focal": "xa-ham-giang"}
OFFICE_VIEW = {"office": "ok", "viewer": "ok"}  # everyone else: 403
YTE = {"office": "ok", "viewer": "ok", "yte-focal": "ok", "yte-head": "ok"}
YTE_CHANGE = {"office": "ok", "yte-focal": "ok", "yte-head": "ok"}
YTE_PEOPLE = {"yte-focal": "ok", "yte-head": "ok"}
BODY_PEOPLE = {"yte-focal": "ok", "yte-head": "ok", "xa-focal": "ok", "ldtbxh-focal": "ok", "hamgiang-focal": "ok"}
REPORTERS = {"office": "ok", **BODY_PEOPLE}
SIGNED_IN = dict.fromkeys([*PEOPLE, *UNIT_PEOPLE], "ok")
PUBLIC = dict.fromkeys(ROLES, "ok")

# (method, path, who may; everyone else signed in gets 403, the anonymous are sent to sign in)
MATRIX: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "/", SIGNED_IN),  # a body's people are sent on to their desk
    ("GET", "/overdue", OFFICE_VIEW),
    ("GET", "/overdue.csv", OFFICE_VIEW),
    ("GET", "/awaiting", OFFICE_VIEW),
    ("POST", "/awaiting/decide", {"office": "ok"}),
    ("POST", "/occurrences/{occurrence_id}/remind", {"office": "ok"}),
    ("GET", "/api/v1/awaiting", OFFICE_VIEW),
    ("GET", "/trends", OFFICE_VIEW),
    ("GET", "/api/v1/trends", OFFICE_VIEW),
    ("GET", "/bodies/{body}", YTE),
    ("GET", "/deliveries/failed", OFFICE_VIEW),
    ("GET", "/reports", OFFICE_VIEW),
    ("GET", "/reports/{report_id}", OFFICE_VIEW),
    ("GET", "/reports/{report_id}/{fmt}", OFFICE_VIEW),
    ("GET", "/indicators", OFFICE_VIEW),
    ("GET", "/my", SIGNED_IN),  # the office is sent on to the overview
    ("GET", "/occurrences/{occurrence_id}", YTE),
    ("POST", "/occurrences/{occurrence_id}/submit", YTE_CHANGE),
    ("POST", "/occurrences/{occurrence_id}/decide", {"office": "ok"}),
    ("POST", "/occurrences/{occurrence_id}/acknowledge", YTE_PEOPLE),
    ("GET", "/evidence/{evidence_id}", YTE),
    ("GET", "/indicators/report", REPORTERS),
    ("POST", "/indicators/report", REPORTERS),
    ("GET", "/calendar", SIGNED_IN),
    ("POST", "/calendar", SIGNED_IN),
    ("POST", "/calendar/revoke", {"office": "ok"}),  # the token is the office's own
    ("GET", "/sessions", SIGNED_IN),
    ("POST", "/sessions/{session_id}/end", {"office": "ok"}),  # another of the office's sessions
    ("GET", "/api/v1/overview", OFFICE_VIEW),
    ("GET", "/api/v1/overdue", OFFICE_VIEW),
    ("GET", "/api/v1/bodies/{body_id}/duties", YTE),
    ("GET", "/api/v1/my/duties", BODY_PEOPLE),
    ("GET", "/api/v1/occurrences/{occurrence_id}", YTE),
    ("POST", "/api/v1/occurrences/{occurrence_id}/submit", YTE_CHANGE),
    ("POST", "/api/v1/occurrences/{occurrence_id}/decide", {"office": "ok"}),
    ("POST", "/api/v1/occurrences/{occurrence_id}/acknowledge", YTE_PEOPLE),
    ("GET", "/api/v1/deliveries/failed", OFFICE_VIEW),
    ("GET", "/api/v1/reports", OFFICE_VIEW),
    ("GET", "/api/v1/indicators", OFFICE_VIEW),
    ("POST", "/api/v1/indicators/values", REPORTERS),
]
# Open to everyone by design: signing in, the API's description, health, calendar feeds (the address is the key).
OPEN = {"/sign-in", "/sign-out", "/api/openapi.json", "/healthz", "/calendar/{secret}.ics"}


def _fixtures(db: Session, tmp_path: Path) -> dict[str, object]:
    yte = db.scalars(select(Body).where(Body.code == "yte")).one()
    occ = db.scalars(select(Occurrence).where(Occurrence.body_id == yte.id).order_by(Occurrence.due_on)).first()
    assert occ is not None
    evidence = Evidence(
        occurrence_id=occ.id,
        filename="a.pdf",
        content_type="application/pdf",
        size=5,
        sha256="0" * 64,
        data=b"%PDF-",
        uploaded_at=WEB_NOW,
    )
    file = tmp_path / "report.md"
    file.write_text("# Báo cáo", encoding="utf-8")
    report = Report(
        plan_id=yte.plan_id,
        period="2023-Q1",
        version=1,
        draft=False,
        as_of=dt.date(2023, 3, 31),
        compiled_at=WEB_NOW,
        compiled_by="test",
        content_sha256="0" * 64,
        figures={
            "plan": {"title": "KH"},
            "period": {"kind": "quarter", "token": "2023-Q1", "year": 2023},
            "indicators": [],
            "overdue": [],
        },
        files={"md": str(file)},
    )
    db.add_all([evidence, report])
    office = db.scalars(select(Person).where(Person.login == "office")).one()
    token, _ = issue_token(db, kind="calendar", now=WEB_NOW, actor="test", person=office)
    start_session(db, person=office, wall=runtime.utc_now(), hours=8, address="10.0.0.9", user_agent="other")
    spare = db.scalars(select(WebSession).where(WebSession.person_id == office.id)).one()
    db.commit()
    return {
        "body_id": yte.id,
        "body": yte.code,  # body pages take a code as well as an id
        "occurrence_id": occ.id,
        "evidence_id": evidence.id,
        "report_id": report.id,
        "fmt": "md",
        "token": token.id,
        "session_id": spare.id,
    }


def _request(who: Browserless, method: str, path: str, ids: dict[str, object], scope: str) -> tuple[int, str]:
    client = who.client
    csrf = who.csrf
    url = path.format(**ids)
    if method == "GET":
        params = {"period": "2023"} if url.endswith("/api/v1/indicators") else None
        answer = client.get(url, params=params, follow_redirects=False)
    elif url.startswith("/api/"):
        headers = {"X-CSRF-Token": csrf}
        if url.endswith("/decide"):
            answer = client.post(url, json={"action": "accept"}, headers=headers)
        elif url.endswith("/values"):
            answer = client.post(
                url, json={"target": "x", "scope": scope, "period": "2023", "value": "1"}, headers=headers
            )
        else:
            answer = client.post(url, data={"note": "ok"}, headers=headers)
    else:
        data = {
            "csrf": csrf,
            "note": "ok",
            "action": "accept",
            "token_id": str(ids["token"]),
            "target": "x",
            "scope": scope,
            "period": "2023",
            "value": "1",
        }
        answer = client.post(url, data=data, follow_redirects=False)
    return answer.status_code, answer.headers.get("location", "")


def _verdict(status: int, location: str, api: bool) -> str:
    if (status == 401 and api) or (status == 303 and location.startswith("/sign-in")):
        return "sign-in"
    if status == 403:
        return "403"
    # A refusal on the merits (409 conflict, 422 unknown indicator) still means the person was let in.
    assert status in (200, 201, 303, 409, 422), (status, location)
    return "ok"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_rules_say(
    database_url: str, db: Session, people: None, tmp_path: Path, role: str
) -> None:
    ids = _fixtures(db, tmp_path)
    who = signed_in(make_app(database_url), None if role == "anonymous" else role)
    wrong = []
    for method, path, allowed in MATRIX:
        status, location = _request(who, method, path, ids, SCOPES.get(role, "-"))
        got = _verdict(status, location, path.startswith("/api/"))
        expected = "sign-in" if role == "anonymous" else allowed.get(role, "403")
        if got != expected:
            wrong.append(f"{method} {path}: {got} ({status}), expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_route_of_the_app(database_url: str, db: Session) -> None:
    paths = make_app(database_url).openapi()["paths"]  # every route but /healthz and /static
    routes = {(m.upper(), p) for p, methods in paths.items() for m in methods if p not in OPEN}
    covered = {(m, p) for m, p, _ in MATRIX}
    assert routes == covered, routes ^ covered
