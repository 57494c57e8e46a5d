"""What the CLI says when the world fails under it (a database out of reach or lost mid-run, a full disk, a
damaged file): one line in the user's language, secrets masked, exit code 2. `--debug` or DUTYFLOW_DEBUG=1
shows the traceback instead."""

from __future__ import annotations

import errno
import os
import re
import zipfile

from dutyflow.i18n import t

EXIT_OPERATIONAL = 2
_URL_CREDENTIALS = re.compile(r"(\w[\w+.-]*://[^/\s:@]*:)[^@\s]+@")
_KEY_VALUE_SECRET = re.compile(r"((?:password|passwd|pwd|token|secret)\s*[=:]\s*)\S+", re.IGNORECASE)


def debugging() -> bool:
    return os.environ.get("DUTYFLOW_DEBUG", "").strip().lower() in ("1", "true", "yes")


def debug_wanted(args: list[str]) -> tuple[bool, list[str]]:
    """Whether the traceback was asked for, and the arguments without `--debug` (before any `--`). `--debug`
    sets DUTYFLOW_DEBUG for the rest of the run, child processes included."""
    cut = args.index("--") if "--" in args else len(args)
    if "--debug" in args[:cut]:
        os.environ["DUTYFLOW_DEBUG"] = "1"
    return debugging(), [a for a in args[:cut] if a != "--debug"] + args[cut:]


def mask(text: str) -> str:
    """Credentials in URLs and `password=...` pairs never reach the screen."""
    return _KEY_VALUE_SECRET.sub(r"\1****", _URL_CREDENTIALS.sub(r"\1****@", text))


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.strip().splitlines() if line.strip()), "")[:300]


def describe(error: BaseException) -> str:
    """One line saying what failed, without the SQL or the data it carried."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError  # only on failure

    if isinstance(error, DBAPIError):
        problem = _first_line(str(error.orig)) if error.orig is not None else type(error).__name__
        if isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated:
            return mask(t("error.db_lost", problem=problem))
        return mask(t("error.db_failed", problem=problem))
    if isinstance(error, SQLAlchemyError):
        return mask(t("error.db_failed", problem=_first_line(str(error))))
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return mask(t("error.disk_full", where=where))
        return mask(t("error.os", problem=error.strerror or type(error).__name__, where=where))
    if isinstance(error, OverflowError):
        return t("error.number_too_large")
    if isinstance(error, zipfile.BadZipFile):
        return t("error.bad_file", problem=_first_line(str(error)))
    return mask(t("error.unexpected", kind=type(error).__name__, problem=_first_line(str(error))))
