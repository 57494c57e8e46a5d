"""Pages speak in words: a support input says what is owed to whom, bodies are named by code or id, and no page
shows a step, delivery or category code, a period token or a UTC time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from models.duty import Occurrence
from models.outbox import DeliveryAttempt, OutboxMessage
from models.plan import Body
from models.report import Report
from tests.test_sweep import at, run
from tests.web_support import WEB_NOW, make_app, signed_in

INPUT_KEY = "kthtang-2/2023-H1/kthtang/ldtbxh"  # Phòng LĐTBXH's input to Phòng KT&HT's duty
# What a reader should never see: step, delivery and category codes, UTC, an input named by a duty code.
CODES = re.compile(
    r"remind-\d|escalate-\d|digest-(?:body|office)|\b(?:sent|failed|partial|pending)\b|not_applicable|not_yet_due"
    r"|\+00:00| UTC|phối hợp cho [a-z]"
)
PERIOD_TOKEN = re.compile(r"\b20\d\d-(?:H[12]|Q[1-4]|9M)\b")  # outside <code>, where an occurrence's key may show


class VisibleText(HTMLParser):
    """A page's text as a reader sees it (hover titles too), apart from what is in <code>, and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.code: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "code":
            self._in_code += 1
        if values.get("title"):
            self.text.append(values["title"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            (self.code if self._in_code else self.text).append(data.strip())


def _input(db: Session) -> Occurrence:
    found = db.scalars(select(Occurrence).where(Occurrence.key == INPUT_KEY)).one()
    db.commit()
    return found


def test_a_support_input_on_the_supporting_bodys_desk_says_what_it_owes_to_whom_and_by_when(
    database_url: str, db: Session, people: None
) -> None:
    occurrence = _input(db)
    assert occurrence.role == "input" and occurrence.due_on < WEB_NOW.date()  # overdue on the test day
    due = f"{occurrence.due_on:%d/%m/%Y}"
    app = make_app(database_url)
    focal = signed_in(app, "ldtbxh-focal")
    office = signed_in(app, "office")
    pages = [focal.client.get("/my").text, office.client.get("/bodies/ldtbxh").text]
    for page in pages:
        row = page[page.index(f'data-occurrence="{occurrence.id}"') :].split("</tr>")[0]
        assert "Phối hợp với Phòng KT&amp;HT: “Chủ trì, phối hợp với Phòng Lao động" in row
        assert f"gửi trước ngày {due}" in row
        assert "kthtang-2" not in page  # the lead's duty code is no label
    own = focal.client.get(f"/occurrences/{occurrence.id}").text
    heading = own[own.index("<h1") : own.index("</h1>")]
    assert heading.split(">", 1)[1].startswith("Phối hợp với Phòng KT&amp;HT: “Chủ trì, phối hợp")
    assert f"gửi trước ngày {due}" in heading
    assert "Cơ quan chủ trì" in own and "Phòng Kinh tế và Hạ tầng" in own
    assert "6 tháng đầu năm 2023" in own


def test_a_bodys_own_duty_reads_as_its_own_text(database_url: str, db: Session, people: None) -> None:
    own = db.scalars(select(Occurrence).where(Occurrence.key == "ldtbxh-1/2023-H1/ldtbxh")).one()
    db.commit()
    page = signed_in(make_app(database_url), "ldtbxh-focal").client.get("/my").text
    row = page[page.index(f'data-occurrence="{own.id}"') :].split("</tr>")[0]
    assert "Phối hợp với" not in row and "gửi trước ngày" not in row


@pytest.mark.parametrize(
    ("ref", "status"),
    [
        ("ldtbxh", 200),
        ("{id}", 200),
        ("khong-co", 404),
        ("0", 404),
        (str(2**63), 404),  # a number no id column holds names nothing
        ("x" * 65, 404),  # longer than any code
    ],
)
def test_a_body_page_takes_a_code_or_an_id(database_url: str, db: Session, people: None, ref: str, status: int) -> None:
    body = db.scalars(select(Body).where(Body.code == "ldtbxh")).one()
    db.commit()
    office = signed_in(make_app(database_url), "office")
    answer = office.client.get("/bodies/" + ref.format(id=body.id))
    assert answer.status_code == status
    if status == 200:
        assert "<h1>Phòng Lao động - Thương binh và Xã hội</h1>" in answer.text


def test_a_focal_point_opens_its_own_body_by_code_and_no_other(database_url: str, people: None) -> None:
    focal = signed_in(make_app(database_url), "ldtbxh-focal")
    assert focal.client.get("/bodies/ldtbxh").status_code == 200
    assert focal.client.get("/bodies/yte", follow_redirects=False).status_code == 403


def test_the_overview_names_bodies_short_with_the_whole_name_on_hover(database_url: str, people: None) -> None:
    page = signed_in(make_app(database_url), "office").client.get("/").text
    assert '<a href="/bodies/ldtbxh" title="Phòng Lao động - Thương binh và Xã hội">Phòng LĐTBXH</a>' in page


def _stage_messages_failures_and_a_report(engine: Engine, db: Session, tmp_path: Path) -> None:
    """Reminders, escalations and digests sent to Phòng LĐTBXH; one message failed; one report compiled."""
    for day in (5, 13, 21, 23, 27):
        run(engine, at(2023, 6, day), body="ldtbxh")
    run(engine, at(2023, 7, 4), body="ldtbxh")
    failed = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).one()
    db.execute(update(OutboxMessage).where(OutboxMessage.id == failed.id).values(status="failed", attempts=3))
    db.add(
        DeliveryAttempt(
            outbox_id=failed.id,
            at=WEB_NOW,
            url_masked="mailto://l***@example.vn",
            ok=False,
            error="550 hộp thư không tồn tại",
        )
    )
    body = db.scalars(select(Body).where(Body.code == "ldtbxh")).one()
    file = tmp_path / "report.md"
    file.write_text("# Báo cáo", encoding="utf-8")
    overdue = {"body": "Phòng LĐTBXH", "unit": None, "duty_text": "Báo cáo", "due_on": "2023-06-15"}
    db.add(
        Report(
            plan_id=body.plan_id,
            period="2023-H1",
            version=1,
            draft=True,
            as_of=dt.date(2023, 6, 30),
            compiled_at=WEB_NOW,
            compiled_by="Văn phòng BCĐ",
            content_sha256="0" * 64,
            figures={
                "plan": {"title": "KH"},
                "period": {"kind": "H1", "token": "2023-H1", "year": 2023},
                "indicators": [],
                "overdue": [overdue],
            },
            files={"md": str(file)},
        )
    )
    db.commit()


SKIP = re.compile(r"^/(?:sign-out|evidence/|calendar/.+\.ics)|\.csv|^/reports/\d+/")


def _crawl(get: Callable[[str], httpx.Response], start: list[str], limit: int = 80) -> dict[str, VisibleText]:
    """Every page reachable from `start` through the dashboard's own links, at most `limit`."""
    seen: dict[str, VisibleText] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0).replace("&amp;", "&")
        if path in seen or not path.startswith("/") or SKIP.search(path):
            continue
        answer = get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        page = VisibleText()
        page.feed(answer.text)
        seen[path] = page
        queue.extend(page.links)
    return seen


