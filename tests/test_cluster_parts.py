"""The cluster's parts that need no running cluster: the folder's lock across processes, a process let run only
once recorded."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyflow.cluster.lock import holding
from dutyflow.cluster.processes import alive, spawn
from dutyflow.cluster.shape import ShapeError, Started

from .conftest import ROOT

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
