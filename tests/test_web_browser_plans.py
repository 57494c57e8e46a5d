"""The plan picker in a real browser: with two plans loaded, the office picks one on the overview and on the overdue
list and sees only that plan's rows (and the CSV link carries the choice); "all plans" shows both again."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session

from dutyflow.serving import dashboard_server, free_port
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tests.browser_support import chromium, sign_in
from tests.web_support import SECOND_PLAN, load_second_plan, make_app

FIRST_PLAN = "tra-cu-2023"
ALL_PLANS = "Tất cả kế hoạch"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def site(database_url: str, db: Session, people: None, seed_plan: PlanFile, calendar: WorkCalendar) -> Iterator[str]:
    load_second_plan(db, seed_plan, calendar)
    with dashboard_server(make_app(database_url), host="127.0.0.1", port=free_port()) as url:
        yield url


def _pick(page: Page, label: str, button: str) -> None:
    """Choose in the plan picker (by the option's text) and send the form it belongs to."""
    picker = page.locator("select[name=plan]")
    value = picker.locator("option", has_text=label).first.get_attribute("value")
    picker.select_option(value)
    page.locator("form", has=picker).get_by_role("button", name=button).click()
    page.wait_for_load_state()


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _overdue_ids(page: Page, plan: str | None) -> set[int]:
    """What the API (with the browser's session) counts as overdue in the plan, or in every plan."""
    params: dict[str, str | float | bool] = {"per_page": "500", **({"plan": plan} if plan else {})}
    answer = page.request.get("/api/v1/overdue", params=params).json()
    assert answer["total"] <= 500
    return {row["occurrence_id"] for row in answer["rows"]}


def _shown(page: Page) -> set[int]:
    rows = page.locator("tr[data-occurrence]")
    return {int(rows.nth(i).get_attribute("data-occurrence") or 0) for i in range(rows.count())}


def test_the_office_picks_a_plan_on_the_overview(browser: Browser, site: str) -> None:
    office = sign_in(browser, site, "office")
    assert office.locator("tr[data-plan]").count() == 2  # every plan, a line each
    assert office.locator("tr[data-body]").count() == 0

    _pick(office, SECOND_PLAN, "Xem")
    assert _query(office)["plan"] == [SECOND_PLAN]
    assert office.locator("tr[data-plan]").count() == 0
    assert office.locator("tr[data-body]").count() == 17  # that plan's bodies
    picker = office.locator("select[name=plan]")
    assert picker.input_value() == SECOND_PLAN  # the page says which plan it shows
    assert "13/KH-UBND" in office.locator("p.plan").inner_text()
    body = office.locator("tr[data-body='yte']").get_by_role("link").first
    body.click()  # a body of the picked plan opens in that plan, not in the plan loaded last
    office.wait_for_load_state()
    assert _query(office).get("plan") == [SECOND_PLAN]
    office.go_back()

    office.get_by_label("Tính đến ngày").fill("2023-06-30")
    office.locator("form", has=office.get_by_label("Tính đến ngày")).get_by_role("button").click()
    office.wait_for_load_state()
    assert _query(office)["plan"] == [SECOND_PLAN]  # another day keeps the plan
    assert office.locator("tr[data-body]").count() == 17

    _pick(office, ALL_PLANS, "Xem")
    assert office.locator("tr[data-plan]").count() == 2
    assert _query(office)["as_of"] == ["2023-06-30"]  # and the plan picker keeps the day


def test_the_office_picks_a_plan_on_the_overdue_list_and_the_csv_follows(browser: Browser, site: str) -> None:
    office = sign_in(browser, site, "office")
    office.goto("/overdue")
    first, second = _overdue_ids(office, FIRST_PLAN), _overdue_ids(office, SECOND_PLAN)
    assert first and second and not first & second
    assert _shown(office) <= first | second

    _pick(office, SECOND_PLAN, "Lọc")
    assert _query(office)["plan"] == [SECOND_PLAN]
    assert office.locator("select[name=plan]").input_value() == SECOND_PLAN
    shown = _shown(office)
    assert shown and shown <= second
    cells = office.locator("tr[data-occurrence] td.plan")
    assert cells.count() == 0  # one plan: no plan column
    csv_link = office.get_by_role("link", name="Tải CSV")
    assert parse_qs(urlsplit(csv_link.get_attribute("href") or "").query)["plan"] == [SECOND_PLAN]
    csv = office.request.get(csv_link.get_attribute("href") or "").body().decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == len(second) + 1

    _pick(office, ALL_PLANS, "Lọc")
    assert _query(office).get("plan", [""]) == [""]
    shown = _shown(office)
    assert shown & first and shown & second  # both plans' rows again
    plans = {office.locator("tr[data-occurrence] td.plan").nth(i).inner_text() for i in range(len(shown))}
    assert plans == {FIRST_PLAN, SECOND_PLAN}
    assert office.locator("select[name=body] option[value=yte]").count() == 1  # a body code is one choice
    csv_link = office.get_by_role("link", name="Tải CSV")
    csv = office.request.get(csv_link.get_attribute("href") or "").body().decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == len(first) + len(second) + 1