@pytest.mark.parametrize(
    ("login", "start"),
    [
        (
            "office",
            [
                "/",
                "/overdue",
                "/overdue?body=ldtbxh",
                "/deliveries/failed",
                "/reports",
                "/indicators",
                "/bodies/ldtbxh",
                "/calendar",
                "/sessions",
            ],
        ),
        ("ldtbxh-focal", ["/my", "/calendar", "/sessions", "/indicators/report"]),
    ],
)
def test_no_page_shows_a_code_a_period_token_or_a_utc_time(
    database_url: str, db: Session, engine: Engine, people: None, tmp_path: Path, login: str, start: list[str]
) -> None:
    _stage_messages_failures_and_a_report(engine, db, tmp_path)
    told = db.scalars(select(Occurrence.id).where(Occurrence.key == "ldtbxh-1/2023-H1/ldtbxh")).one()
    db.commit()
    who = signed_in(make_app(database_url), login)
    pages = _crawl(who.client.get, [f"/occurrences/{told}", *start])
    assert any(p.startswith("/occurrences/") for p in pages)
    wrong = []
    for path, page in pages.items():
        text = "\n".join(page.text)
        wrong += [f"{path}: {m.group(0)!r}" for m in CODES.finditer(text + "\n".join(page.code))]
        wrong += [f"{path}: {m.group(0)!r}" for m in PERIOD_TOKEN.finditer(text)]
    assert not wrong, "\n".join(sorted(set(wrong)))
    seen = "\n".join("\n".join(p.text) for p in pages.values())
    assert "báo quá hạn lần" in seen and "nhắc trước hạn" in seen  # the steps are there, in words
    if login == "office":
        assert "gửi thất bại" in seen and "6 tháng đầu năm 2023" in seen and "15/06/2023" in seen
