"""A province on a Prefect cluster of the scaled shape: `dutyflow cluster up` on loopback (API server and
background services on PostgreSQL, Redis messaging, two process workers), the 17 body sweeps and sweep-all for
one moment across 10 plans, one worker killed with SIGKILL during a run; nothing lost, nothing sent twice.

One cluster serves the module. Before it starts for good, an `up` is killed half-way twice (the first time `down`
cleans up, the second time the next `up` does), and two `up`s are started together (one is refused at once)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from dutyflow.body_sweeps import yaml_sweeps
from dutyflow.cluster.processes import group_alive
from dutyflow.cluster.shape import Started
from models import OutboxMessage
from models.db import make_engine
from models.outbox import AddressDelivery, SweepRun
from models.planfile import PlanFile
from tasks.calendar.clock import read_moment

from .chasing_support import identities
from .cluster_support import (
    LATER,
    MOMENT,
    PLANS,
    Cluster,
    cli,
    kill_a_worker_during_a_run,
    load,
    plan_with_body,
    started_cluster,
    sweep_deployments,
    wait_until_final,
    worker_of,
)
from .conftest import PG_URL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg_schema() -> Iterator[str]:
    if not PG_URL:
        pytest.fail("the cluster runs on PostgreSQL: set DUTYFLOW_TEST_DATABASE_URL (make test sets it)")
    schema = f"dutyflow_cluster_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def prefect_database() -> Iterator[str]:
    """A Prefect database of this test's own, which `cluster up` creates and the test drops."""
    name = f"prefect_test_{uuid.uuid4().hex[:8]}"
    yield make_url(PG_URL).set(database=name).render_as_string(False)
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, seed_plan: PlanFile, pg_schema: str, prefect_database: str
) -> Iterator[Cluster]:
    with started_cluster(tmp_path_factory.mktemp("cluster"), seed_plan, pg_schema, prefect_database) as started:
        yield started


def test_an_up_killed_half_way_leaves_its_processes_recorded_and_down_stops_them_all(cluster: Cluster) -> None:
    first = cluster.killed[0]
    assert not first.recorded.ready and {"redis", "api"} <= set(first.recorded.processes)
    assert cluster.down_after_kill.returncode == 0, cluster.down_after_kill.stdout + cluster.down_after_kill.stderr
    assert cluster.left_after_down == dict.fromkeys(cluster.left_after_down, False)  # nothing alive, nothing listens


def test_the_next_up_stops_what_a_killed_up_left_and_starts_cleanly(cluster: Cluster) -> None:
    second = cluster.killed[1]
    assert not second.recorded.ready and {"redis", "api"} <= set(second.recorded.processes)
    assert cluster.started.returncode == 0, cluster.started.stdout + cluster.started.stderr
    assert "Lần khởi động trước bị ngắt giữa chừng" in cluster.started.stderr
    assert not any(group_alive(pid) for pid in second.recorded.processes.values())
    now = Started.load(cluster.folder)
    assert now is not None and now.ready
    assert set(now.processes.values()).isdisjoint(second.recorded.processes.values())


def test_of_two_ups_started_together_one_is_refused_at_once_and_the_other_starts_the_cluster(cluster: Cluster) -> None:
    refused = cluster.refused
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "đang khởi động hoặc dừng cụm" in refused.stderr and "Traceback" not in refused.stderr
    assert cluster.refused_while_the_other_worked  # it did not wait for the other to finish
    shown = json.loads(cluster.started.stdout)
    assert set(shown) == {"api_url", "database", "redis_url", "work_pool", "workers"}
    assert shown["work_pool"] == "dutyflow" and shown["workers"] == ["dutyflow-w1", "dutyflow-w2"]
    assert shown["database"].startswith("postgresql+asyncpg://") and shown["api_url"] == cluster.api


