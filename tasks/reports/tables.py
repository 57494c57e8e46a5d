"""Reads an office's table of indicator values or allocations (CSV or XLSX) into rows, row and column kept."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models.plan import Plan
from tasks.plans.numbers import parse_vn_number
from tasks.reports.indicators import (
    CheckedValue,
    PlanVocabulary,
    ValueIssue,
    ValuesRefused,
    check_value,
    save_allocation,
    save_value,
)

# Headings an office writes, in Vietnamese or English, mapped to our column names.
HEADINGS = {
    "target": {"target", "chỉ tiêu", "chi tieu", "mã chỉ tiêu", "indicator"},
    "unit": {"unit", "đơn vị", "don vi", "xã", "xã, thị trấn", "commune"},
    "period": {"period", "kỳ", "ky", "kỳ báo cáo"},
    "value": {"value", "giá trị", "gia tri", "số liệu", "kết quả"},
    "note": {"note", "ghi chú"},
}
MAX_ROWS = 100_000


@dataclass(frozen=True)
class TableRow:
    row: int  # as the office sees it: the heading is row 1
    cells: dict[str, str | float | None]


def read_table(path: Path, *, needed: tuple[str, ...]) -> tuple[list[TableRow], list[ValueIssue]]:
    """The rows of `path` with our column names; a missing column or an unreadable file is an issue."""
    try:
        if path.suffix.lower() == ".xlsx":
            grid = _xlsx_rows(path)
        elif path.suffix.lower() == ".csv":
            grid = [
                list[str | float | None](row) for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
            ]
        else:
            return [], [ValueIssue("table.bad_type", {"file": path.name})]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, zipfile.BadZipFile) as error:
        return [], [_unreadable(path, error)]
    grid = [[unicodedata.normalize("NFC", c) if isinstance(c, str) else c for c in row] for row in grid]
    if not grid:
        return [], [ValueIssue("table.empty", {"file": path.name})]
    columns: dict[int, str] = {}
    for index, heading in enumerate(grid[0]):
        name = next((key for key, names in HEADINGS.items() if str(heading or "").strip().lower() in names), None)
        if name:
            columns[index] = name
    missing = [name for name in needed if name not in columns.values()]
    if missing:
        return [], [ValueIssue("table.missing_column", {"columns": ", ".join(missing)}, 1)]
    if len(grid) > MAX_ROWS + 1:
        return [], [ValueIssue("table.too_many_rows", {"limit": MAX_ROWS})]
    rows = []
    for number, raw in enumerate(grid[1:], start=2):
        if not any(str(cell or "").strip() for cell in raw):
            continue
        rows.append(TableRow(number, {name: (raw[i] if i < len(raw) else None) for i, name in columns.items()}))
    return rows, []


def _unreadable(path: Path, error: Exception) -> ValueIssue:
    """Why a table could not be read, in words: a broken or disguised spreadsheet, text not in UTF-8, or the
    file system's own reason."""
    if isinstance(error, zipfile.BadZipFile | KeyError) or (
        path.suffix.lower() == ".xlsx" and isinstance(error, ValueError)
    ):
        return ValueIssue("table.not_xlsx", {"file": path.name})
    if isinstance(error, UnicodeDecodeError):
        return ValueIssue("table.not_utf8", {"file": path.name})
    problem = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
    return ValueIssue("table.unreadable", {"file": path.name, "problem": problem})


def number_cell(cell: str | float | None) -> float | None:
    """A cell as a number: XLSX numbers as they are, text in Vietnamese (1.234,5) or plain (1234.5) form."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell or "").strip().replace(" ", "")
    if not text or not text.isascii():  # "１２３" or "١٢٣" are not how a figure is written here
        return None
    parsed = parse_vn_number(text)
    if parsed is not None:
        return parsed
    try:
        return float(text)
    except ValueError:
        return None


def _xlsx_rows(path: Path) -> list[list[str | float | None]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def import_table(session: Session, *, plan: Plan, path: Path, by: str, now: dt.datetime, allocations: bool) -> int:
    """Every row of the table checked first; the whole file is refused on any issue, else saved.

    Values need the columns target, unit, period and value; allocations (the annex of per-commune
    targets) need target, unit and value.
    """
    needed = ("target", "unit", "value") if allocations else ("target", "unit", "period", "value")
    rows, issues = read_table(path, needed=needed)
    vocabulary = PlanVocabulary(session, plan)
    checked: list[tuple[CheckedValue, str | None]] = []
    for row in rows:
        value = number_cell(row.cells.get("value"))
        if value is None:
            issues.append(
                ValueIssue("indicator.not_a_number", {"value": str(row.cells.get("value") or "")}, row.row, "value")
            )
            continue
        good, problems = check_value(
            vocabulary,
            target=str(row.cells.get("target") or ""),
            unit=str(row.cells.get("unit") or "").strip() or None,
            period=str(row.cells.get("period") or ""),
            value=value,
            row=row.row,
            allocation=allocations,
        )
        issues += problems
        if good is not None:
            note = row.cells.get("note")
            checked.append((good, str(note) if note else None))
    if issues:
        raise ValuesRefused(issues)
    for good, note in checked:
        if allocations:
            save_allocation(session, checked=good, by=by, now=now)
        else:
            save_value(session, plan=plan, checked=good, by=by, now=now, source=f"import:{path.name}", note=note)
    return len(checked)
