"""Reporting periods and their data cut-off windows (Decree 09/2019/NĐ-CP, Article 12)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.planfile import PeriodKind

CUTOFF_DAY = 14  # a window ends on the 14th and the next starts on the 15th


class PeriodError(ValueError):
    """A period token that does not name a period."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its token (e.g. `2023-H1`) and its cut-off window [start, end]."""

    start: dt.date
    end: dt.date
    token: str
    kind: PeriodKind
    year: int


def _window_start(year: int, month: int) -> dt.date:
    """The 15th of the month before (`year`, `month`)."""
    if month == 1:
        return dt.date(year - 1, 12, CUTOFF_DAY + 1)
    return dt.date(year, month - 1, CUTOFF_DAY + 1)


def month_period(year: int, month: int) -> Period:
    return Period(
        _window_start(year, month),
        dt.date(year, month, CUTOFF_DAY),
        f"{year}-{month:02d}",
        PeriodKind.MONTH,
        year,
    )


def quarter_period(year: int, quarter: int) -> Period:
    first, last = 3 * quarter - 2, 3 * quarter
    return Period(
        _window_start(year, first),
        dt.date(year, last, CUTOFF_DAY),
        f"{year}-Q{quarter}",
        PeriodKind.QUARTER,
        year,
    )


def half_period(year: int, half: int) -> Period:
    kind = PeriodKind.H1 if half == 1 else PeriodKind.H2
    first, last = (1, 6) if half == 1 else (7, 12)
    return Period(_window_start(year, first), dt.date(year, last, CUTOFF_DAY), f"{year}-{kind}", kind, year)


def nine_month_period(year: int) -> Period:
    return Period(_window_start(year, 1), dt.date(year, 9, CUTOFF_DAY), f"{year}-9M", PeriodKind.NINE_MONTHS, year)


def year_period(year: int) -> Period:
    return Period(_window_start(year, 1), dt.date(year, 12, CUTOFF_DAY), f"{year}", PeriodKind.YEAR, year)


def once_period(day: dt.date, start: dt.date | None = None) -> Period:
    """A one-off period ending on `day`; its work window opens on `start` (default: the day itself)."""
    return Period(start or day, day, day.isoformat(), PeriodKind.ONCE, day.year)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "date"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE), "half"),
    (re.compile(r"^(\d{4})-9M$", re.IGNORECASE), "nine"),
    (re.compile(r"^(\d{4})$"), "year"),
]


def parse_period(token: str) -> Period:
    """`2023-03`, `2023-Q1`, `2023-H1`, `2023-H2`, `2023-9M`, `2023` or a date `2023-03-31`."""
    text = token.strip()
    for pattern, shape in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2200:
            break
        try:
            if shape == "date":
                return once_period(dt.date(year, int(match.group(2)), int(match.group(3))))
            if shape == "month":
                month = int(match.group(2))
                if not 1 <= month <= 12:
                    break
                return month_period(year, month)
        except ValueError:
            break
        if shape == "quarter":
            return quarter_period(year, int(match.group(2)))
        if shape == "half":
            return half_period(year, int(match.group(2)))
        if shape == "nine":
            return nine_month_period(year)
        return year_period(year)
    raise PeriodError(token)


def periods_of_year(kind: PeriodKind, year: int, months: frozenset[int] | None = None) -> list[Period]:
    """Every period of `kind` whose window closes in `year` (months filter monthly periods)."""
    if kind is PeriodKind.MONTH:
        return [month_period(year, m) for m in range(1, 13) if months is None or m in months]
    if kind is PeriodKind.QUARTER:
        return [quarter_period(year, q) for q in range(1, 5)]
    if kind is PeriodKind.H1:
        return [half_period(year, 1)]
    if kind is PeriodKind.H2:
        return [half_period(year, 2)]
    if kind is PeriodKind.NINE_MONTHS:
        return [nine_month_period(year)]
    if kind is PeriodKind.YEAR:
        return [year_period(year)]
    raise ValueError("one-off periods are listed by date, not by year")


def latest_closed(kind: PeriodKind, today: dt.date) -> Period:
    """The period of `kind` whose cut-off is the most recent one before `today`."""
    closed = [p for year in (today.year - 1, today.year) for p in periods_of_year(kind, year) if p.end < today]
    return max(closed, key=lambda p: p.end)
