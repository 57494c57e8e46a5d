"""A province on a Prefect cluster of the scaled shape: `dutyflow cluster up` on loopback (API server and
background services on PostgreSQL, Redis messaging, two process workers), the 17 body sweeps and sweep-all for
one moment across 10 plans, one worker killed with SIGKILL during a run; nothing lost, nothing sent twice."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from dutyflow.cluster.processes import descendants, listening
from dutyflow.serving import free_port
from models import OutboxMessage
from models.db import make_engine, session_factory
from models.migrate import upgrade
from models.outbox import AddressDelivery, SweepRun
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import load_plan

from .chasing_support import contacts_file, identities
from .conftest import NOW, PG_URL, ROOT
from .receivers import http_receiver

pytestmark = pytest.mark.slow

MOMENT = "2023-07-17T07:30:00+07:00"  # a Monday morning with reminders and overdue notices due
PLANS = 10


def province_plans(seed: PlanFile, count: int) -> list[PlanFile]:
    """`count` plans of the seed's shape side by side, each with its own code and number."""
    return [
        seed.model_copy(
            update={"plan": seed.plan.model_copy(update={"code": f"tinh-{n:02d}", "number": f"{n}/KH-UBND"})}
        )
        for n in range(1, count + 1)
    ]


def sweep_deployments() -> list[str]:
    entries = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    flows = {"flows/body_sweep.py:body_sweep": "body-sweep", "flows/sweep_all.py:sweep_all": "sweep-all"}
    return [f"{flows[e['entrypoint']]}/{e['name']}" for e in entries if e["entrypoint"] in flows]


@pytest.fixture
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


@pytest.fixture
def prefect_database() -> Iterator[str]:
    """A Prefect database of this test's own, which `cluster up` creates and the test drops."""
    name = f"prefect_test_{uuid.uuid4().hex[:8]}"
    yield make_url(PG_URL).set(database=name).render_as_string(False)
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def cli(env: dict[str, str], *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dutyflow.cli.app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def kill_tree(pid: int) -> None:
    """What a dead machine does to a worker: it and the runs it started stop at once, without a word."""
    for victim in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)


def worker_of(run: Any) -> str | None:
    """The worker that took the run last (Prefect labels each run it submits)."""
    return (run.labels or {}).get("prefect.worker.name")


def test_a_province_on_two_workers_survives_a_killed_worker_without_sending_twice(
    tmp_path: Path, seed_plan: PlanFile, pg_schema: str, prefect_database: str
) -> None:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    engine = make_engine(pg_schema)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        for plan in province_plans(seed_plan, PLANS):
            load_plan(
                session,
                plan_file=plan,
                sha256=plan.plan.code,
                now=NOW,
                calendar=WorkCalendar(),
                support_lead_workdays=3,
            )
    folder = tmp_path / "cluster"
    api_port, redis_port = free_port(), free_port()
    with http_receiver() as (port, hook):
        env = {
            **os.environ,
            "DUTYFLOW_DATABASE_URL": pg_schema,
            "DUTYFLOW_PREFECT_DATABASE_URL": prefect_database,
            "DUTYFLOW_PREFECT_PORT": str(api_port),
            "DUTYFLOW_CLUSTER_REDIS_PORT": str(redis_port),
            "DUTYFLOW_CLUSTER_DIR": str(folder),
            "DUTYFLOW_CONTACTS_FILE": str(contacts_file(tmp_path, [f"json://127.0.0.1:{port}/hook"])),
            "DUTYFLOW_CLAIM_LEASE_SECONDS": "30",  # what a dead run held is taken up again by its re-run
            "DUTYFLOW_REPORTS_DIR": str(tmp_path / "reports"),
        }
        env.pop("PREFECT_API_URL", None)
        started = cli(env, "cluster", "up", "--workers", "2", "--json")
        assert started.returncode == 0, started.stdout + started.stderr
        try:
            shown = json.loads(started.stdout)
            assert set(shown) == {"api_url", "database", "redis_url", "work_pool", "workers"}
            assert shown["work_pool"] == "dutyflow" and shown["workers"] == ["dutyflow-w1", "dutyflow-w2"]
            assert shown["database"].startswith("postgresql+asyncpg://")
            api = shown["api_url"]
            status = json.loads(cli(env, "cluster", "status", "--json").stdout)
            assert status["workers_online"] == ["dutyflow-orchestrator", "dutyflow-w1", "dutyflow-w2"]
            assert status["deployments"] >= 18

            names = sweep_deployments()
            assert len(names) == 18  # the 17 bodies' morning sweeps and sweep-all
            with temporary_settings({PREFECT_API_URL: api}):
                runs = [run_deployment(name, parameters={"as_of": MOMENT}, timeout=0) for name in names]
            ids = {run.id for run in runs}  # type: ignore[union-attr]
            with SyncPrefectClient(api) as prefect:
                victim, victim_worker = _kill_a_worker_during_a_run(prefect, ids, folder)
                final = _wait_until_final(prefect, ids)
                assert {run.state_name for run in final} == {"Completed"}, [
                    (r.name, r.state_name) for r in final if r.state_name != "Completed"
                ]
                history = [s.type for s in prefect.read_flow_run_states(victim)]
                assert StateType.CRASHED in history, history  # marked crashed, then run again to completion
            survivor = "dutyflow-w2" if victim_worker == "dutyflow-w1" else "dutyflow-w1"
            assert {worker_of(run) for run in final} <= {victim_worker, survivor}  # both ran flows: the victim's
            # first try ran on the worker killed under it, and what was left ran on the survivor
            assert worker_of(next(run for run in final if run.id == victim)) == survivor  # the re-run too
        finally:
            stopped = cli(env, "cluster", "down", timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not listening(api_port) and not listening(redis_port)
        assert cli(env, "cluster", "status", "--json").stdout.count('"up": false') == 1

        received = identities(hook)
    assert received, "the moment has reminders to send"
    assert [key for key, n in received.items() if n > 1] == []  # nothing twice, across workers and the re-run
    with engine.connect() as conn:
        delivered = conn.scalar(
            select(func.count()).select_from(AddressDelivery).where(AddressDelivery.status == "sent")
        )
        stuck = conn.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sending"))
        plans = conn.scalar(select(func.count(func.distinct(OutboxMessage.plan_id))))
        workers = list(conn.scalars(select(SweepRun.worker)))
    assert len(workers) == 18  # each run recorded its sweep once: the killed one only when run again
    assert all(w.startswith(("dutyflow-w1-", "dutyflow-w2-")) for w in workers)  # and says which worker ran it
    assert stuck == 0  # nothing the dead run held was left behind
    assert delivered == sum(received.values())  # nothing lost: every recorded delivery arrived, once
    assert plans == PLANS  # one body's sweep covers that body in every plan
    engine.dispose()


def _kill_a_worker_during_a_run(prefect: Any, ids: set[Any], folder: Path) -> tuple[Any, str]:
    """SIGKILL the worker (and its runs) that took the first flow run seen running, as soon as it runs."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.objects import StateType

    pids = json.loads((folder / "cluster.json").read_text(encoding="utf-8"))["processes"]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        runs = prefect.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(ids))))
        for run in runs:
            worker = worker_of(run)
            if run.state_type == StateType.RUNNING and worker is not None and worker in pids:
                kill_tree(pids[worker])
                return run.id, worker
        time.sleep(0.05)
    raise AssertionError("no flow run was seen running")


def _wait_until_final(prefect: Any, ids: set[Any]) -> list[Any]:
    """Every run in a final state (a crashed one counts only once it has been run again and finished)."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + 900  # a guard against hanging for ever, not a speed target
    while True:
        runs = prefect.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(ids))))
        if all(r.state and r.state.is_final() and r.state_name != "Crashed" for r in runs):
            return list(runs)
        if time.monotonic() > deadline:
            return list(runs)
        time.sleep(1)


