"""The Prefect side: prefect.yaml holds a sweep per body, and the flows run under one session-wide harness."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import yaml
from prefect import Flow
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.settings import get_settings
from models import InboxMessage
from models.planfile import PlanFile
from tasks.plans.loading import LoadSummary

from .conftest import ROOT

PREFECT = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))


def test_prefect_yaml_holds_one_morning_sweep_per_body_of_the_plan(seed_plan: PlanFile) -> None:
    sweeps = {d["parameters"]["body_code"]: d for d in PREFECT["deployments"] if "body_code" in d.get("parameters", {})}
    assert list(sweeps) == [b.code for b in seed_plan.bodies]
    for code, deployment in sweeps.items():
        assert deployment["name"] == f"sweep-{code}"
        assert deployment["entrypoint"] == "flows/body_sweep.py:body_sweep"
        # Every day: the flow skips days off itself, so a make-up working Saturday is swept too.
        assert deployment["schedules"] == [{"cron": "30 7 * * *", "timezone": "Asia/Ho_Chi_Minh"}]
    assert any(d["name"] == "sweep-all" for d in PREFECT["deployments"])


@pytest.mark.parametrize("entrypoint", sorted({d["entrypoint"] for d in PREFECT["deployments"]}))
def test_every_entrypoint_is_a_flow(entrypoint: str) -> None:
    path, name = entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert isinstance(getattr(module, name), Flow)


def test_the_body_sweep_flow_sends_and_records_what_it_sent(
    prefect_harness: None, flow_env: None, db: Session, loaded: LoadSummary
) -> None:
    from prefect.client.orchestration import get_client

    from flows.body_sweep import body_sweep

    summary = body_sweep("tuphap", as_of="2023-06-13T08:00:00+07:00")
    assert (summary["sent"], summary["failed"]) == (1, 0)
    assert [m["recipient"] for m in summary["messages"]] == ["tuphap-focal"]
    assert db.scalars(select(InboxMessage.person)).all() == ["tuphap-focal"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts()
    assert any(a.key == "sweep-tuphap" and a.type == "table" for a in artifacts)


def test_the_flow_skips_public_holidays(
    prefect_harness: None, flow_env: None, db: Session, loaded: LoadSummary
) -> None:
    from flows.sweep_all import sweep_all

    summary = sweep_all(as_of="2023-05-01T08:00:00+07:00")  # Labour Day
    assert summary["skipped"] and summary["messages"] == []


def test_reports_are_scheduled_the_day_after_each_decree_09_cut_off() -> None:
    reports = {d["parameters"]["kind"]: d for d in PREFECT["deployments"] if "kind" in d.get("parameters", {})}
    assert set(reports) == {"month", "quarter", "H1", "H2", "9M", "year"}
    crons = {kind: d["schedules"][0]["cron"] for kind, d in reports.items()}
    assert crons["month"] == "0 8 15 * *" and crons["quarter"] == "0 8 15 3,6,9,12 *"
    assert crons["H1"] == "0 8 15 6 *" and crons["9M"] == "0 8 15 9 *" and crons["year"] == "0 8 15 12 *"
    assert all(d["entrypoint"] == "flows/compile_report.py:compile_report_flow" for d in reports.values())


def test_the_report_flow_compiles_the_latest_closed_period_and_records_artifacts(
    prefect_harness: None,
    flow_env: None,
    db: Session,
    loaded: LoadSummary,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.client.orchestration import get_client

    from flows.compile_report import compile_report_flow
    from models import Report

    monkeypatch.setenv("DUTYFLOW_REPORTS_DIR", str(tmp_path))
    get_settings.cache_clear()
    (done,) = compile_report_flow("H1", as_of="2023-06-15T08:00:00+07:00")  # the day after the H1 cut-off
    assert done["period"] == "2023-H1" and done["version"] == 1 and set(done["files"]) == {"md", "html", "docx", "xlsx"}
    assert done["queued"] == 2  # the steering office and the signer
    assert db.scalars(select(Report.period)).all() == ["2023-H1"]
    with get_client(sync_client=True) as client:
        keys = {a.key: a.type for a in client.read_artifacts()}
    assert keys.get("report-tra-cu-2023") == "markdown" and keys.get("report-status-tra-cu-2023") == "table"


def test_a_moment_without_an_offset_means_vietnam_time_in_flows_the_cli_and_the_api() -> None:
    from flows.body_sweep import moment
    from tasks.calendar.clock import read_moment
    from web.context import as_of_or_today

    eight_in_tra_cu = dt.datetime(2023, 7, 3, 1, 0, tzinfo=dt.UTC)
    assert moment("2023-07-03T08:00") == read_moment("2023-07-03T08:00") == eight_in_tra_cu
    assert read_moment("2023-07-03T01:00Z") == read_moment("2023-07-03T08:00+07:00") == eight_in_tra_cu
    assert read_moment("2023-07-03") == eight_in_tra_cu  # a bare date: 08:00 that day
    late_evening = as_of_or_today("2023-07-03T23:30", eight_in_tra_cu)
    assert late_evening == dt.date(2023, 7, 3)  # read as UTC it would have been the 4th


def test_the_sweep_runs_on_a_make_up_working_saturday_and_names_its_task_in_words(
    prefect_harness: None, flow_env: None, db: Session, loaded: LoadSummary
) -> None:
    from prefect.client.orchestration import get_client

    from flows.body_sweep import body_sweep

    worked = body_sweep("tuphap", as_of="2024-05-04T07:30")  # a Saturday worked in exchange for 2 May 2024
    rested = body_sweep("tuphap", as_of="2024-05-05T07:30")
    assert "skipped" not in worked and rested["skipped"] == "Bỏ qua: 05/05/2024 không phải ngày làm việc"
    with get_client(sync_client=True) as client:
        names = [r.name for r in client.read_task_runs()]
    assert "Quét nhắc việc tuphap lúc 07:30 04/05/2024" in names


def test_a_scheduled_report_outside_the_plan_span_compiles_nothing_and_says_why(
    prefect_harness: None, flow_env: None, db: Session, loaded: LoadSummary
) -> None:
    from prefect.client.orchestration import get_client

    from flows.compile_report import compile_report_flow
    from models import Report

    assert compile_report_flow("H1", as_of="2026-06-15T08:00") == []  # 2026-H1 of a 2023 plan
    assert db.scalars(select(Report)).all() == []
    with get_client(sync_client=True) as client:
        nothing = next(a for a in client.read_artifacts() if a.key == "report-nothing")
    assert "6 tháng đầu năm 2026" in str(nothing.data) and "24/02/2023 – 31/12/2023" in str(nothing.data)
