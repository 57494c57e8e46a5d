"""The overdue CSV's cells, written without `csv.writer`, read back by `csv.reader` as the text they came from."""

from __future__ import annotations

import csv
import datetime as dt
import io

from reports.overdue_csv import COLUMNS, csv_cell, overdue_csv, safe_cell
from tasks.duties.listing import DutyRow

AWKWARD = [
    "",
    "Phòng Lao động - Thương binh và Xã hội",
    'Báo cáo "sơ kết", 6 tháng',
    "dòng một\ndòng hai",
    "dòng\r\nWindows",
    '=HYPERLINK("http://x")',
    "  +1+1",
    "-3",
    "@SUM(A1)",
    '"',
    ",",
    "'=quoted",
    "a\rb",
    "\t=1",
    " \u00a0'-x",
]


def test_each_cell_is_what_csv_writer_writes_of_the_safe_text() -> None:
    for value in AWKWARD:
        expected = io.StringIO()
        csv.writer(expected).writerow([safe_cell(value), "x"])
        assert csv_cell(value) + ",x\r\n" == expected.getvalue(), value


def _row(n: int, text: str, told: bool) -> DutyRow:
    day = dt.date(2026, 11, 2)
    return DutyRow(
        occurrence_id=n,
        key=f"k-{n}",
        plan="p",
        body_code="b",
        body_name=text,
        body_short_name=None,
        body_order=1,
        unit_code=None,
        unit_name=text if n % 2 else None,
        duty_code="d",
        duty_text=text,
        duty_role="lead",
        kind="report",
        role="own",
        period="2026-Q3",
        period_start=day,
        period_end=day,
        due_on=day,
        status="open",
        category="overdue",
        days_left=-(n + 1),
        submitted_on=None,
        told_step="escalate-2" if told else None,
        told_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC) if told else None,
    )


def test_the_file_reads_back_line_by_line_in_chunks() -> None:
    rows = [_row(n, AWKWARD[n % len(AWKWARD)], n % 3 == 0) for n in range(50)]
    text = "".join(overdue_csv(rows, per_chunk=7))
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert len(lines) == 51 and len(lines[0]) == len(COLUMNS)
    assert lines[0][0] == "Mã" and "Đơn vị" in lines[0]  # the header in Vietnamese (the default locale)
    for row, line in zip(rows, lines[1:], strict=True):
        assert line[0] == row.key
        assert line[1] == line[3] == safe_cell(row.body_name)
        assert line[2] == (safe_cell(row.unit_name) if row.unit_name else "")
        assert line[6:8] == ["02/11/2026", str(-row.days_left)]
        assert bool(line[9]) == (row.told_at is not None)
