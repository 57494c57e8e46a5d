"""`cluster up`, `status` and `down` as plain functions: the CLI prints what they return."""

from __future__ import annotations

import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from dutyflow.cluster.backing import ensure_database, start_redis
from dutyflow.cluster.lock import holding
from dutyflow.cluster.prefect_side import (
    PrefectStatus,
    deploy_all,
    ensure_automations,
    ensure_work_pool,
    prefect_status,
)
from dutyflow.cluster.processes import alive, group_alive, listening, spawn, stop_groups, wait_for
from dutyflow.cluster.shape import ORCHESTRATION_QUEUE, ORCHESTRATOR, QUEUE, WORK_POOL, Shape, ShapeError, Started
from dutyflow.cluster.sweeps import register_missing_sweeps

Progress = Callable[[str], None]
PREFECT = [sys.executable, "-m", "prefect"]


def api_healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def up(shape: Shape, *, progress: Progress = lambda _: None, timeout: float = 180) -> Started:
    """Start every part in order, each checked healthy before the next; on any failure stop what started.
    The folder's lock is held throughout: a second `up` (or a `down`) meanwhile is refused at once."""
    with holding(shape.directory):
        _clear(shape.directory, progress)
        if listening(shape.api_port):
            raise ShapeError("cluster.port_taken", port=shape.api_port, setting="DUTYFLOW_PREFECT_PORT")
        if shape.own_redis and listening(shape.redis_port):
            raise ShapeError("cluster.port_taken", port=shape.redis_port, setting="DUTYFLOW_CLUSTER_REDIS_PORT")
        started = Started(
            api_url=shape.api_url,
            database=shape.shown_database(),
            redis_url=shape.shown_redis(),
            work_pool=WORK_POOL,
            workers=[f"dutyflow-w{n}" for n in range(1, shape.workers + 1)],
            ports=[shape.api_port, *([shape.redis_port] if shape.own_redis else [])],
            ready=False,
        )
        started.save(shape.directory)
        try:
            _start(shape, started, progress, timeout)
        except BaseException:
            progress("cluster.progress.stopping")
            stop_groups(started.processes.values())
            Started.forget(shape.directory)
            raise
        started.ready = True
        started.save(shape.directory)
        return started


def _clear(directory: Path, progress: Progress) -> None:
    """Refuse a cluster that runs; stop what an `up` that died half-way left running; forget a stale record."""
    running = Started.load(directory)
    if running is None:
        return
    if running.ready and any(group_alive(pid) for pid in running.processes.values()):
        raise ShapeError("cluster.already_up", api=running.api_url, folder=str(directory))
    if not running.ready:
        progress("cluster.progress.leftovers")
        _stop(running, grace=10)
    Started.forget(directory)


def _start(shape: Shape, started: Started, progress: Progress, timeout: float) -> None:
    def record(name: str) -> Callable[[int], None]:
        return lambda pid: started.record(name, pid, shape.directory)

    progress("cluster.progress.database")
    ensure_database(shape.prefect_database_url)
    progress("cluster.progress.redis")
    start_redis(shape, shape.directory, record("redis"))
    env = shape.server_env()
    progress("cluster.progress.api")
    api = [*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(shape.api_port), "--no-services"]
    spawn("api", api, env=env, directory=shape.directory, record=record("api"))
    wait_for(lambda: api_healthy(shape.api_url), timeout=timeout, what="Prefect API", pids=[started.processes["api"]])
    progress("cluster.progress.services")
    services = [*PREFECT, "server", "services", "start"]
    spawn("services", services, env=env, directory=shape.directory, record=record("services"))
    ensure_work_pool(shape.api_url)
    ensure_automations(shape)
    progress("cluster.progress.deploy")
    deploy_all(shape, record("deploy"))
    started.processes.pop("deploy", None)  # it has exited
    started.save(shape.directory)
    try:
        register_missing_sweeps(shape.database_url, shape.api_url)
    except SQLAlchemyError:  # dutyflow's database is not ready: `cluster sync` adds them once it is
        progress("cluster.progress.no_bodies")
    progress("cluster.progress.workers")
    for name in [*started.workers, ORCHESTRATOR]:
        command = [*PREFECT, "worker", "start", "--pool", WORK_POOL, "--type", "process", "--name", name]
        if name == ORCHESTRATOR:
            command += ["--work-queue", ORCHESTRATION_QUEUE]
        else:
            command += ["--work-queue", QUEUE, "--limit", str(shape.worker_runs)]
        spawn(name, command, env=shape.worker_env(name), directory=shape.directory, record=record(name))
    wait_for(
        lambda: {*started.workers, ORCHESTRATOR} <= set(prefect_status(shape.api_url).workers_online),
        timeout=timeout,
        what="workers",
        pids=list(started.processes.values()),
    )


@dataclass
class Status:
    up: bool
    api_url: str = ""
    processes: dict[str, bool] = field(default_factory=dict)  # name -> running
    prefect: PrefectStatus | None = None


def status(directory: Path) -> Status:
    started = Started.load(directory)
    if started is None:
        return Status(up=False)
    processes = {name: alive(pid) for name, pid in started.processes.items()}
    answer = prefect_status(started.api_url) if processes.get("api") else None
    return Status(up=any(processes.values()), api_url=started.api_url, processes=processes, prefect=answer)


def down(directory: Path, *, grace: float = 20.0, timeout: float = 30.0) -> list[int]:
    """Stop workers first (their runs are told to stop), then the services, the API and Redis; return the
    ports still listening after `timeout` seconds (none, when all went well). Holds the folder's lock: refused
    while an `up` is under way. What an `up` that died half-way recorded is stopped the same way."""
    if not directory.is_dir():
        return []  # never started here: nothing to lock, nothing to stop
    with holding(directory):
        started = Started.load(directory)
        if started is None:
            return []
        _stop(started, grace=grace)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(listening(port) for port in started.ports):
            time.sleep(0.2)
        Started.forget(directory)
        return [port for port in started.ports if listening(port)]


def _stop(started: Started, *, grace: float) -> None:
    order = [*started.workers, ORCHESTRATOR, "services", "api", "redis"]
    names = [name for name in started.processes if name not in order] + order  # anything else (deploy) first
    stop_groups([started.processes[name] for name in names if name in started.processes], grace=grace)
