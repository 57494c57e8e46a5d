"""What every command shares: output, errors, dates, and the settings read once.

Nothing heavy is imported here at module level (no database layer, no rich): `dutyflow --help` imports this
module, and help must come back in a blink. The work's modules are imported inside the commands that use them.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from dutyflow.cli.errors import debugging, mask
from dutyflow.i18n import t
from dutyflow.settings import Settings, get_settings

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy.orm import Session


class LazyConsole:
    """A rich console made on first use, so that a help page never imports rich."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # soft_wrap: one error, one line, whatever the width
            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)

    def say(self, text: str) -> None:
        """A sentence under a table, wrapped at the terminal's width like the table above it."""
        self.console.print(text, markup=False, soft_wrap=False)


out = LazyConsole(stderr=False)
err = LazyConsole(stderr=True)


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
        from dutyflow import runtime
        from tasks.calendar.clock import local_date

        return local_date(runtime.business_now(settings()))  # on a demo database, its simulated day
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(t("error.bad_date", value=value))


@contextmanager
def transaction(*, read_only: bool = False) -> Iterator[Session]:
    """A database transaction for one command; an unreachable database is a clear error, exit 2. A read-only
    command never creates the database: a SQLite file that is not there yet is an error that says how to make it."""
    from sqlalchemy.exc import OperationalError

    from dutyflow import runtime

    current = settings()
    if read_only:
        refuse_a_missing_database(current)
    try:
        with runtime.transaction(current) as session:
            yield session
    except OperationalError as error:
        if debugging():
            raise
        problem = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        code = "error.db_readonly" if "readonly" in problem.lower() else "error.db_unreachable"
        fail(mask(t(code, url=runtime.masked_url(current.database_url), problem=problem)), code=2)


def refuse_a_missing_database(current: Settings) -> None:
    """Reading must not leave a new empty `dutyflow.db` behind (SQLite makes the file on connect)."""
    from dutyflow.cli.database import missing_sqlite_file

    missing = missing_sqlite_file(current.database_url)
    if missing is not None:
        fail(t("error.no_database", file=str(missing.resolve())))


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and a plain `kill` both stop a server cleanly, even when the shell started us with SIGINT
    ignored (as it does for background jobs)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
