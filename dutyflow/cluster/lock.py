"""One `cluster up` or `down` at a time per cluster folder: an OS lock on a file there, held while it works."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from dutyflow.cluster.shape import ShapeError

LOCK_FILE = "cluster.lock"


@contextlib.contextmanager
def holding(directory: Path) -> Iterator[None]:
    """Hold the folder's lock, or refuse at once (ShapeError `cluster.busy`) when another process holds it.

    The kernel drops the lock when its holder exits in any way, SIGKILL included: a dead `up` never blocks the
    next one. The file keeps the holder's pid, only to name it in the refusal."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise ShapeError("cluster.busy", pid=holder, folder=str(directory)) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