def test_cluster_up_refuses_a_sqlite_only_setup_in_words(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DUTYFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "DUTYFLOW_PREFECT_DATABASE_URL": "",
        "DUTYFLOW_CLUSTER_DIR": str(tmp_path / "cluster"),
    }
    done = cli(env, "cluster", "up", timeout=120)
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr and "DUTYFLOW_PREFECT_DATABASE_URL" in done.stderr
    assert not (tmp_path / "cluster" / "cluster.json").exists()


def test_cluster_status_and_down_say_so_when_nothing_runs(tmp_path: Path) -> None:
    env = {**os.environ, "DUTYFLOW_CLUSTER_DIR": str(tmp_path / "none")}
    status = cli(env, "cluster", "status", timeout=120)
    assert status.returncode == 0 and "không chạy" in status.stdout
    down = cli(env, "cluster", "down", timeout=120)
    assert down.returncode == 0, down.stderr


def test_the_prefect_database_is_a_prefect_database_beside_dutyflows_own_unless_named(tmp_path: Path) -> None:
    from dutyflow.cluster.shape import ShapeError, shape_of
    from dutyflow.settings import Settings

    beside = shape_of(Settings(database_url="postgresql+psycopg://u:secret@db.example:5433/dutyflow"))
    assert beside.prefect_database_url == "postgresql+asyncpg://u:secret@db.example:5433/prefect"
    assert "secret" not in beside.shown_database()  # what the CLI prints never holds the password
    assert beside.own_redis and beside.redis_url == "redis://127.0.0.1:6380/0" and beside.workers == 2
    named = shape_of(
        Settings(prefect_database_url="postgresql://p@10.0.0.5/pf", redis_url="redis://10.0.0.6:6379/2"), workers=5
    )
    assert named.prefect_database_url == "postgresql+asyncpg://p@10.0.0.5/pf"
    assert not named.own_redis and named.redis_port == 6379 and named.workers == 5
    secret = shape_of(Settings(database_url="postgresql+psycopg://p@h/d", redis_url="redis://:s3cret@10.0.0.6:6379/2"))
    assert "s3cret" not in secret.shown_redis() and secret.shown_redis().endswith("@10.0.0.6:6379/2")
    with pytest.raises(ShapeError) as refused:
        shape_of(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert refused.value.key == "cluster.needs_postgresql"


def test_what_up_started_is_kept_whole_and_forgotten_by_down(tmp_path: Path) -> None:
    from dutyflow.cluster.shape import Started

    started = Started("http://127.0.0.1:1/api", "postgresql+asyncpg://p@h/prefect", "redis://h", "dutyflow", ["w1"])
    started.processes["api"] = 123
    started.save(tmp_path)
    assert Started.load(tmp_path) == started and not list(tmp_path.glob("*.tmp"))
    Started.forget(tmp_path)
    assert Started.load(tmp_path) is None
