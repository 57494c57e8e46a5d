"""The overdue list as CSV, the same for the dashboard's download and the office's digest attachment."""

from __future__ import annotations

import functools
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
_QUOTED_FOR = re.compile(r'[,"\r\n]')

COLUMNS = ("key", "body", "unit", "duty", "kind", "period", "due", "days", "status", "told")


def safe_cell(value: str) -> str:
    """The cell as a spreadsheet shows it, never run: a leading formula sign gets an apostrophe before it (a plain
    number, such as -3, stays a number)."""
    if not value or value[0] not in _RISKY_FIRST:  # most cells: nothing a spreadsheet could read as a formula
        return value
    # Spreadsheets skip leading spaces and quotes before a formula sign too.
    if value.lstrip(_SKIPPED).startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cell(value: str) -> str:
    """One cell as `csv.writer` writes it (Excel's dialect: quoted only when it holds a comma, a quote or a line
    break, quotes doubled), made safe first."""
    value = safe_cell(value)
    if _QUOTED_FOR.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def overdue_csv(rows: Iterable[DutyRow], *, per_chunk: int = 1000) -> Iterator[str]:
    """UTF-8 CSV text in chunks of `per_chunk` lines: a BOM (so that Excel reads the Vietnamese), a header in the
    current locale, then one line per overdue row. A name, a duty's text or a word repeats on thousands of lines:
    each is made a cell once (30k lines: a third of the time `csv.writer` takes, the same text)."""
    yield "\ufeff" + ",".join(csv_cell(t("web.col." + c)) for c in COLUMNS) + "\r\n"
    cell = functools.cache(csv_cell)  # names, duties and periods: a few hundred distinct values
    word = functools.cache(lambda key: csv_cell(t(key)))
    step = functools.cache(lambda rung: csv_cell(labels.step(rung)))
    lines: list[str] = []
    for r in rows:
        lines.append(
            ",".join(
                (
                    csv_cell(r.key),
                    cell(r.body_short_name or r.body_name),
                    cell(r.unit_name or ""),
                    cell(r.duty_text),
                    word("kind." + r.kind),
                    cell(r.period),
                    f"{r.due_on:%d/%m/%Y}",
                    str(-r.days_left),
                    word("status." + r.status),
                    step(r.told_step) if r.told_at else "",
                )
            )
        )
        if len(lines) == per_chunk:
            yield "\r\n".join(lines) + "\r\n"
            lines = []
    if lines:
        yield "\r\n".join(lines) + "\r\n"
