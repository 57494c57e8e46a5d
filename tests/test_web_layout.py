"""The dashboard's layout in Chromium: the overview fits a 1,280 px screen, and on a phone no page scrolls
sideways (a wide table scrolls inside its own box)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dutyflow.serving import dashboard_server, free_port
from models.duty import Occurrence
from tests.browser_support import chromium
from tests.test_sweep import at, run
from tests.web_support import PASSWORD, make_app

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTH = "document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def site(database_url: str, people: None) -> Iterator[str]:
    with dashboard_server(make_app(database_url), host="127.0.0.1", port=free_port()) as url:
        yield url


def _sign_in(browser: Browser, site: str, login: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(base_url=site, viewport=viewport).new_page()  # type: ignore[arg-type]
    page.goto("/sign-in")
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page


def test_the_overview_fits_a_1280_px_screen_without_sideways_scroll(browser: Browser, site: str) -> None:
    office = _sign_in(browser, site, "office", DESKTOP)
    assert office.locator("tr[data-body]").count() == 17
    assert office.evaluate(WIDTH) <= 1280
    box = office.locator("div.scroll:has(table.overview)")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")  # the table fits whole, no scroll inside either
    # Short names in the table, the whole name on hover.
    link = office.locator('tr[data-body="ldtbxh"] td.name a')
    assert link.inner_text() == "Phòng LĐTBXH"
    assert link.get_attribute("title") == "Phòng Lao động - Thương binh và Xã hội"


def test_on_a_phone_no_page_scrolls_sideways_and_wide_tables_scroll_in_their_own_box(
    browser: Browser, site: str, db: Session, engine: Engine
) -> None:
    # Messages, so the occurrence page has its table of who was told; the sweep runs its own event loop, so it
    # runs in a thread apart from Playwright's.
    with ThreadPoolExecutor(1) as pool:
        for day in (13, 21, 23, 27):
            pool.submit(run, engine, at(2023, 6, day), body="ldtbxh").result()
    told = db.scalars(select(Occurrence.id).where(Occurrence.key == "ldtbxh-1/2023-H1/ldtbxh")).one()
    support = db.scalars(select(Occurrence.id).where(Occurrence.key == "kthtang-2/2023-H1/kthtang/ldtbxh")).one()
    db.commit()
    office = _sign_in(browser, site, "office", PHONE)
    focal = _sign_in(browser, site, "ldtbxh-focal", PHONE)
    pages = [
        (office, "/"),
        (office, "/overdue"),
        (office, "/bodies/ldtbxh"),
        (office, f"/occurrences/{told}"),
        (office, "/deliveries/failed"),
        (office, "/reports"),
        (focal, "/my"),
        (focal, f"/occurrences/{support}"),
    ]
    wide = {}
    for page, path in pages:
        page.goto(path)
        page.wait_for_load_state()
        assert page.evaluate(WIDTH) <= 390, path
        wide[path] = page.evaluate(
            "[...document.querySelectorAll('div.scroll')].some(b => b.scrollWidth > b.clientWidth)"
        )
    assert wide["/"] and wide["/overdue"] and wide["/my"]  # these tables are wider than a phone: they scroll inside
