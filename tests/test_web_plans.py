"""The overview and the overdue list show every plan or the one asked for (`?plan=`); an unknown plan is a 404."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tests.web_support import load_second_plan, make_app, signed_in

PATHS = ["/", "/overdue", "/overdue.csv", "/api/v1/overdue", "/api/v1/overview"]


@pytest.mark.parametrize("path", PATHS)
def test_an_unknown_plan_is_not_found_and_says_so_in_vietnamese(
    database_url: str, db: Session, people: None, path: str
) -> None:
    office = signed_in(make_app(database_url), "office")
    answer = office.client.get(path, params={"plan": "khong-co"})
    assert answer.status_code == 404
    assert "Không có kế hoạch mã" in answer.text


def test_with_one_plan_loaded_the_overview_is_by_body_and_offers_no_picker(
    database_url: str, db: Session, people: None
) -> None:
    office = signed_in(make_app(database_url), "office")
    page = office.client.get("/").text
    assert page.count("data-body=") == 17
    assert 'name="plan"' not in page
    assert office.client.get("/", params={"plan": "tra-cu-2023"}).text.count("data-body=") == 17
    assert office.client.get("/api/v1/overview").json()["plan"] == "tra-cu-2023"


def test_with_two_plans_the_overview_has_a_line_per_plan_and_a_picker_and_one_plan_by_body(
    database_url: str, db: Session, people: None, seed_plan: PlanFile, calendar: WorkCalendar
) -> None:
    load_second_plan(db, seed_plan, calendar)
    office = signed_in(make_app(database_url), "office")
    page = office.client.get("/").text
    assert page.count("data-plan=") == 2
    assert "Tất cả kế hoạch" in page
    one = office.client.get("/", params={"plan": "tra-cu-2023-b"}).text
    assert one.count("data-body=") == 17
    api = office.client.get("/api/v1/overview").json()
    assert api["plan"] is None
    assert {p["plan_code"] for p in api["plans"]} == {"tra-cu-2023", "tra-cu-2023-b"}
    assert api["plans"][0]["counts"] == api["plans"][1]["counts"]  # the same plan twice


@pytest.mark.parametrize("as_of", [None, "2023-06-30"])
def test_the_overdue_list_shows_every_plan_or_the_one_asked_for(
    database_url: str,
    db: Session,
    people: None,
    seed_plan: PlanFile,
    calendar: WorkCalendar,
    as_of: str | None,
) -> None:
    load_second_plan(db, seed_plan, calendar)
    office = signed_in(make_app(database_url), "office")
    day = {"as_of": as_of} if as_of else {}
    every = office.client.get("/api/v1/overdue", params=day).json()
    one = office.client.get("/api/v1/overdue", params={**day, "plan": "tra-cu-2023-b", "per_page": 500}).json()
    assert one["total"] * 2 == every["total"] > 0
    assert {r["plan"] for r in one["rows"]} == {"tra-cu-2023-b"}
    csv = office.client.get("/overdue.csv", params={**day, "plan": "tra-cu-2023-b"}).content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == one["total"] + 1
    page = office.client.get("/overdue", params={**day, "plan": "tra-cu-2023-b"}).text
    assert 'value="tra-cu-2023-b" selected' in page
