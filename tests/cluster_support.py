"""The cluster tests' shared parts: the province's plans, the `dutyflow` command, starting the module's cluster
(after an `up` killed half-way twice and two `up`s raced), and watching its flow runs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dutyflow.cluster.processes import descendants, group_alive, listening
from dutyflow.cluster.shape import Started
from dutyflow.serving import free_port
from models.db import make_engine, session_factory
from models.migrate import upgrade
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import load_plan

from .chasing_support import contacts_file
from .conftest import NOW, ROOT
from .receivers import Hook, http_receiver

MOMENT = "2023-07-17T07:30:00+07:00"  # a Monday morning with reminders and overdue notices due
LATER = "2023-07-18T07:30:00+07:00"  # the next morning, for the tests after the province's sweeps
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


def plan_with_body(seed: PlanFile, *, plan: str, code: str, name: str) -> PlanFile:
    """A plan of one body (no duties) whose code the seed does not have."""
    body = seed.bodies[0].model_copy(update={"code": code, "name": name, "duties": [], "contacts": [], "units": []})
    header = seed.plan.model_copy(update={"code": plan, "number": f"{plan}/KH-UBND"})
    return seed.model_copy(update={"plan": header, "bodies": [body], "targets": [], "baseline": []})


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


@dataclass
class KilledUp:
    """An `up` killed with SIGKILL once cluster.json listed the API: what it had recorded."""

    recorded: Started
    listening: list[int]  # its ports that answered when it died


@dataclass
class Cluster:
    env: dict[str, str]
    folder: Path
    api: str
    api_port: int
    redis_port: int
    database: str  # dutyflow's
    hook: Hook
    killed: list[KilledUp]  # the first cleaned up by `down`, the second by the next `up`
    down_after_kill: subprocess.CompletedProcess[str]
    left_after_down: dict[str, bool]  # the first kill's processes and ports: still alive or listening?
    refused: subprocess.CompletedProcess[str]  # the one of two `up`s started together that was refused
    refused_while_the_other_worked: bool
    started: subprocess.CompletedProcess[str]  # the other one


def load(database: str, plans: list[PlanFile]) -> None:
    engine = make_engine(database)
    with session_factory(engine).begin() as session:
        for plan in plans:
            calendar = WorkCalendar()
            load_plan(
                session, plan_file=plan, sha256=plan.plan.code, now=NOW, calendar=calendar, support_lead_workdays=3
            )
    engine.dispose()


@contextmanager
def started_cluster(tmp_path: Path, seed_plan: PlanFile, pg_schema: str, prefect_database: str) -> Iterator[Cluster]:
    """The module's cluster, started after two `up`s killed half-way and a race of two `up`s; stopped after."""
    engine = make_engine(pg_schema)
    upgrade(engine)
    engine.dispose()
    # The province, and a body the seed does not have in a plan of its own: `up` gives it a sweep of its own.
    load(
        pg_schema,
        [*province_plans(seed_plan, PLANS), plan_with_body(seed_plan, plan="so-y-te", code="y-te", name="Sở Y tế")],
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
        first = kill_up_half_way(env, folder)
        down_after_kill = cli(env, "cluster", "down", timeout=300)
        left = {str(pid): group_alive(pid) for pid in first.recorded.processes.values()}
        left |= {f":{port}": listening(port) for port in (api_port, redis_port)}
        second = kill_up_half_way(env, folder)
        ups = [
            subprocess.Popen(
                [sys.executable, "-m", "dutyflow.cli.app", "cluster", "up", "--workers", "2", "--json"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        while all(up.poll() is None for up in ups):
            time.sleep(0.1)
        loser = next(up for up in ups if up.poll() is not None)
        winner = next(up for up in ups if up is not loser)
        other_working = winner.poll() is None
        refused = subprocess.CompletedProcess(loser.args, loser.returncode, *loser.communicate())
        started = subprocess.CompletedProcess(winner.args, 0, *winner.communicate(timeout=1800))
        started.returncode = winner.returncode
        try:
            yield Cluster(
                env=env,
                folder=folder,
                api=f"http://127.0.0.1:{api_port}/api",
                api_port=api_port,
                redis_port=redis_port,
                database=pg_schema,
                hook=hook,
                killed=[first, second],
                down_after_kill=down_after_kill,
                left_after_down=left,
                refused=refused,
                refused_while_the_other_worked=other_working,
                started=started,
            )
        finally:
            stopped = cli(env, "cluster", "down", timeout=300)
            assert stopped.returncode == 0, stopped.stdout + stopped.stderr
            assert not listening(api_port) and not listening(redis_port)
            assert cli(env, "cluster", "status", "--json").stdout.count('"up": false') == 1


def kill_up_half_way(env: dict[str, str], folder: Path) -> KilledUp:
    """Start `cluster up` and SIGKILL it as soon as cluster.json lists the Prefect API (Redis started before it)."""
    up = subprocess.Popen(
        [sys.executable, "-m", "dutyflow.cli.app", "cluster", "up", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 900  # a guard against hanging for ever, not a speed target
    while "api" not in _recorded(folder):
        assert up.poll() is None, "up ended before it started the API"
        assert time.monotonic() < deadline, "up never started the API"
        time.sleep(0.02)
    up.kill()
    up.wait()
    recorded = Started.load(folder)
    assert recorded is not None
    return KilledUp(recorded, [port for port in recorded.ports if listening(port)])


def _recorded(folder: Path) -> dict[str, int]:
    try:
        return dict(json.loads((folder / "cluster.json").read_text(encoding="utf-8"))["processes"])
    except (OSError, ValueError):
        return {}


def kill_a_worker_during_a_run(prefect: Any, ids: set[Any], folder: Path) -> tuple[Any, str]:
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


def wait_until_final(prefect: Any, ids: set[Any]) -> list[Any]:
    """Every run in a final state (a crashed one counts only once it has been run again and finished)."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + 2400  # a guard against hanging for ever (a busy machine is slow), no target
    while True:
        runs = prefect.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(ids))))
        if all(r.state and r.state.is_final() and r.state_name != "Crashed" for r in runs):
            return list(runs)
        if time.monotonic() > deadline:
            return list(runs)
        time.sleep(1)
