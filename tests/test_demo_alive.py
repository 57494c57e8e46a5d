"""`dutyflow demo` leaves every page alive: indicator values (per commune where allocated), the reports of the
periods that ended, and a dashboard that opens on the simulated day, saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.plan import TargetAllocation
from models.report import IndicatorValue, Report
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
