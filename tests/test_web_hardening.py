"""A client's mistakes end in a 4xx, never a 500: ids beyond any row, the same change sent ten times at once, a
chunked body past the limit, a day's uploads past the quota; and what a browser or proxy may keep."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import httpx
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dutyflow.serving import dashboard_server, free_port
from models.access import Acknowledgement, Evidence, Person
from models.duty import Duty, Occurrence
from models.outbox import OutboxMessage
from models.report import IndicatorValue
from tasks.people.accounts import issue_token
from tests.test_sweep import at, run
from tests.web_support import WEB_NOW, make_app, overdue_occurrence, signed_in

HUGE = [2**63, 2**64, 10**20]


def test_an_id_no_row_can_have_is_not_found_on_every_route_kind(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    office = signed_in(app, "office")
    for big in HUGE:
        for path in (f"/occurrences/{big}", f"/bodies/{big}", f"/reports/{big}", f"/reports/{big}/md"):
            assert office.client.get(path).status_code == 404, path
        assert office.post(f"/occurrences/{big}/submit", {"note": "x"}).status_code == 404
        assert office.post(f"/occurrences/{big}/decide", {"action": "accept"}).status_code == 404
        assert office.post(f"/sessions/{big}/end").status_code == 404
        for path in (f"/api/v1/occurrences/{big}", f"/api/v1/bodies/{big}/duties"):
            answer = office.client.get(path)
            assert answer.status_code == 404 and answer.json()["code"] == "not_found", path
    focal = signed_in(app, "yte-focal")
    assert focal.client.get(f"/evidence/{2**64}").status_code == 404
    assert office.client.get("/occurrences/999999").status_code == 404  # in range, no such row


def _ten_at_once(database_url: str, secret: str, url: str, json: dict[str, str] | None) -> list[int]:
    """The same POST from ten keep-alive connections at once; then each connection must still answer."""
    headers = {"Authorization": f"Bearer {secret}"}
    with dashboard_server(make_app(database_url), host="127.0.0.1", port=free_port()) as site:
        clients = [httpx.Client(base_url=site, headers=headers) for _ in range(10)]
        start = threading.Barrier(10)
        statuses: list[int] = []

        def send(client: httpx.Client) -> None:
            start.wait()
            statuses.append(client.post(url, json=json).status_code)

        threads = [threading.Thread(target=send, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for client in clients:  # every keep-alive connection still answers
            assert client.get("/api/v1/reports").status_code in (200, 403)
            client.close()
    return statuses


def test_ten_identical_acknowledgements_at_once_are_one_success_and_nine_conflicts(
    database_url: str, engine: Engine, db: Session, people: None
) -> None:
    occurrence = overdue_occurrence(db, "yte")
    run(engine, at(occurrence.due_on.year, occurrence.due_on.month, occurrence.due_on.day, 9))
    focal = db.scalars(select(Person).where(Person.login == "yte-focal")).one()
    _, secret = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=focal)
    assert db.scalar(select(func.count()).select_from(OutboxMessage))
    db.commit()
    statuses = _ten_at_once(database_url, secret, f"/api/v1/occurrences/{occurrence.id}/acknowledge", None)
    assert Counter(statuses) == {200: 1, 409: 9}, statuses
    acknowledged = db.scalar(select(func.count()).select_from(Acknowledgement))
    db.commit()
    assert acknowledged and acknowledged >= 1


def test_ten_identical_values_at_once_are_saved_or_conflicts_never_errors(
    database_url: str, db: Session, people: None
) -> None:
    office = db.scalars(select(Person).where(Person.login == "office")).one()
    _, secret = issue_token(db, kind="api", now=WEB_NOW, actor="test", person=office)
    db.commit()
    value = {"target": "jobs-created", "scope": "-", "period": "2023-H1", "value": "1.234"}
    statuses = _ten_at_once(database_url, secret, "/api/v1/indicators/values", value)
    assert set(statuses) <= {200, 201, 409}, statuses  # saved as the next version, or a conflict: never a 500
    saved = sorted(db.scalars(select(IndicatorValue.version)))
    db.commit()
    assert saved == list(range(1, len(saved) + 1)) and len(saved) == sum(s in (200, 201) for s in statuses)


def test_a_chunked_body_past_the_limit_is_refused_with_the_limit(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url, evidence_max_bytes=4096)
    occurrence = overdue_occurrence(db, "yte")
    focal = signed_in(app, "yte-focal")
    boundary = "xyz"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{focal.csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-"
    ).encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(40):
            yield b"x" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = focal.client.post(
        f"/occurrences/{occurrence.id}/submit",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status_code == 413
    assert "tối đa 1 MB" in answer.text and "Không tìm thấy" not in answer.text
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0
    db.commit()


def test_uploads_past_the_daily_quota_are_refused(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url, upload_quota_bytes_per_day=3000)
    occurrence = overdue_occurrence(db, "yte")
    focal = signed_in(app, "yte-focal")
    pdf = b"%PDF-1.4\n" + b"x" * 2000
    first = focal.client.post(
        f"/occurrences/{occurrence.id}/submit",
        data={"csrf": focal.csrf, "note": "một"},
        files={"evidence": ("a.pdf", pdf, "application/pdf")},
        follow_redirects=True,
    )
    assert first.status_code == 200
    refused = focal.client.post(
        f"/api/v1/occurrences/{occurrence.id}/submit",
        data={"note": "hai"},
        files={"evidence": ("b.pdf", pdf, "application/pdf")},
        headers={"X-CSRF-Token": focal.csrf},
    )
    assert refused.status_code in (409, 422) and "hạn mức" in refused.text, refused.text
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    db.commit()


def test_signed_in_pages_and_the_api_are_not_kept_and_say_nosniff_once(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    office = signed_in(app, "office")
    for path in ("/", "/overdue", "/api/v1/overview", "/sessions"):
        answer = office.client.get(path)
        assert answer.headers.get_list("cache-control") == ["no-store"], path
        assert answer.headers.get_list("x-content-type-options") == ["nosniff"], path
    evidence = Evidence(
        occurrence_id=overdue_occurrence(db, "yte").id,
        filename="a.pdf",
        content_type="application/pdf",
        size=5,
        sha256="0" * 64,
        data=b"%PDF-",
        uploaded_at=WEB_NOW,
    )
    db.add(evidence)
    db.commit()
    download = office.client.get(f"/evidence/{evidence.id}")
    assert download.status_code == 200
    assert download.headers.get_list("x-content-type-options") == ["nosniff"]
    assert "no-store" not in office.client.get("/static/dashboard.css").headers.get("cache-control", "")


def test_the_overdue_csv_never_hands_a_spreadsheet_a_formula(database_url: str, db: Session, people: None) -> None:
    import csv
    import io

    texts = ['=HYPERLINK("http://127.0.0.1/x","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tthụt lề"]
    overdue = select(Occurrence.duty_id).where(Occurrence.status == "open", Occurrence.due_on < WEB_NOW.date())
    duties = db.scalars(select(Duty).where(Duty.id.in_(overdue)).order_by(Duty.id).limit(5)).all()
    for duty, text in zip(duties, texts, strict=True):
        duty.text = text
    db.commit()
    office = signed_in(make_app(database_url), "office")
    content = office.client.get("/overdue.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    for text in texts:
        assert "'" + text in cells, text
        assert text not in cells, text
    assert all(not cell.startswith(("=", "+", "@", "\t")) for cell in cells)
