"""The dashboard in a real browser (Debian's Chromium driven by Playwright), served by uvicorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.serving import dashboard_server, free_port
from models.duty import Duty
from models.plan import Body
from tests.browser_support import chromium, sign_in
from tests.web_support import make_app, overdue_occurrence


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def site(database_url: str, people: None) -> Iterator[str]:
    with dashboard_server(make_app(database_url), host="127.0.0.1", port=free_port()) as url:
        yield url


def test_a_focal_point_submits_an_overdue_duty_and_the_office_sees_it_leave_the_overdue_list(
    browser: Browser, site: str, db: Session
) -> None:
    occurrence = overdue_occurrence(db, "yte")
    row = f'tr[data-occurrence="{occurrence.id}"]'
    office = sign_in(browser, site, "office")
    office.goto("/overdue?body=yte")
    assert office.locator(row).count() == 1

    focal = sign_in(browser, site, "yte-focal")
    assert focal.url.endswith("/my")  # a focal point lands on their body's desk
    assert focal.get_by_role("heading", name="Nhiệm vụ của Phòng Y tế").is_visible()
    focal.locator(row).get_by_role("link").click()
    focal.get_by_label("Ghi chú").first.fill("Đã gửi báo cáo kèm danh sách thẻ BHYT.")
    focal.get_by_role("button", name="Gửi kết quả").click()
    focal.wait_for_load_state()
    assert "Đã ghi nhận kết quả" in focal.locator(".flash").inner_text()
    assert focal.locator("#status").inner_text() == "đã gửi, chờ xác nhận"

    office.reload()
    assert office.locator(row).count() == 0
    office.goto(f"/occurrences/{occurrence.id}")
    assert "Đã gửi báo cáo kèm danh sách thẻ BHYT." in office.locator("table").first.inner_text()


def test_a_script_in_a_note_or_a_duty_text_shows_as_text(browser: Browser, site: str, db: Session) -> None:
    occurrence = overdue_occurrence(db, "yte")
    duty = db.get(Duty, occurrence.duty_id)
    assert duty is not None
    duty.text = "Lập danh sách <img src=x onerror=\"alert('duty')\"> thẻ BHYT"
    db.commit()
    focal = sign_in(browser, site, "yte-focal")
    focal.goto(f"/occurrences/{occurrence.id}")
    payload = "<script>alert('note')</script><b>đậm</b>"
    focal.get_by_label("Ghi chú").first.fill(payload)
    focal.get_by_role("button", name="Gửi kết quả").click()
    focal.wait_for_load_state()

    office = sign_in(browser, site, "office")
    office.goto(f"/occurrences/{occurrence.id}")
    assert payload in office.locator("td.note").first.inner_text()  # shown as typed, not run
    assert office.locator("td.note b").count() == 0
    assert "<img src=x" in office.locator("h1.duty-text").inner_text()
    assert office.locator("h1.duty-text img").count() == 0


def test_the_overview_renders_the_seventeen_bodies_of_the_seed_plan(browser: Browser, site: str, db: Session) -> None:
    codes = list(db.scalars(select(Body.code).order_by(Body.order)))
    db.commit()
    office = sign_in(browser, site, "office")
    assert office.get_by_role("heading").first.inner_text().startswith("Tình hình thực hiện theo cơ quan")
    bodies = office.locator("tr[data-body]")
    assert bodies.count() == 17
    assert [bodies.nth(i).get_attribute("data-body") for i in range(17)] == codes
    assert all(bodies.nth(i).get_by_role("link").first.inner_text().strip() for i in range(17))
    assert office.locator("td.bar svg").count() >= 1  # the shares chart, drawn without scripts
