"""What two requests at once must not break, on a real server on loopback: the same form sent ten times (409
pages, connections still usable), guesses sent in parallel (at most five passwords checked), uploads sent in
parallel (the daily quota holds); and small doors found by trying: a huge form id, JSON escapes, a second
sign-in in the same browser, a formula behind spaces."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dutyflow.serving import dashboard_server, free_port
from models.access import Evidence, Person, SignInAttempt
from models.duty import Occurrence
from models.plan import Body
from models.report import IndicatorValue
from tasks.people.accounts import issue_token
from tests.web_support import PASSWORD, WEB_NOW, csrf_of, make_app, signed_in


def _at_once(count: int, send: Callable[[int], int]) -> list[int]:
    start = threading.Barrier(count)
    statuses: list[int] = []

    def run(n: int) -> None:
        start.wait()
        statuses.append(send(n))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _browser(site: str, login: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=site)
    page = client.get("/sign-in")
    answer = client.post("/sign-in", data={"login": login, "password": PASSWORD, "csrf": csrf_of(page.text)})
    assert answer.status_code == 303, answer.text
    return client, csrf_of(client.get("/calendar").text)


def test_the_same_form_ten_times_at_once_is_never_a_500(database_url: str, db: Session, people: None) -> None:
    with dashboard_server(make_app(database_url), host="127.0.0.1", port=free_port()) as site:
        first, csrf = _browser(site, "office")
        clients = [httpx.Client(base_url=site, cookies=first.cookies) for _ in range(10)]
        form = {"csrf": csrf, "target": "jobs-created", "scope": "-", "period": "2023-Q4", "value": "6"}
        statuses = _at_once(10, lambda n: clients[n].post("/indicators/report", data=form).status_code)
        assert set(statuses) <= {303, 409}, statuses
        for client in clients:
            assert client.get("/indicators").status_code == 200  # the keep-alive connection still answers
            client.close()
        revoke = first.post("/calendar/revoke", data={"csrf": csrf, "token_id": str(2**64)})
        assert revoke.status_code == 404
        assert first.get("/").status_code == 200
        first.close()


def test_guesses_sent_at_once_get_at_most_five_passwords_checked(database_url: str, db: Session, people: None) -> None:
    with dashboard_server(make_app(database_url), host="127.0.0.1", port=free_port()) as site:
        clients = [httpx.Client(base_url=site) for _ in range(20)]
        tokens = [csrf_of(c.get("/sign-in").text) for c in clients]

        def guess(n: int) -> int:
            form = {"login": "yte-focal", "password": f"sai-{n}", "csrf": tokens[n]}
            return clients[n].post("/sign-in", data=form).status_code

        statuses = _at_once(20, guess)
        for client in clients:
            client.close()
    assert statuses.count(401) <= 5 and statuses.count(401) + statuses.count(429) == 20, statuses
    checked = db.scalar(select(func.count()).select_from(SignInAttempt).where(SignInAttempt.outcome == "failed"))
    db.commit()
    assert checked == statuses.count(401)


def test_parallel_uploads_stay_within_the_daily_quota(database_url: str, db: Session, people: None) -> None:
    focal = db.scalars(select(Person).where(Person.login == "xa-focal")).one()
    _, secret = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=focal)
    owed = db.scalars(
        select(Occurrence.id)
        .join(Body, Body.id == Occurrence.body_id)
        .where(Body.code == "ubnd-xa", Occurrence.status == "open")
        .order_by(Occurrence.id)
        .limit(8)
    ).all()
    db.commit()
    assert len(owed) == 8
    pdf = b"%PDF-1.4\n" + b"x" * 1500
    app = make_app(database_url, upload_quota_bytes_per_day=5000)
    with dashboard_server(app, host="127.0.0.1", port=free_port()) as site:
        clients = [httpx.Client(base_url=site, headers={"Authorization": f"Bearer {secret}"}) for _ in owed]

        def upload(n: int) -> int:
            files = {"evidence": ("bien-ban.pdf", pdf, "application/pdf")}
            return clients[n].post(f"/api/v1/occurrences/{owed[n]}/submit", files=files).status_code

        statuses = _at_once(len(owed), upload)
        for client in clients:
            client.close()
    stored = db.scalar(select(func.coalesce(func.sum(Evidence.size), 0))) or 0
    db.commit()
    assert stored <= 5000 and statuses.count(200) == 3, statuses


def test_json_escapes_are_composed_too(database_url: str, db: Session, people: None) -> None:
    office = signed_in(make_app(database_url), "office")
    decomposed = "Đa\u0303 ba\u0301o ca\u0301o"  # "Đã báo cáo" with combining accents, sent as \\u escapes
    body = json.dumps({"target": "jobs-created", "period": "2023-H1", "value": "5", "note": decomposed})
    answer = office.client.post(
        "/api/v1/indicators/values",
        content=body.encode("ascii"),
        headers={"Content-Type": "application/vnd.api+json", "X-CSRF-Token": office.csrf},
    )
    assert answer.status_code in (200, 201), answer.text
    assert db.scalars(select(IndicatorValue.note)).one() == "Đã báo cáo"
    db.commit()


def test_signing_in_again_ends_the_browser_earlier_session(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    browser = signed_in(app, "yte-focal")
    before = dict(browser.client.cookies)
    page = browser.client.get("/sign-in")
    again = browser.client.post(
        "/sign-in", data={"login": "yte-focal", "password": PASSWORD, "csrf": csrf_of(page.text)}
    )
    assert again.status_code in (200, 303)
    stale = signed_in(app, None).client
    stale.cookies.update(before)
    assert stale.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")


def test_a_formula_behind_spaces_or_quotes_is_neutralised_too() -> None:
    from reports.overdue_csv import safe_cell

    for text in (" =1+1", "  @SUM(A1)", " -1+2", "\u00a0=1+1", '"=1+1', "\n=1+1"):
        assert safe_cell(text).startswith("'"), text
    assert safe_cell("-3") == "-3" and safe_cell("Phòng Y tế") == "Phòng Y tế"
    assert re.fullmatch(r"'=.*", safe_cell("=HYPERLINK(1)"))
