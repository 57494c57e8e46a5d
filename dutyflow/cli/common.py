"""What every command shares: output, errors, dates, and the settings read once."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from dutyflow import runtime
from dutyflow.cli.errors import debugging, mask
from dutyflow.i18n import t
from dutyflow.settings import Settings, get_settings
from tasks.calendar.clock import local_date

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one error, one line, whatever the width


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]{t('error.prefix')}:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def settings() -> Settings:
    return get_settings()


def parse_date(value: str | None) -> dt.date:
    """A YYYY-MM-DD date, or today in Vietnam when absent."""
    if value is None:
        return local_date(runtime.utc_now())
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(t("error.bad_date", value=value))


@contextmanager
def transaction() -> Iterator[Session]:
    """A database transaction for one command; an unreachable database is a clear error, exit 2."""
    current = settings()
    try:
        with runtime.transaction(current) as session:
            yield session
    except OperationalError as error:
        if debugging():
            raise
        problem = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        code = "error.db_readonly" if "readonly" in problem.lower() else "error.db_unreachable"
        fail(mask(t(code, url=runtime.masked_url(current.database_url), problem=problem)), code=2)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and a plain `kill` both stop a server cleanly, even when the shell started us with SIGINT
    ignored (as it does for background jobs)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
