"""Periodic reports: every figure against an independent recount, the four formats, freezing, bad input."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Body, Occurrence, OutboxMessage, Plan, Report, StatusEvent
from models.db import session_factory
from notifications.channels import ChannelBook
from tasks.calendar.clock import VN_TZ
from tasks.calendar.periods import parse_period
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.actions import act_on_occurrence
from tasks.duties.statuses import Action
from tasks.plans.loading import LoadSummary
from tasks.reminders.config import SweepConfig
from tasks.reminders.delivery import deliver
from tasks.reminders.simulate import simulate
from tasks.reports.compiling import ReportRefused, compile_report
from tasks.reports.delivery import queue_report_messages
from tasks.reports.indicators import PlanVocabulary, check_value, save_value
from tasks.reports.tables import import_table

from .receivers import smtp_server

H1 = parse_period("2023-H1")
AFTER_H1 = dt.datetime(2023, 7, 3, 2, 0, tzinfo=dt.UTC)  # 09:00, after the H1 cut-off of 14/06/2023
CAL = WorkCalendar()
CONFIG = SweepConfig(calendar=CAL, dashboard_url="http://127.0.0.1:8000")


def _value(
    db: Session, target: str, value: float, unit: str | None = None, period: str = "2023-H1", at: dt.datetime = AFTER_H1
) -> None:
    plan = db.scalars(select(Plan)).one()
    checked, issues = check_value(PlanVocabulary(db, plan), target=target, unit=unit, period=period, value=value)
    assert checked is not None, issues
    save_value(db, plan=plan, checked=checked, by="Phòng LĐTBXH", now=at, source="test")


def _compile(
    db: Session,
    tmp_path: Path,
    *,
    now: dt.datetime = AFTER_H1,
    draft: bool = False,
    formats: tuple[str, ...] = ("md", "html", "docx", "xlsx"),
) -> Report:
    plan = db.scalars(select(Plan)).one()
    compiled = compile_report(
        db,
        plan=plan,
        period=H1,
        now=now,
        calendar=CAL,
        due_soon_workdays=5,
        formats=list(formats),
        out_dir=tmp_path,
        by="test",
        draft=draft,
    )
    db.commit()
    return compiled.report


@pytest.fixture
def half_year(db: Session, engine: Engine, loaded: LoadSummary, tmp_path: Path) -> Report:
    simulate(
        session_factory(engine),
        start=dt.date(2023, 2, 24),
        end=dt.date(2023, 6, 30),
        submit_rate=0.12,
        seed=5,
        book=ChannelBook(),
        config=CONFIG,
        worker="sim",
    )
    _value(db, "jobs-created", 900, "xa-kim-son")
    _value(db, "jobs-created", 650, "tt-tra-cu")
    _value(db, "jobs-created", 700, "tt-tra-cu", at=AFTER_H1 + dt.timedelta(minutes=5))  # a correction: v2
    _value(db, "trained-rate", 61.5)
    _value(db, "overseas-workers", 55)
    allocations = tmp_path / "phu-luc.csv"
    allocations.write_text(
        "chỉ tiêu,đơn vị,giá trị\njobs-created,Xã Kim Sơn,1.200\njobs-created,tt-tra-cu,800\n", encoding="utf-8"
    )
    import_table(db, plan=db.scalars(select(Plan)).one(), path=allocations, by="VP BCĐ", now=AFTER_H1, allocations=True)
    db.commit()
    return _compile(db, tmp_path / "out")


def _status_at_cutoff(
    occurrence: Occurrence, events: list[StatusEvent], moment: dt.datetime
) -> tuple[str, dt.date | None]:
    status = events[0].from_status if events else occurrence.status
    submitted: dt.date | None = None
    for event in events:
        if event.at <= moment:
            status = event.to_status
            if event.to_status == "submitted":
                submitted = event.at.astimezone(VN_TZ).date()
    return status, submitted


def test_every_figure_of_the_half_year_report_equals_an_independent_recount(db: Session, half_year: Report) -> None:
    figures = half_year.figures
    cutoff = H1.end
    moment = dt.datetime.combine(cutoff, dt.time.max, tzinfo=VN_TZ)
    expected: Counter[tuple[str, str]] = Counter()
    overdue_keys = set()
    for occurrence in db.scalars(select(Occurrence)):
        events = sorted(occurrence.events, key=lambda e: e.id)
        status, submitted = _status_at_cutoff(occurrence, events, moment)
        if status in ("submitted", "accepted"):
            category = "completed_on_time" if submitted and submitted <= occurrence.due_on else "completed_late"
        elif status in ("waived", "suspended", "not_applicable"):
            category = status
        elif cutoff > occurrence.due_on:
            category = "overdue"
            overdue_keys.add(occurrence.key)
        elif occurrence.period_start > cutoff:
            category = "not_yet_due"
        else:
            category = "in_progress"
        expected[(occurrence.body.code, category)] += 1
    for body in figures["duty_status"]["bodies"]:
        for category, count in body["counts"].items():
            assert count == expected[(body["code"], category)], (body["code"], category)
    assert sum(figures["duty_status"]["totals"].values()) == db.query(Occurrence).count()
    assert {o["key"] for o in figures["overdue"]} == overdue_keys

    indicators = {i["code"]: i for i in figures["indicators"]}
    jobs = indicators["jobs-created"]
    assert jobs["value"] == 900 + 700  # communes add up; the corrected value counts, not the first
    assert jobs["achieved_pct"] == round(1600 / 3000 * 100, 2)
    assert {u["code"]: (u["allocated"], u["value"]) for u in jobs["units"]} == {
        "tt-tra-cu": (800, 700),
        "xa-kim-son": (1200, 900),
    }
    assert indicators["trained-rate"]["value"] == 61.5 and indicators["overseas-workers"]["achieved_pct"] == 39.29
    assert indicators["regular-employment"]["value"] is None

    submitted_in_h1 = db.scalars(select(StatusEvent).where(StatusEvent.to_status == "submitted")).all()
    in_window = [e for e in submitted_in_h1 if H1.start <= e.at.astimezone(VN_TZ).date() <= cutoff]
    assert len(figures["submissions"]) == len(in_window) > 0


def test_the_docx_is_an_editable_administrative_document(half_year: Report) -> None:
    document = Document(half_year.files["docx"])
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.styles["Normal"].font.name == "Times New Roman" and document.styles["Normal"].font.size.pt == 13
    head = document.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN HUYỆN TRÀ CÚ" in head[0].text and "Số: .../BC-UBND" in head[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2023" in text and "14/06/2023" in text
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grids) >= 5
    assert len(document.inline_shapes) == 1  # the chart
    assert not section.header.paragraphs[0].text  # a final report carries no draft mark


def test_the_xlsx_has_a_sheet_per_table_with_numbers_as_numbers(half_year: Report) -> None:
    workbook = load_workbook(half_year.files["xlsx"])
    assert workbook.sheetnames == ["Chỉ tiêu", "Theo xã", "Nhiệm vụ", "Quá hạn", "Đã nhận", "Đúng hạn", "Thực trạng"]
    ranked = list(workbook["Đúng hạn"].iter_rows(min_row=2, values_only=True))
    assert ranked and all(isinstance(row[6], float | int) or row[6] is None for row in ranked if row[0])
    indicators = workbook["Chỉ tiêu"]
    rows = {row[1]: row for row in indicators.iter_rows(min_row=2, values_only=True)}
    assert rows["jobs-created"][4] == 3000 and rows["jobs-created"][5] == 1600
    assert isinstance(rows["trained-rate"][4], float) and isinstance(rows["jobs-created"][6], float)
    duties = workbook["Nhiệm vụ"]
    assert all(isinstance(c, int) for c in next(duties.iter_rows(min_row=2, values_only=True))[1:])
    assert len(duties._images) == 1  # the chart beside the table


def test_markdown_and_html_carry_the_same_report_with_the_chart(half_year: Report) -> None:
    markdown = Path(half_year.files["md"]).read_text(encoding="utf-8")
    html = Path(half_year.files["html"]).read_text(encoding="utf-8")
    for text in (markdown, html):
        assert "BÁO CÁO" in text and "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in text and "Tăng Thị Thắm" in text
    chart = Path(half_year.files["md"]).with_suffix(".png")
    assert f"]({chart.name})" in markdown and chart.read_bytes().startswith(b"\x89PNG")
    assert 'src="data:image/png;base64,' in html and "@page { size: A4" in html


def test_a_stored_report_does_not_change_when_a_duty_is_submitted_after_the_cut_off(
    db: Session, half_year: Report, tmp_path: Path
) -> None:
    frozen = (half_year.content_sha256, half_year.figures)
    overdue = half_year.figures["overdue"] or []
    open_key = (
        overdue[0]["key"]
        if overdue
        else db.scalars(
            select(Occurrence.key).where(Occurrence.status == "open", Occurrence.period == "2023-H1")
        ).first()
    )
    assert open_key is not None
    act_on_occurrence(db, ref=str(open_key), action=Action.SUBMIT, actor="Đầu mối", now=AFTER_H1 + dt.timedelta(days=1))
    db.commit()
    db.expire_all()
    stored = db.get(Report, half_year.id)
    assert stored is not None and (stored.content_sha256, stored.figures) == frozen
    again = _compile(db, tmp_path / "again")
    assert again.version == 2 and again.content_sha256 == half_year.content_sha256  # the cut-off is the cut-off


def test_a_period_not_yet_cut_off_is_refused_unless_a_draft_marked_on_every_page(
    db: Session, loaded: LoadSummary, tmp_path: Path
) -> None:
    before = dt.datetime(2023, 6, 10, 2, 0, tzinfo=dt.UTC)
    with pytest.raises(ReportRefused) as refused:
        _compile(db, tmp_path, now=before)
    assert refused.value.code == "report.not_cut_off"
    db.rollback()
    draft = _compile(db, tmp_path, now=before, draft=True)
    assert draft.draft and "du-thao" in draft.files["docx"]
    document = Document(draft.files["docx"])
    assert "DỰ THẢO" in document.sections[0].header.paragraphs[0].text  # the header repeats on every page
    assert "DỰ THẢO" in Path(draft.files["md"]).read_text(encoding="utf-8").splitlines()[0]
    assert 'class="draft"' in Path(draft.files["html"]).read_text(encoding="utf-8")
    assert all("DỰ THẢO" in sheet.oddHeader.center.text for sheet in load_workbook(draft.files["xlsx"]).worksheets)


def test_the_report_is_announced_to_the_office_and_signer_with_the_docx_by_email(
    db: Session, engine: Engine, half_year: Report
) -> None:
    plan = db.scalars(select(Plan)).one()
    queued = queue_report_messages(db, report=half_year, plan=plan, now=AFTER_H1, dashboard_url="http://x", locale="vi")
    again = queue_report_messages(db, report=half_year, plan=plan, now=AFTER_H1, dashboard_url="http://x", locale="vi")
    db.commit()
    assert (queued, again) == (2, 0)
    with smtp_server() as (port, mailbox):
        url = f"mailto://127.0.0.1:{port}?from=dutyflow@tracu.local&to=vpbcd@tracu.local"
        deliver(
            session_factory(engine), now=AFTER_H1, worker="t", book=ChannelBook({"van-phong-bcd": [url]}), config=CONFIG
        )
    (mail,) = mailbox.messages
    assert mail["Subject"].startswith("[Báo cáo] 12/KH-UBND: kết quả thực hiện 6 tháng đầu năm 2023")
    attachments = [p for p in mail.iter_attachments()]
    assert [a.get_filename() for a in attachments] == [Path(half_year.files["docx"]).name]
    assert db.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent")).first() is None
    assert {b.code for b in db.scalars(select(Body))}  # the plan is still whole
