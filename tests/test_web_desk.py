"""The dashboard's actions and their defences: submitting with evidence, acknowledging, reporting a figure,
the office's lists, and each attack the issue names (oversized or disguised files, no CSRF token, another body's
id, HTML in text)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dutyflow.i18n import set_locale
from models.access import Acknowledgement, AuditEntry, Evidence
from models.duty import Duty, Occurrence
from models.outbox import OutboxMessage
from models.plan import Body, Target
from models.report import IndicatorValue
from tests.test_sweep import at, run
from tests.web_support import make_app, overdue_occurrence, signed_in

PDF = b"%PDF-1.4\n% bien ban\n"


def _status(db: Session, occurrence_id: int) -> str:
    status = db.scalars(select(Occurrence.status).where(Occurrence.id == occurrence_id)).one()
    db.commit()
    return status


def _submit(who: Any, occurrence_id: int, note: str, file: tuple[str, bytes] | None = None, **kw: Any) -> Any:
    files = {"evidence": (file[0], file[1], "application/octet-stream")} if file else None
    return who.client.post(
        f"/occurrences/{occurrence_id}/submit",
        data={"csrf": who.csrf, "note": note, **kw},
        files=files,
        follow_redirects=True,
    )


def _overdue_ids(who: Any) -> set[int]:
    answer = who.client.get("/api/v1/overdue", params={"per_page": 500})
    assert answer.status_code == 200
    return {row["occurrence_id"] for row in answer.json()["rows"]}


def test_a_focal_point_submits_an_overdue_duty_with_a_note_and_evidence(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    occurrence = overdue_occurrence(db, "yte")
    office, focal = signed_in(app, "office"), signed_in(app, "yte-focal")
    assert occurrence.id in _overdue_ids(office)

    page = _submit(focal, occurrence.id, "Đã gửi báo cáo quý I kèm danh sách.", ("bao-cao-quy-1.pdf", PDF))

    assert page.status_code == 200
    assert "Đã ghi nhận kết quả" in page.text
    assert _status(db, occurrence.id) == "submitted"
    assert occurrence.id not in _overdue_ids(office)
    evidence = db.scalars(select(Evidence).where(Evidence.occurrence_id == occurrence.id)).one()
    assert (evidence.filename, evidence.content_type, evidence.size) == (
        "bao-cao-quy-1.pdf",
        "application/pdf",
        len(PDF),
    )
    event = db.execute(
        select(AuditEntry.actor, AuditEntry.action).where(AuditEntry.action == "occurrence:submit")
    ).one()
    assert event == ("Đầu mối Y tế (yte-focal)", "occurrence:submit")
    assert "Đầu mối Y tế (yte-focal)" in office.client.get(f"/occurrences/{occurrence.id}").text
    download = office.client.get(f"/evidence/{evidence.id}")
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment")
    db.commit()


def test_an_oversized_or_disguised_file_is_refused_and_nothing_changes(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url, evidence_max_bytes=4096)
    occurrence = overdue_occurrence(db, "yte")
    focal = signed_in(app, "yte-focal")
    refusals = {
        "too big": (("lon.pdf", b"%PDF-" + b"x" * 5000), "quá lớn"),
        "an executable": (("virus.exe", b"MZ\x90\x00"), "Loại tệp không được nhận"),
        "a PNG called PDF": (("anh.pdf", b"\x89PNG\r\n\x1a\n...."), "không khớp"),
        "empty": (("rong.pdf", b""), "rỗng"),
    }
    for name, (file, message) in refusals.items():
        page = _submit(focal, occurrence.id, "thử", file)
        assert message in page.text, name
        assert _status(db, occurrence.id) == "open", name
    # A body far past the limit is cut off before it is read at all.
    huge = focal.client.post(
        f"/occurrences/{occurrence.id}/submit",
        data={"csrf": focal.csrf},
        files={"evidence": ("lon.pdf", b"%PDF-" + b"x" * 2_000_000, "application/pdf")},
    )
    assert huge.status_code == 413
    assert _status(db, occurrence.id) == "open"
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0
    db.commit()


def test_a_form_without_its_csrf_token_changes_nothing(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    occurrence = overdue_occurrence(db, "yte")
    focal = signed_in(app, "yte-focal")
    for data in ({"note": "x"}, {"note": "x", "csrf": "gia-mao"}):
        answer = focal.client.post(f"/occurrences/{occurrence.id}/submit", data=data)
        assert answer.status_code == 403
        assert "chống giả mạo" in answer.text
    api = focal.client.post(f"/api/v1/occurrences/{occurrence.id}/submit", data={"note": "x"})
    assert api.status_code == 403 and api.json()["code"] == "csrf"
    assert _status(db, occurrence.id) == "open"


def test_a_focal_point_cannot_reach_another_body_by_changing_the_id(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    theirs = overdue_occurrence(db, "ldtbxh")
    focal = signed_in(app, "yte-focal")
    assert focal.client.get(f"/occurrences/{theirs.id}").status_code == 403
    assert _submit(focal, theirs.id, "không phải của tôi").status_code == 403
    assert focal.client.get(f"/api/v1/occurrences/{theirs.id}").status_code == 403
    api = focal.client.post(
        f"/api/v1/occurrences/{theirs.id}/submit", data={"note": "x"}, headers={"X-CSRF-Token": focal.csrf}
    )
    assert api.status_code == 403
    assert focal.client.get(f"/bodies/{theirs.body_id}").status_code == 403
    assert _status(db, theirs.id) == "open"
    # The commune body's focal point sees every commune of it.
    commune = overdue_occurrence(db, "ubnd-xa")
    assert signed_in(app, "xa-focal").client.get(f"/occurrences/{commune.id}").status_code == 200


def test_html_in_a_note_or_a_duty_text_is_shown_as_text(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    occurrence = overdue_occurrence(db, "yte")
    duty = db.get(Duty, occurrence.duty_id)
    assert duty is not None
    duty.text = 'Báo cáo <img src=x onerror="alert(1)"> quý'
    db.commit()
    focal = signed_in(app, "yte-focal")
    _submit(focal, occurrence.id, "<script>alert('xss')</script>")
    office = signed_in(app, "office")
    page = office.client.get(f"/occurrences/{occurrence.id}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page
    assert "script-src" not in page  # no inline policy needed: the CSP header forbids inline scripts
    assert "default-src 'self'" in office.client.get("/").headers["content-security-policy"]


def test_a_reminder_is_acknowledged_by_the_body_it_was_sent_to(
    database_url: str, engine: Engine, db: Session, people: None
) -> None:
    occurrence = overdue_occurrence(db, "yte")
    run(engine, at(occurrence.due_on.year, occurrence.due_on.month, occurrence.due_on.day, 9))
    sent = db.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.occurrence_id == occurrence.id)
    )
    db.commit()
    assert sent
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    page = focal.client.post(
        f"/occurrences/{occurrence.id}/acknowledge", data={"csrf": focal.csrf}, follow_redirects=True
    )
    assert "Đã xác nhận nhận" in page.text
    assert (db.scalar(select(func.count()).select_from(Acknowledgement)) or 0) >= 1
    db.commit()  # SQLite: the test's read must end before the app writes
    again = focal.client.post(
        f"/occurrences/{occurrence.id}/acknowledge", data={"csrf": focal.csrf}, follow_redirects=True
    )
    assert "Không có thông báo mới" in again.text
    office_view = signed_in(app, "office").client.get(f"/occurrences/{occurrence.id}").text
    assert "Đầu mối Y tế (" in office_view  # who acknowledged, and when
    db.commit()


def test_a_figure_reported_on_the_dashboard_is_a_new_version_with_the_person(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    office = signed_in(app, "office")
    code = next(t.code for t in db.scalars(select(Target).order_by(Target.order)) if not t.unit.startswith("%"))
    db.commit()
    assert f'<option value="{code}">' in office.client.get("/indicators/report").text
    for value in ("1.234", "1.250"):
        saved = office.post("/indicators/report", {"target": code, "scope": "-", "period": "2023-H1", "value": value})
        assert saved.status_code == 303, saved.text
    rows = db.scalars(select(IndicatorValue).order_by(IndicatorValue.version)).all()
    assert [(r.value, r.version, r.reported_by) for r in rows] == [
        (1234.0, 1, "Văn phòng BCĐ (office)"),
        (1250.0, 2, "Văn phòng BCĐ (office)"),
    ]
    db.commit()
    bad = office.client.post(
        "/indicators/report",
        data={"csrf": office.csrf, "target": code, "scope": "-", "period": "2023-H1", "value": "-5"},
        follow_redirects=True,
    )
    assert "giá trị âm" in bad.text, bad.text
    assert "1.250" in office.client.get("/indicators", params={"period": "2023-H1"}).text
    db.commit()


def test_the_overdue_list_filters_sorts_pages_and_exports_csv(database_url: str, db: Session, people: None) -> None:
    office = signed_in(make_app(database_url), "office")
    everything = office.client.get("/api/v1/overdue", params={"per_page": 500}).json()
    assert everything["total"] == len(everything["rows"]) > 10
    communes = office.client.get("/api/v1/overdue", params={"body": "ubnd-xa", "per_page": 500}).json()
    assert communes["total"] and {r["body_code"] for r in communes["rows"]} == {"ubnd-xa"}
    one = office.client.get("/api/v1/overdue", params={"unit": "tt-tra-cu"}).json()
    assert {r["unit_code"] for r in one["rows"]} == {"tt-tra-cu"}
    late = office.client.get("/api/v1/overdue", params={"days": 20, "per_page": 500}).json()
    assert all(-r["days_left"] >= 20 for r in late["rows"]) and late["total"] < everything["total"]
    newest = office.client.get("/api/v1/overdue", params={"sort": "-due", "per_page": 500}).json()["rows"]
    assert [r["due_on"] for r in newest] == sorted((r["due_on"] for r in newest), reverse=True)
    order = {code: n for n, code in enumerate(db.scalars(select(Body.code).order_by(Body.order)))}
    db.commit()
    for as_of in ("2023-07-10", "2023-07-05"):  # today (read from current statuses) and a day gone by (rebuilt)
        by_body = office.client.get("/api/v1/overdue", params={"sort": "body", "per_page": 500, "as_of": as_of})
        ranks = [order[r["body_code"]] for r in by_body.json()["rows"]]
        assert ranks and ranks == sorted(ranks), as_of
    page2 = office.client.get("/api/v1/overdue", params={"per_page": 5, "page": 2}).json()
    assert [r["occurrence_id"] for r in page2["rows"]] == [r["occurrence_id"] for r in everything["rows"][5:10]]
    csv = office.client.get("/overdue.csv", params={"body": "ubnd-xa"})
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Mã,Cơ quan,Đơn vị,Nhiệm vụ")
    assert len(lines) == communes["total"] + 1
    html = office.client.get("/overdue", params={"body": "ubnd-xa", "sort": "body"}).text
    assert f"{communes['total']} nhiệm vụ quá hạn" in html


def test_the_overview_shows_every_body_of_the_plan(database_url: str, db: Session, people: None) -> None:
    office = signed_in(make_app(database_url), "office")
    page = office.client.get("/").text
    assert page.count("data-body=") == 17
    api = office.client.get("/api/v1/overview").json()
    assert len(api["bodies"]) == 17 and api["as_of"] == "2023-07-10"
    assert sum(b["counts"]["overdue"] for b in api["bodies"]) == office.client.get("/api/v1/overdue").json()["total"]
    past = office.client.get("/api/v1/overview", params={"as_of": "2023-03-15"}).json()
    assert past["as_of"] == "2023-03-15"
    db.commit()


def test_the_office_accepts_a_submission_and_a_viewer_cannot(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    occurrence = overdue_occurrence(db, "yte")
    _submit(signed_in(app, "yte-focal"), occurrence.id, "xong")
    viewer = signed_in(app, "viewer")
    assert viewer.post(f"/occurrences/{occurrence.id}/decide", {"action": "accept"}).status_code == 403
    office = signed_in(app, "office")
    office.post(f"/occurrences/{occurrence.id}/decide", {"action": "accept", "note": "Đạt"})
    assert _status(db, occurrence.id) == "accepted"


def test_a_bad_date_is_a_clear_error_and_the_dashboard_speaks_english_when_asked(
    database_url: str, db: Session, people: None
) -> None:
    office = signed_in(make_app(database_url), "office")
    answer = office.client.get("/overdue", params={"as_of": "30/06/2023"})
    assert answer.status_code == 400 and "NĂM-THÁNG-NGÀY" in answer.text
    api = office.client.get("/api/v1/overview", params={"as_of": "hôm qua"})
    assert api.status_code == 400 and "không hợp lệ" in api.json()["detail"]
    try:
        english = signed_in(make_app(database_url, lang="en"), "office")
        assert "Progress by body" in english.client.get("/").text
        assert "Sign in" in signed_in(make_app(database_url, lang="en"), None).client.get("/sign-in").text
    finally:
        set_locale("vi")


def test_a_refused_change_is_explained_in_words_not_codes(database_url: str, db: Session, people: None) -> None:
    occurrence = overdue_occurrence(db, "yte")
    focal = signed_in(make_app(database_url), "yte-focal")
    _submit(focal, occurrence.id, "lần đầu")
    again = _submit(focal, occurrence.id, "lần hai")
    said = 'Không thể gửi kết quả khi trạng thái là "đã gửi, chờ xác nhận". Có thể: xác nhận, trả lại.'
    assert said.replace('"', "&#34;") in again.text
    api = focal.client.post(
        f"/api/v1/occurrences/{occurrence.id}/submit", data={"note": "x"}, headers={"X-CSRF-Token": focal.csrf}
    )
    assert api.status_code == 409 and api.json()["detail"].startswith(said)
