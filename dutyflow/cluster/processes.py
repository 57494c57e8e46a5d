"""The cluster's processes: each started detached in a process group of its own, logged to a file, stopped whole."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from dutyflow.settings import PROJECT_ROOT

# The child waits for a line on its stdin before it becomes `command`: `spawn` sends it only once the pid is
# recorded, and a `cluster up` killed in between closes the pipe, so the child exits without doing anything.
# Nothing the cluster starts can run unrecorded.
GATE = 'read -r go || exit 75; exec "$@" </dev/null'


def spawn(
    name: str, command: list[str], *, env: dict[str, str], directory: Path, record: Callable[[int], None]
) -> subprocess.Popen[bytes]:
    """Start `command` detached (it outlives this CLI) in a process group of its own, once `record(pid)` has
    returned; its output goes to `<directory>/<name>.log`."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            ["/bin/sh", "-c", GATE, name, *command],
            env={**os.environ, **env},
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    assert process.stdin is not None
    try:
        record(process.pid)
        process.stdin.write(b"go\n")
    finally:
        process.stdin.close()  # without the line (record failed): the child exits on its own
    return process


def alive(pid: int) -> bool:
    """Whether `pid` is running (a zombie left by a parent that has not reaped it counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    fields = _stat(Path(f"/proc/{pid}"))
    return fields is None or fields[0] != "Z"


def _stat(entry: Path) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, group, ...); None once it is gone."""
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _processes() -> dict[int, list[str]]:
    """Every process's /proc stat fields, by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(entry)) is not None:
            found[int(entry.name)] = fields
    return found


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return any(alive(pid) for pid in members(pgid))


def members(pgid: int) -> list[int]:
    """Processes of the group led by `pgid` (its flow runs included), read from /proc."""
    return [pid for pid, fields in _processes().items() if int(fields[2]) == pgid]


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (a worker's flow runs lead process groups of their own)."""
    children: dict[int, list[int]] = {}
    for child, fields in _processes().items():
        children.setdefault(int(fields[1]), []).append(child)
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


def stop_groups(pgids: Iterable[int], *, grace: float = 20.0) -> None:
    """SIGTERM each group and the groups its processes started, wait up to `grace` seconds, then SIGKILL what
    is left."""
    leaders = list(pgids)
    pgids = list(dict.fromkeys([*leaders, *_groups_below(leaders)]))
    for pgid in pgids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(group_alive(pgid) for pgid in pgids):
        _reap()
        time.sleep(0.2)
    for pgid in pgids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    _reap()


def _reap() -> None:
    """Collect children of this process that have exited (a test runs `up` and `down` in one process)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _groups_below(leaders: list[int]) -> list[int]:
    found = []
    for child in (c for leader in leaders for c in descendants(leader)):
        with contextlib.suppress(ProcessLookupError):
            found.append(os.getpgid(child))
    return found


def listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_for(check: Callable[[], bool], *, timeout: float, what: str, pids: Iterable[int] = ()) -> None:
    """Poll `check()` until true; fail early when one of `pids` has died, and after `timeout` seconds."""
    pids = list(pids)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dead = [pid for pid in pids if not alive(pid)]
        if dead:
            raise RuntimeError(f"{what}: process {dead[0]} stopped")
        if check():
            time.sleep(0.5)  # a process that lost its port to another exits right after: the answer was not ours
            if all(alive(pid) for pid in pids):
                return
        time.sleep(0.3)
    raise TimeoutError(f"{what}: not ready within {timeout:.0f} s")
