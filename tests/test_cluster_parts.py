"""The cluster's parts that need no running cluster: its shape from the settings, the record of what `up` started,
the folder's lock across processes, a process let run only once recorded, the morning sweeps of bodies
prefect.yaml does not name, and the CLI's refusals."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyflow.body_sweeps import SWEEP_ENTRYPOINT, bodies_in, missing_sweeps, yaml_sweeps
from dutyflow.cluster.lock import holding
from dutyflow.cluster.processes import alive, spawn
from dutyflow.cluster.shape import ShapeError, Started
from dutyflow.serving import sweeps_beyond_yaml
from models.db import make_engine, session_factory
from models.migrate import upgrade
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import load_plan

from .cluster_support import cli, plan_with_body
from .conftest import NOW, ROOT

HOLD = "import sys, pathlib; from dutyflow.cluster.lock import holding\nwith holding(pathlib.Path(sys.argv[1])):\n"
HOLD += "    print('held', flush=True); sys.stdin.read()\n"


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the cluster folder's lock, as a `cluster up` under way does."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "cluster")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_a_cluster_command_on_a_folder_another_process_holds_is_refused_and_touches_nothing(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    folder = tmp_path / "cluster"
    Started("http://127.0.0.1:1/api", "db", "redis", "dutyflow", ["w1"], {"api": holder.pid}).save(folder)
    before = (folder / "cluster.json").read_text(encoding="utf-8")
    env = {**os.environ, "DUTYFLOW_CLUSTER_DIR": str(folder), "DUTYFLOW_DATABASE_URL": "postgresql+psycopg://u@h/d"}
    for command in ("up", "down"):
        done = subprocess.run(
            [sys.executable, "-m", "dutyflow.cli.app", "cluster", command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 3, done.stdout + done.stderr
        assert f"tiến trình {holder.pid}" in done.stderr and "chờ lệnh đó xong" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert (folder / "cluster.json").read_text(encoding="utf-8") == before and alive(holder.pid)
    with pytest.raises(ShapeError) as refused, holding(folder):
        pass
    assert refused.value.key == "cluster.busy"
    holder.send_signal(signal.SIGKILL)  # a holder that dies, however it dies, lets the next one in
    holder.wait()
    with holding(folder):
        pass


def test_a_started_process_runs_only_once_it_is_recorded(tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    recorded: list[int] = []

    def record(pid: int) -> None:
        assert not mark.exists()  # held at the gate until recorded
        recorded.append(pid)

    process = spawn("ok", ["/bin/sh", "-c", f"touch {mark}"], env={}, directory=tmp_path, record=record)
    assert process.wait() == 0 and mark.exists() and recorded == [process.pid]

    lost: list[int] = []

    def failing(pid: int) -> None:
        lost.append(pid)
        raise OSError("disk full")

    never = tmp_path / "never"
    with pytest.raises(OSError):
        spawn("lost", ["/bin/sh", "-c", f"touch {never}"], env={}, directory=tmp_path, record=failing)
    with contextlib.suppress(ChildProcessError):  # the Popen dropped by spawn may have reaped it already
        os.waitpid(lost[0], 0)
    assert not alive(lost[0]) and not never.exists()  # started, never recorded: it exited without running


def test_bodies_beyond_prefect_yaml_get_a_morning_sweep_shaped_as_its_own(tmp_path: Path, seed_plan: PlanFile) -> None:
    url = f"sqlite:///{tmp_path / 'dutyflow.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        for plan in (seed_plan, plan_with_body(seed_plan, plan="tinh-moi", code="y-te", name="Sở Y tế")):
            load_plan(
                session,
                plan_file=plan,
                sha256=plan.plan.code,
                now=NOW,
                calendar=WorkCalendar(),
                support_lead_workdays=3,
            )
    engine.dispose()
    named = yaml_sweeps()
    assert len(named) == 17 and all(e["name"] == f"sweep-{e['parameters']['body_code']}" for e in named)
    assert len(bodies_in(url)) == 18
    [spec] = missing_sweeps(bodies_in(url))
    assert (spec.name, spec.body_code, spec.parameters) == ("sweep-y-te", "y-te", {"body_code": "y-te"})
    assert (spec.cron, spec.timezone, spec.concurrency_limit) == ("30 7 * * *", "Asia/Ho_Chi_Minh", 1)
    assert (spec.work_pool, spec.work_queue) == ("dutyflow", "default") and "Sở Y tế" in spec.description
    [served] = sweeps_beyond_yaml(url)  # what `dutyflow serve` adds to prefect.yaml's deployments
    assert served.name == "sweep-y-te" and served.parameters == {"body_code": "y-te"}
    assert served.concurrency_limit == 1 and served.entrypoint.endswith(SWEEP_ENTRYPOINT.split(":")[1])
    schedule = served.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("30 7 * * *", "Asia/Ho_Chi_Minh")
    assert sweeps_beyond_yaml(f"sqlite:///{tmp_path / 'empty.db'}") == []  # no tables yet: nothing to add


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