def test_a_province_on_two_workers_survives_a_killed_worker_without_sending_twice(cluster: Cluster) -> None:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env, folder, api, hook = cluster.env, cluster.folder, cluster.api, cluster.hook
    status = json.loads(cli(env, "cluster", "status", "--json").stdout)
    assert status["workers_online"] == ["dutyflow-orchestrator", "dutyflow-w1", "dutyflow-w2"]
    assert status["deployments"] >= 18 and all(status["processes"].values())

    names = sweep_deployments()
    assert len(names) == 18  # the 17 bodies' morning sweeps and sweep-all
    with temporary_settings({PREFECT_API_URL: api}):
        runs = [run_deployment(name, parameters={"as_of": MOMENT}, timeout=0) for name in names]
    ids = {run.id for run in runs}  # type: ignore[union-attr]
    with SyncPrefectClient(api) as prefect:
        victim, victim_worker = kill_a_worker_during_a_run(prefect, ids, folder)
        final = wait_until_final(prefect, ids)
        assert {run.state_name for run in final} == {"Completed"}, [
            (r.name, r.state_name) for r in final if r.state_name != "Completed"
        ]
        history = [s.type for s in prefect.read_flow_run_states(victim)]
        assert StateType.CRASHED in history, history  # marked crashed, then run again to completion
    survivor = "dutyflow-w2" if victim_worker == "dutyflow-w1" else "dutyflow-w1"
    assert {worker_of(run) for run in final} <= {victim_worker, survivor}  # both ran flows: the victim's
    # first try ran on the worker killed under it, and what was left ran on the survivor
    assert worker_of(next(run for run in final if run.id == victim)) == survivor  # the re-run too

    received = identities(hook)
    assert received, "the moment has reminders to send"
    assert [key for key, n in received.items() if n > 1] == []  # nothing twice, across workers and the re-run
    engine = make_engine(cluster.database)
    with engine.connect() as conn:
        delivered = conn.scalar(
            select(func.count()).select_from(AddressDelivery).where(AddressDelivery.status == "sent")
        )
        stuck = conn.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sending"))
        plans = conn.scalar(select(func.count(func.distinct(OutboxMessage.plan_id))))
        workers = list(conn.scalars(select(SweepRun.worker).where(SweepRun.as_of == read_moment(MOMENT))))
    engine.dispose()
    assert len(workers) == 18  # each run recorded its sweep once: the killed one only when run again
    assert all(w.startswith(("dutyflow-w1-", "dutyflow-w2-")) for w in workers)  # and says which worker ran it
    assert stuck == 0  # nothing the dead run held was left behind
    assert delivered == sum(received.values())  # nothing lost: every recorded delivery arrived, once
    assert plans == PLANS  # one body's sweep covers that body in every plan


