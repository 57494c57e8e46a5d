"""The periodic report fanned out in batches of plans: how many batches, every plan in exactly one, each batch a child
run compiling its plans one after another, run again without a new version, a failing plan reported by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dutyflow.settings import get_settings
from models import OutboxMessage, Report
from models.planfile import PlanFile
from tasks.plans.loading import LoadSummary
from tasks.reports.batches import batch_count, split

from .test_report_rollup import SECOND, load_second_plan

AS_OF = "2023-06-15T08:00:00+07:00"
NOW = "2023-06-15T01:00:00+00:00"  # AS_OF in UTC, as the parent hands it to its children
H1_WORDS = "6 tháng đầu năm 2023"


@pytest.mark.parametrize(
    ("plans", "slots", "most", "batches"),
    [
        (100, 2, 50, 2),  # 2 workers of 1 run at once: a batch each
        (100, 4, 50, 4),  # 2 workers of 2 runs at once (the default)
        (100, 1, 50, 2),  # one slot, but no batch over 50 plans
        (100, 0, 50, 2),  # no worker known (in-process, or nobody online yet)
        (20, 2, 50, 2),
        (20, 0, 50, 1),
        (3, 8, 50, 3),  # never more batches than plans
        (7, 0, 1, 7),  # DUTYFLOW_REPORT_BATCH_PLANS=1: a child run per plan, as before batches
        (1, 4, 50, 1),
        (0, 4, 50, 0),
    ],
)
def test_a_province_makes_a_batch_per_run_slot_online_and_no_batch_over_the_most_plans(
    plans: int, slots: int, most: int, batches: int
) -> None:
    assert batch_count(plans, slots=slots, most=most) == batches


@pytest.mark.parametrize(("plans", "count"), [(100, 2), (100, 3), (100, 7), (20, 2), (5, 5), (5, 9), (1, 1), (7, 1)])
def test_the_batches_cover_every_plan_exactly_once_in_order_and_differ_by_one_plan_at_most(
    plans: int, count: int
) -> None:
    codes = [f"huyen-{n:03d}" for n in range(plans)]
    batches = split(codes, count)
    assert len(batches) == min(count, plans) and all(batches)
    assert [code for batch in batches for code in batch] == codes
    assert max(map(len, batches)) - min(map(len, batches)) <= 1


def test_the_report_fans_out_a_batch_of_plans_then_compiles_the_province_rollup(
    prefect_harness: None,
    flow_env: None,
    db: Session,
    loaded: LoadSummary,
    seed_plan: PlanFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.client.orchestration import get_client

    from flows.compile_report import compile_report_flow
    from flows.report_fan_out import registered

    load_second_plan(db, seed_plan)
    monkeypatch.setenv("DUTYFLOW_REPORTS_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert not registered()  # no server knows compile-plan-report/report-plan here: the children run in-process
    done = compile_report_flow("H1", as_of=AS_OF)
    assert [d["plan"] for d in done] == [SECOND, "tra-cu-2023"] and all(d["queued"] == 2 for d in done)
    province = tmp_path / "_province"
    assert sorted(p.name for p in province.iterdir()) == [
        f"tong-hop-2023-H1.{f}" for f in ("docx", "html", "md", "xlsx")
    ]
    with get_client(sync_client=True) as client:
        names = {r.name for r in client.read_flow_runs()}
        tasks = {r.name for r in client.read_task_runs()}
        rollup = max((a for a in client.read_artifacts() if a.key == "report-rollup"), key=lambda a: str(a.created))
    assert f"Báo cáo kỳ {H1_WORDS}, lô 1/1: 2 kế hoạch ({SECOND} … tra-cu-2023)" in names  # both in one child
    assert {f"Lập báo cáo tra-cu-2023 kỳ {H1_WORDS}", f"Lập báo cáo {SECOND} kỳ {H1_WORDS}"} <= tasks
    assert "Báo cáo tổng hợp kỳ 2023-H1: 2 kế hoạch" in str(rollup.data)


def test_with_one_plan_a_batch_each_child_run_is_named_by_its_plan(
    prefect_harness: None,
    flow_env: None,
    db: Session,
    loaded: LoadSummary,
    seed_plan: PlanFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.client.orchestration import get_client

    from flows.compile_report import compile_report_flow

    load_second_plan(db, seed_plan)
    monkeypatch.setenv("DUTYFLOW_REPORTS_DIR", str(tmp_path))
    monkeypatch.setenv("DUTYFLOW_REPORT_BATCH_PLANS", "1")
    get_settings.cache_clear()
    done = compile_report_flow("H1", as_of="2023-06-15T09:00:00+07:00")
    assert [(d["plan"], d["version"], d["queued"]) for d in done] == [(SECOND, 1, 2), ("tra-cu-2023", 1, 2)]
    with get_client(sync_client=True) as client:
        names = {r.name for r in client.read_flow_runs()}
    assert {f"Báo cáo tra-cu-2023 kỳ {H1_WORDS}", f"Báo cáo {SECOND} kỳ {H1_WORDS}"} <= names


def test_a_batch_run_again_finds_its_reports_and_makes_no_new_version_nor_message(
    prefect_harness: None,
    flow_env: None,
    db: Session,
    loaded: LoadSummary,
    seed_plan: PlanFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.compile_plan_report import compile_plan_report

    load_second_plan(db, seed_plan)
    monkeypatch.setenv("DUTYFLOW_REPORTS_DIR", str(tmp_path))
    get_settings.cache_clear()
    batch = [SECOND, "tra-cu-2023"]
    first = compile_plan_report(batch, "2023-H1", NOW)
    again = compile_plan_report(batch, "2023-H1", NOW)  # as a retry after a crash would
    assert [(d["plan"], d["version"], d["queued"]) for d in first] == [(SECOND, 1, 2), ("tra-cu-2023", 1, 2)]
    assert again == first
    assert db.scalar(select(func.count(OutboxMessage.id))) == 4
    db.commit()  # the read ends: the next run writes
    later = compile_plan_report(["tra-cu-2023"], "2023-H1", "2023-06-16T01:00:00+00:00")  # another run: a new version
    assert later[0]["version"] == 2
    assert db.scalars(select(Report.version).order_by(Report.version)).all() == [1, 1, 2]


def test_a_plan_failing_in_a_batch_is_reported_by_name_and_the_other_plans_are_kept(
    prefect_harness: None,
    flow_env: None,
    db: Session,
    loaded: LoadSummary,
    seed_plan: PlanFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import flows.compile_plan_report as child
    import flows.report_fan_out as fan
    from flows.compile_report import compile_report_flow

    load_second_plan(db, seed_plan)
    monkeypatch.setenv("DUTYFLOW_REPORTS_DIR", str(tmp_path))
    get_settings.cache_clear()
    # Retries wait minutes between attempts: here every plan and batch gets one attempt.
    monkeypatch.setattr(child, "compile_and_announce", child.compile_and_announce.with_options(retries=0))
    monkeypatch.setattr(fan, "compile_plan_report", child.compile_plan_report.with_options(retries=0))
    once = compile_report_flow.with_options(retries=0)
    (tmp_path / "tra-cu-2023").write_text("a file where the plan's folder goes")  # its report cannot be written
    with pytest.raises(RuntimeError, match="Không lập được báo cáo của 1 kế hoạch: tra-cu-2023"):
        once("H1", as_of=AS_OF)
    db.commit()
    kept = db.execute(select(Report.version, func.count(OutboxMessage.id)).join(OutboxMessage).group_by(Report.id))
    assert kept.all() == [(1, 2)]  # the other plan of the batch, compiled and queued
    db.commit()  # the read ends: the next run writes
    rollup = (tmp_path / "_province" / "tong-hop-2023-H1.md").read_text(encoding="utf-8")
    assert "KẾ HOẠCH CHƯA LẬP ĐƯỢC BÁO CÁO" in rollup and "tra-cu-2023" in rollup
    assert f"lô 1/1: 2 kế hoạch ({SECOND} … tra-cu-2023) kết thúc ở trạng thái Failed" in rollup
    assert "FileExistsError" in rollup  # why, from the plan's own task

    (tmp_path / "tra-cu-2023").unlink()  # mended: the parent's run again (same moment) compiles only what is missing
    done = once("H1", as_of=AS_OF)
    assert [(d["plan"], d["version"], d["queued"]) for d in done] == [(SECOND, 1, 2), ("tra-cu-2023", 1, 2)]
    db.commit()
    assert db.scalars(select(Report.version)).all() == [1, 1]
    assert db.scalar(select(func.count(OutboxMessage.id))) == 4


def test_the_run_slots_online_are_the_pools_workers_without_the_orchestrator_times_their_runs(
    prefect_harness: None,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    from dutyflow.cluster.shape import ORCHESTRATOR
    from flows.report_fan_out import slots_online

    pool = "slots-test"
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        try:
            assert slots_online(pool, 2) == 0  # nobody polls it yet
            for worker in ("dutyflow-w1", "dutyflow-w2", ORCHESTRATOR):
                client.send_worker_heartbeat(pool, worker, heartbeat_interval_seconds=600)
            assert slots_online(pool, 2) == 4 and slots_online(pool, 1) == 2
        finally:
            client.delete_work_pool(pool)
    assert slots_online("no-such-pool", 2) == slots_online("", 2) == 0


def test_a_registered_child_deployment_gets_the_batches_and_a_batch_not_run_in_time_is_reported_after_the_rollup(
    prefect_harness: None,
    flow_env: None,
    db: Session,
    loaded: LoadSummary,
    seed_plan: PlanFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.deployments.runner import RunnerDeployment

    from flows.compile_plan_report import compile_plan_report
    from flows.compile_report import compile_report_flow
    from flows.report_fan_out import registered

    load_second_plan(db, seed_plan)
    monkeypatch.setenv("DUTYFLOW_REPORTS_DIR", str(tmp_path))
    get_settings.cache_clear()
    # Registered, but no worker polls for it here: the child run stays scheduled until the wait is over.
    deployment = compile_plan_report.to_deployment(name="report-plan")
    assert isinstance(deployment, RunnerDeployment)  # called from sync code: the deployment, not a coroutine
    deployment_id = deployment.apply()
    assert isinstance(deployment_id, UUID)
    try:
        assert registered()
        with pytest.raises(RuntimeError, match=f"Không lập được báo cáo của 2 kế hoạch: {SECOND}, tra-cu-2023"):
            once = compile_report_flow.with_options(retries=0)  # its retry comes 5 minutes later
            once("H1", as_of=AS_OF, wait_minutes=0.05, poll_seconds=0.5)
        with get_client(sync_client=True) as client:
            children = client.read_flow_runs()
            waiting = [r for r in children if r.deployment_id == deployment_id]
            assert [r.name for r in waiting] == [f"Báo cáo kỳ {H1_WORDS}, lô 1/1: 2 kế hoạch ({SECOND} … tra-cu-2023)"]
            assert waiting[0].parameters == {"plan_codes": [SECOND, "tra-cu-2023"], "period": "2023-H1", "now": NOW}
            for run in waiting:
                client.delete_flow_run(run.id)
    finally:
        with get_client(sync_client=True) as client:
            client.delete_deployment(deployment_id)
    rollup = (tmp_path / "_province" / "tong-hop-2023-H1.md").read_text(encoding="utf-8")
    assert "KẾ HOẠCH CHƯA LẬP ĐƯỢC BÁO CÁO" in rollup and "chưa xong sau 0.05 phút (trạng thái Scheduled)" in rollup
