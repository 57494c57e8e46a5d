"""The overdue list as CSV, the same for the dashboard's download and the office's digest attachment."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Iterator

from dutyflow.i18n import t
from reports import labels
from tasks.duties.listing import DutyRow

# A cell starting with one of these is read as a formula by Excel and LibreOffice (=HYPERLINK(...) would run).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")

_SKIPPED = " \u00a0\"'\n"
_RISKY_FIRST = frozenset(_SKIPPED + "".join(FORMULA_STARTS))

COLUMNS = ("key", "body", "unit", "duty", "kind", "period", "due", "days", "status", "told")


def overdue_lines(rows: Iterable[DutyRow]) -> Iterator[list[str]]:
    """A header, then one line per overdue row, in the current locale."""
    yield [t("web.col." + c) for c in COLUMNS]
    word, step = functools.cache(t), functools.cache(labels.step)  # the same few words on every line
    for r in rows:
        yield [
            r.key,
            r.body_short_name or r.body_name,
            r.unit_name or "",
            r.duty_text,
            word("kind." + r.kind),
            r.period,
            f"{r.due_on:%d/%m/%Y}",
            str(-r.days_left),
            word("status." + r.status),
            step(r.told_step) if r.told_at else "",
        ]


def safe_cell(value: str) -> str:
    """The cell as a spreadsheet shows it, never run: a leading formula sign gets an apostrophe before it (a plain
    number, such as -3, stays a number)."""
    if not value or value[0] not in _RISKY_FIRST:  # most cells: nothing a spreadsheet could read as a formula
        return value
    # Spreadsheets skip leading spaces and quotes before a formula sign too.
    if value.lstrip(_SKIPPED).startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_chunks(lines: Iterable[list[str]], *, per_chunk: int = 500) -> Iterator[str]:
    """UTF-8 CSV text in chunks of `per_chunk` lines, opening with a BOM so that Excel reads the Vietnamese."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for line in lines:
        writer.writerow([safe_cell(cell) for cell in line])
        count += 1
        if count == per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            count = 0
    if count:
        yield buffer.getvalue()
