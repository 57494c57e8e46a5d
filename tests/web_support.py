"""The dashboard under test: the app on the test database, a frozen clock, and one person per role."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.settings import Settings
from models.duty import Occurrence
from models.plan import Body, Plan
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.people.accounts import Role, add_person
from tasks.plans.loading import load_plan
from web.app import create_app
from web.context import now

# A day when every body of the seed plan has a first-half duty overdue.
WEB_NOW = dt.datetime(2023, 7, 10, 2, 0, tzinfo=dt.UTC)
PASSWORD = "mat-khau-du-dai-2023"
# login -> (name, role, body)
PEOPLE = {
    "office": ("Văn phòng BCĐ", Role.OFFICE, None),
    "viewer": ("Người xem", Role.VIEWER, None),
    "yte-focal": ("Đầu mối Y tế", Role.FOCAL, "yte"),
    "yte-head": ("Trưởng phòng Y tế", Role.HEAD, "yte"),
    "xa-focal": ("Đầu mối UBND xã", Role.FOCAL, "ubnd-xa"),
    "ldtbxh-focal": ("Đầu mối LĐTBXH", Role.FOCAL, "ldtbxh"),
}
# login -> (name, role, body, unit): a commune's own people see only that commune
UNIT_PEOPLE = {"hamgiang-focal": ("Đầu mối xã Hàm Giang", Role.FOCAL, "ubnd-xa", "xa-ham-giang")}


def add_people(db: Session) -> None:
    for login, (name, role, body) in PEOPLE.items():
        add_person(db, login=login, name=name, role=role, body_code=body, now=WEB_NOW, actor="test", password=PASSWORD)
    for login, (name, role, body, unit) in UNIT_PEOPLE.items():
        add_person(
            db, login=login, name=name, role=role, body_code=body, unit_code=unit, now=WEB_NOW, actor="test",
            password=PASSWORD,
        )  # fmt: skip
    db.commit()


SECOND_PLAN = "tra-cu-2023-b"


def load_second_plan(db: Session, seed_plan: PlanFile, calendar: WorkCalendar) -> None:
    """The seed plan again under another code: every body code is in both plans."""
    header = seed_plan.plan.model_copy(update={"code": SECOND_PLAN, "number": "13/KH-UBND"})
    load_plan(
        db,
        plan_file=seed_plan.model_copy(update={"plan": header}),
        sha256="b" * 64,
        now=dt.datetime(2023, 2, 25, tzinfo=dt.UTC),
        calendar=calendar,
        support_lead_workdays=3,
    )
    db.commit()


def overdue_occurrence(db: Session, body: str, *, plan: str | None = None) -> Occurrence:
    """The body's earliest occurrence that is open and overdue on WEB_NOW (in the plan named, or any)."""
    query = (
        select(Occurrence)
        .join(Body, Body.id == Occurrence.body_id)
        .join(Plan, Plan.id == Occurrence.plan_id)
        .where(Body.code == body, Occurrence.status == "open", Occurrence.due_on < WEB_NOW.date())
    )
    if plan is not None:
        query = query.where(Plan.code == plan)
    found = db.scalars(query.order_by(Occurrence.due_on, Occurrence.id)).first()
    assert found is not None, body
    db.commit()  # SQLite: the test's read must end before the app writes
    return found


def web_settings(database_url: str, **extra: object) -> Settings:
    return Settings(
        database_url=database_url,
        web_secret=SecretStr("test-session-key"),
        dashboard_url="http://testserver",
        **extra,  # type: ignore[arg-type]
    )


def make_app(database_url: str, *, moment: dt.datetime = WEB_NOW, **extra: object) -> FastAPI:
    app = create_app(web_settings(database_url, **extra))
    app.dependency_overrides[now] = lambda: moment
    return app


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@dataclass
class Browserless:
    """A signed-in client and the CSRF token of its session."""

    client: TestClient
    csrf: str

    def post(self, path: str, data: dict[str, str] | None = None) -> httpx.Response:
        """A form sent with the session's CSRF token, its redirect not followed."""
        answer: httpx.Response = self.client.post(
            path, data={"csrf": self.csrf, **(data or {})}, follow_redirects=False
        )
        return answer


def signed_in(app: FastAPI, login: str | None, password: str = PASSWORD) -> Browserless:
    client = TestClient(app)
    page = client.get("/sign-in")
    csrf = csrf_of(page.text)
    if login is None:
        return Browserless(client, csrf)
    answer = client.post(
        "/sign-in", data={"login": login, "password": password, "csrf": csrf, "next": "/"}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return Browserless(client, client.cookies and csrf_of(client.get("/calendar").text))
