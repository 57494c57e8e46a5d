"""A demo database made once per test session (`dutyflow demo`, first half of 2023), and the command run on it
in its own process, as a person runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_made: dict[str, Path] = {}


def dutyflow(*args: str, cwd: Path = ROOT, columns: int = 80, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dutyflow.cli.app", *args],
        cwd=cwd,
        env={**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def demo_database(factory: pytest.TempPathFactory) -> Path:
    """The demo's SQLite file, made on first use; callers that change it work on a copy (`fresh_copy`)."""
    if "demo" not in _made:
        folder = factory.mktemp("demo")
        url = f"sqlite:///{folder / 'dutyflow.db'}"
        done = dutyflow(
            "demo",
            str(ROOT / "plans" / "tra-cu-2023.yaml"),
            "--until",
            "2023-06-30",
            cwd=folder,
            DUTYFLOW_DATABASE_URL=url,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        _made["demo"] = folder / "dutyflow.db"
    return _made["demo"]


def fresh_copy(factory: pytest.TempPathFactory) -> str:
    """A URL to a copy of the demo database, for a test that writes."""
    source = demo_database(factory)
    folder = factory.mktemp("demo-copy")
    shutil.copy(source, folder / "dutyflow.db")
    return f"sqlite:///{folder / 'dutyflow.db'}"
