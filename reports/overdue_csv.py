"""The overdue list as CSV, the same for the dashboard's download and the office's digest attachment."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from dutyflow.i18n import t
from reports import labels
from tasks.duties.listing import DutyRow

COLUMNS = ("key", "body", "unit", "duty", "kind", "period", "due", "days", "status", "told")


def overdue_lines(rows: Iterable[DutyRow]) -> Iterator[list[str]]:
    """A header, then one line per overdue row, in the current locale."""
    yield [t("web.col." + c) for c in COLUMNS]
    for r in rows:
        told = labels.step(r.told_step) if r.told_at else ""
        yield [
            r.key,
            r.body_short_name or r.body_name,
            r.unit_name or "",
            r.duty_text,
            t("kind." + r.kind),
            r.period,
            f"{r.due_on:%d/%m/%Y}",
            str(-r.days_left),
            t("status." + r.status),
            told,
        ]


def csv_chunks(lines: Iterable[list[str]]) -> Iterator[str]:
    """UTF-8 CSV text, a chunk per line, opening with a BOM so that Excel reads the Vietnamese."""
    yield "\ufeff"
    for line in lines:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(line)
        yield buffer.getvalue()
