"""The province roll-up: two plans (the seed plan loaded twice under two codes), per plan and per body, in the four
formats, from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Plan
from models.db import session_factory
from models.planfile import PlanFile
from notifications.channels import ChannelBook
from reports.rollup_render import render_rollup
from tasks.calendar.periods import parse_period
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import LoadSummary, load_plan
from tasks.reminders.config import SweepConfig
from tasks.reminders.simulate import simulate
from tasks.reports.figures import compute_figures
from tasks.reports.rollup import compute_rollup

from .conftest import NOW, Run

H1 = parse_period("2023-H1")
AFTER_H1 = dt.datetime(2023, 7, 3, 2, 0, tzinfo=dt.UTC)
CAL = WorkCalendar()
SECOND = "tieu-can-2023"


def load_second_plan(db: Session, seed_plan: PlanFile) -> None:
    """The seed plan again under another code and number: the same bodies, a plan of their own."""
    header = seed_plan.plan.model_copy(update={"code": SECOND, "number": "99/KH-UBND"})
    load_plan(
        db,
        plan_file=seed_plan.model_copy(update={"plan": header}),
        sha256="seed-2",
        now=NOW,
        calendar=CAL,
        support_lead_workdays=3,
    )
    db.commit()


@pytest.fixture
def two_plans(db: Session, engine: Engine, loaded: LoadSummary, seed_plan: PlanFile) -> list[Plan]:
    load_second_plan(db, seed_plan)
    simulate(
        session_factory(engine),
        start=dt.date(2023, 2, 24),
        end=dt.date(2023, 6, 30),
        submit_rate=0.1,
        seed=11,
        book=ChannelBook(),
        config=SweepConfig(calendar=CAL, dashboard_url="http://127.0.0.1:8000"),
        worker="sim",
    )
    plans = list(db.scalars(select(Plan).order_by(Plan.code)))
    db.commit()  # no read left open: the command line opens the database on its own
    return plans


def test_the_rollup_agrees_with_each_plans_report_and_adds_a_body_up_across_the_plans(
    db: Session, two_plans: list[Plan]
) -> None:
    rollup = compute_rollup(db, period=H1, now=AFTER_H1, calendar=CAL, due_soon_workdays=5)
    assert [p["code"] for p in rollup["plans"]] == [SECOND, "tra-cu-2023"]
    per_body: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for plan, line in zip(two_plans, rollup["plans"], strict=True):
        figures = compute_figures(
            db, plan=plan, period=H1, now=AFTER_H1, calendar=CAL, due_soon_workdays=5, draft=False
        )
        ranked = figures["timeliness"]
        for key in ("due", "on_time", "late", "overdue"):
            assert line[key] == sum(r[key] for r in ranked), (plan.code, key)
        for r in ranked:
            names[r["body"]] = r["name"]
            body = per_body.setdefault(r["body"], dict.fromkeys(("due", "on_time", "late", "overdue"), 0))
            for key in body:
                body[key] += r[key]
    assert rollup["totals"]["on_time"] > 0 and rollup["totals"]["late"] > 0 and rollup["totals"]["overdue"] > 0
    bodies = {b["code"]: b for b in rollup["bodies"]}
    assert set(bodies) == set(per_body)
    for code, expected in per_body.items():
        assert {k: bodies[code][k] for k in expected} == expected, code
        assert bodies[code]["plans"] == 2
    assert {code: b["name"] for code, b in bodies.items()} == names
    assert bodies["ldtbxh"]["name"] == "Phòng LĐTBXH"
    for key in ("due", "on_time", "late", "overdue"):
        assert sum(b[key] for b in rollup["bodies"]) == rollup["totals"][key] == sum(p[key] for p in rollup["plans"])
    assert rollup["totals"]["rate"] == round(rollup["totals"]["on_time"] / rollup["totals"]["due"] * 100, 1)


def test_the_rollup_is_written_in_four_formats_in_vietnamese_with_the_plans_that_failed(
    db: Session, two_plans: list[Plan], tmp_path: Path
) -> None:
    rollup = compute_rollup(
        db, period=H1, now=AFTER_H1, calendar=CAL, due_soon_workdays=5, failed={SECOND: "hết thời gian chờ"}
    )
    files = render_rollup(rollup, formats=["md", "html", "docx", "xlsx"], out_dir=tmp_path / "_province")
    assert {fmt: Path(path).name for fmt, path in files.items()} == {
        fmt: f"tong-hop-2023-H1.{fmt}" for fmt in ("md", "html", "docx", "xlsx")
    }
    markdown = Path(files["md"]).read_text(encoding="utf-8")
    html = Path(files["html"]).read_text(encoding="utf-8")
    for text in (markdown, html):
        assert "BÁO CÁO TỔNG HỢP" in text and "2 kế hoạch, 6 tháng đầu năm 2023" in text
        assert "I. THEO KẾ HOẠCH" in text and "Phòng LĐTBXH" in text and "99/KH-UBND" in text
        assert "KẾ HOẠCH CHƯA LẬP ĐƯỢC BÁO CÁO" in text and "hết thời gian chờ" in text
        assert "Tổng cộng" in text and "14/06/2023" in text
    document = Document(files["docx"])
    assert "BÁO CÁO TỔNG HỢP" in "\n".join(p.text for p in document.paragraphs)
    assert [len(t.rows) for t in document.tables] == [1 + 2 + 1, 1 + len(rollup["bodies"]) + 1, 1 + 1]
    workbook = load_workbook(files["xlsx"])
    assert workbook.sheetnames == ["Theo kế hoạch", "Theo cơ quan", "Chưa lập được"]
    rows = list(workbook["Theo cơ quan"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[4], int) for row in rows)  # counts as numbers, the total row too
    assert rows[-1][4] == rollup["totals"]["due"] and rows[-1][2] == "Tổng cộng"


def test_dutyflow_report_rollup_writes_the_province_report(
    cli: Run, database_url: str, two_plans: list[Plan], tmp_path: Path
) -> None:
    code, out, err = cli("report", "rollup", "--period", "2023-H1", "--out", str(tmp_path), database_url=database_url)
    assert code == 0, err
    assert "Đã lập báo cáo tổng hợp kỳ 6 tháng đầu năm 2023: 2 kế hoạch" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"tong-hop-2023-H1.{f}" for f in ("docx", "html", "md", "xlsx")
    ]
    code, out, err = cli(
        "report", "rollup", "--period", "2023-H1", "--format", "md", "--json", database_url=database_url
    )
    assert code == 0 and '"due":' in out and "tong-hop-2023-H1.md" in out
    code, out, err = cli("report", "rollup", "--period", "2030-H1", "--format", "md", database_url=database_url)
    assert code != 0 and "Không có kế hoạch nào thực hiện trong kỳ 6 tháng đầu năm 2030" in out + err
