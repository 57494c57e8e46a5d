"""`dutyflow demo` leaves every page alive: indicator values (per commune where allocated), the reports of the
periods that ended, and a dashboard that opens on the simulated day, saying so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.duty import Occurrence, StatusEvent
from models.plan import TargetAllocation
from models.report import IndicatorValue, Report
from tasks.calendar.clock import local_date
from tasks.people.accounts import Role, add_person
from tests.conftest import SEED_PLAN, Run
from tests.web_support import PASSWORD, signed_in, web_settings
from web.app import create_app


def test_the_demo_reports_values_compiles_ended_periods_and_opens_on_its_day(
    cli: Run, database_url: str, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(
        "demo", str(SEED_PLAN), "--until", "2023-04-20", database_url=database_url,
        DUTYFLOW_REPORTS_DIR=str(tmp_path / "bao-cao"),
    )  # fmt: skip
    assert code == 0, err
    assert "2023-Q1" in out
    per_commune = db.scalar(select(func.count()).select_from(IndicatorValue).where(IndicatorValue.unit_id.is_not(None)))
    district = db.scalar(select(func.count()).select_from(IndicatorValue).where(IndicatorValue.unit_id.is_(None)))
    allocated = db.scalar(select(func.count()).select_from(TargetAllocation))
    reports = db.scalars(select(Report.period)).all()
    assert per_commune == allocated == 17 and district == 11 and reports == ["2023-Q1"]
    add_person(db, login="vp", name="Văn phòng", role=Role.OFFICE, now=db.scalars(select(Report.compiled_at)).one(),
               actor="test", password=PASSWORD)  # fmt: skip
    db.commit()
    office = signed_in(create_app(web_settings(database_url)), "vp")  # the real clock: no override
    overview = office.client.get("/").text
    assert "Bản dùng thử: dữ liệu mô phỏng đến ngày 20/04/2023" in overview
    assert 'value="2023-04-20"' in overview  # the date box opens on the simulated day
    indicators = office.client.get("/indicators", params={"period": "2023-Q1"}).text
    assert "chưa báo cáo" not in indicators
    assert "2023-Q1" in office.client.get("/api/v1/reports").text


def test_on_a_demo_database_the_cli_and_the_dashboard_share_its_day(
    cli: Run, database_url: str, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"DUTYFLOW_REPORTS_DIR": str(tmp_path / "bao-cao")}
    assert cli("demo", str(SEED_PLAN), "--until", "2023-03-20", database_url=database_url, **env)[0] == 0
    code, out, err = cli("simulate", "--from", "2023-03-21", "--to", "2023-03-24", database_url=database_url)
    assert code == 0 and "24/03/2023" in out, err  # the demo's day moves on with the simulation
    owed = db.scalars(
        select(Occurrence).where(Occurrence.status == "open", Occurrence.due_on < dt.date(2023, 3, 24))
    ).first()
    assert owed is not None
    key = owed.key
    db.commit()
    code, _out, err = cli("duty", "submit", key, "--by", "Đầu mối", database_url=database_url)
    assert code == 0, err
    stamped = db.scalars(
        select(StatusEvent.at).where(StatusEvent.to_status == "submitted").order_by(StatusEvent.id.desc())
    ).first()
    db.commit()
    assert stamped is not None and local_date(stamped) == dt.date(2023, 3, 24)  # not the wall clock's year
    add_person(db, login="vp", name="Văn phòng", role=Role.OFFICE, now=stamped, actor="test", password=PASSWORD)
    db.commit()
    page = signed_in(create_app(web_settings(database_url)), "vp").client.get("/").text
    assert "mô phỏng đến ngày 24/03/2023" in page
    health = page.split('id="health"', 1)[1]
    assert "chưa chạy lần nào" not in health  # the demo's sweeps of all bodies swept each body
