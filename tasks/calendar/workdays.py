"""Working days in Vietnam: weekends and public holidays off, with announced swaps from configuration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import holidays

ONE_DAY = dt.timedelta(days=1)
RANK_EPOCH = 2000  # any year: working days are counted from it to compare two dates quickly


@dataclass(frozen=True)
class WorkCalendar:
    """Saturdays, Sundays and the `holidays` package's VN days are off.

    `extra_days_off` and `makeup_working_days` carry the swaps that the government announces
    each year (a bridge day off, a Saturday worked in exchange).
    """

    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)
    makeup_working_days: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def from_lists(
        cls, extra_days_off: Iterable[dt.date] = (), makeup_working_days: Iterable[dt.date] = ()
    ) -> WorkCalendar:
        return cls(frozenset(extra_days_off), frozenset(makeup_working_days))

    @cached_property
    def _public_holidays(self) -> holidays.HolidayBase:
        # Years are filled in lazily by the package on first look-up of a date.
        return holidays.country_holidays("VN", language="vi")

    def holiday_name(self, day: dt.date) -> str | None:
        """The Vietnamese name of the public holiday on `day`, if any."""
        name = self._public_holidays.get(day)
        return str(name) if name else None

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_working_days:
            return True
        if day in self.extra_days_off or day.weekday() >= 5:
            return False
        return day not in self._public_holidays

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The date `n` working days after `start` (before it when `n` is negative).

        `start` itself is not counted, so adding 0 returns `start` unchanged, even on a day off.
        """
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before `day`."""
        return self.add_workdays(day, -1)

    def on_or_before(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the working day before it."""
        return day if self.is_working_day(day) else self.previous_working_day(day)

    def on_or_after(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the working day after it."""
        return day if self.is_working_day(day) else self.add_workdays(day, 1)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """The n for which `add_workdays(start, n)` reaches `end` when `end` is a working day.

        Counts working days in (start, end] going forward, and in [end, start) going back (negated). Read
        from per-year running counts, so a duty overdue for years costs no more than one overdue for a day.
        """
        if end < start:
            return -(self._rank(start - ONE_DAY) - self._rank(end - ONE_DAY))
        return self._rank(end) - self._rank(start)

    @cached_property
    def _years(self) -> dict[int, list[int]]:
        return {}

    def _running(self, year: int) -> list[int]:
        """Working days of `year` up to and including each of its days (index: day of the year - 1)."""
        if year not in self._years:
            running, counts, day = 0, [], dt.date(year, 1, 1)
            while day.year == year:
                running += self.is_working_day(day)
                counts.append(running)
                day += ONE_DAY
            self._years[year] = counts
        return self._years[year]

    def _rank(self, day: dt.date) -> int:
        """Working days from 1 January of RANK_EPOCH to `day` inclusive (negative or zero before it)."""
        if day.year >= RANK_EPOCH:
            base = sum(self._running(y)[-1] for y in range(RANK_EPOCH, day.year))
        else:
            base = -sum(self._running(y)[-1] for y in range(day.year, RANK_EPOCH))
        return base + self._running(day.year)[day.timetuple().tm_yday - 1]