def test_one_bodys_sweep_never_runs_twice_at_once_even_with_free_slots(cluster: Cluster) -> None:
    """Two runs of one body's sweep asked for at the same moment, on a pool with room for both: the deployment's
    concurrency limit holds the second until the first has finished; both complete."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    code = yaml_sweeps()[0]["parameters"]["body_code"]
    with SyncPrefectClient(cluster.api) as prefect:
        slots = sum(
            2
            for w in prefect.read_workers_for_work_pool("dutyflow")
            if w.name.startswith("dutyflow-w") and str(w.status).upper().endswith("ONLINE")
        )
    assert slots >= 2  # DUTYFLOW_WORKER_RUNS (2) runs at once per worker on the sweeps' queue
    with temporary_settings({PREFECT_API_URL: cluster.api}):
        runs = [run_deployment(f"body-sweep/sweep-{code}", parameters={"as_of": LATER}, timeout=0) for _ in range(2)]
    ids = {run.id for run in runs}  # type: ignore[union-attr]
    with SyncPrefectClient(cluster.api) as prefect:
        final = wait_until_final(prefect, ids)
        assert [run.state_name for run in final] == ["Completed", "Completed"]
        histories = {run_id: prefect.read_flow_run_states(run_id) for run_id in ids}
    spans = []
    for states in histories.values():
        running = [s.timestamp for s in states if s.type == StateType.RUNNING]
        assert len(running) == 1, [(s.name, s.timestamp) for s in states]
        spans.append((running[0], max(s.timestamp for s in states)))
    (_, first_end), (second_start, _) = sorted(spans)
    assert first_end <= second_start, spans  # the second began running only once the first had finished
    held = [run_id for run_id, states in histories.items() if "AwaitingConcurrencySlot" in {s.name for s in states}]
    assert len(held) == 1, {str(k): [s.name for s in v] for k, v in histories.items()}  # held by the limit, not idle
    engine = make_engine(cluster.database)
    with engine.connect() as conn:
        rows = conn.execute(
            select(SweepRun.started_at, SweepRun.finished_at)
            .where(SweepRun.body_code == code, SweepRun.as_of == read_moment(LATER))
            .order_by(SweepRun.started_at)
        ).all()
    engine.dispose()
    assert len(rows) == 2 and rows[0].finished_at <= rows[1].started_at, rows  # the sweeps' own record agrees


def test_a_plan_loaded_while_the_cluster_runs_gets_its_bodies_morning_sweeps(
    cluster: Cluster, seed_plan: PlanFile
) -> None:
    """`y-te` was in the database at `up`; `xay-dung` comes with a plan loaded later: status names it, sync
    registers it, both shaped as prefect.yaml's sweeps, and its sweep runs on the cluster's workers."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    load(cluster.database, [plan_with_body(seed_plan, plan="so-xay-dung", code="xay-dung", name="Sở Xây dựng")])
    status = json.loads(cli(cluster.env, "cluster", "status", "--json").stdout)
    assert status["bodies_without_sweep"] == ["xay-dung"]
    shown = cli(cluster.env, "cluster", "status")
    assert "xay-dung" in shown.stdout and "dutyflow cluster sync" in shown.stdout
    synced = cli(cluster.env, "cluster", "sync")
    assert synced.returncode == 0 and "sweep-xay-dung" in synced.stdout, synced.stdout + synced.stderr
    assert json.loads(cli(cluster.env, "cluster", "status", "--json").stdout)["bodies_without_sweep"] == []
    again = cli(cluster.env, "cluster", "sync")
    assert again.returncode == 0 and "Mọi cơ quan đã có" in again.stdout

    named = yaml_sweeps()[0]
    with SyncPrefectClient(cluster.api) as prefect:
        model = prefect.read_deployment_by_name(f"body-sweep/{named['name']}")
        for code in ("y-te", "xay-dung"):
            deployment = prefect.read_deployment_by_name(f"body-sweep/sweep-{code}")
            assert deployment.parameters == {"body_code": code}
            limits = [
                d.global_concurrency_limit.limit if d.global_concurrency_limit else None for d in (deployment, model)
            ]
            assert limits == [1, 1]
            [schedule] = deployment.schedules
            assert isinstance(schedule.schedule, CronSchedule) and schedule.active
            assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 7 * * *", "Asia/Ho_Chi_Minh")
            assert (deployment.work_pool_name, deployment.work_queue_name) == ("dutyflow", "default")
            assert deployment.pull_steps == model.pull_steps  # the project's folder, as `prefect deploy` says
            assert deployment.entrypoint == model.entrypoint
    with temporary_settings({PREFECT_API_URL: cluster.api}):
        run = run_deployment("body-sweep/sweep-xay-dung", parameters={"as_of": LATER}, timeout=0)
    with SyncPrefectClient(cluster.api) as prefect:
        [final] = wait_until_final(prefect, {run.id})  # type: ignore[union-attr]
    assert final.state_name == "Completed"
    engine = make_engine(cluster.database)
    with engine.connect() as conn:
        swept = conn.scalar(select(func.count()).select_from(SweepRun).where(SweepRun.body_code == "xay-dung"))
    engine.dispose()
    assert swept == 1
