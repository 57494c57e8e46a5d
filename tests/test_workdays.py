"""Working days around Vietnam's 2023 holidays, and the swaps configuration adds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.calendar.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar()


@pytest.mark.parametrize("day", [D(2023, 1, d) for d in range(20, 27)])
def test_tet_2023_from_20_to_26_january_is_off(day: dt.date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("day", [D(2023, 4, 29), D(2023, 4, 30), D(2023, 5, 1), D(2023, 5, 2), D(2023, 5, 3)])
def test_hung_kings_and_reunification_days_29_april_to_3_may_2023_are_off(day: dt.date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("day", [D(2023, 9, 1), D(2023, 9, 2), D(2023, 9, 3), D(2023, 9, 4)])
def test_national_day_1_to_4_september_2023_is_off(day: dt.date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day", [D(2023, 1, 19), D(2023, 1, 27), D(2023, 4, 28), D(2023, 5, 4), D(2023, 8, 31), D(2023, 9, 5)]
)
def test_the_days_around_the_holidays_are_worked(day: dt.date) -> None:
    assert CAL.is_working_day(day)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2023, 1, 19), 1, D(2023, 1, 27)),  # Thursday before Tết -> Friday after it
        (D(2023, 1, 27), -1, D(2023, 1, 19)),
        (D(2023, 1, 18), 2, D(2023, 1, 27)),
        (D(2023, 4, 28), 1, D(2023, 5, 4)),  # Friday 28/4 -> Thursday 4/5
        (D(2023, 5, 4), -1, D(2023, 4, 28)),
        (D(2023, 8, 31), 1, D(2023, 9, 5)),  # Thursday 31/8 -> Tuesday 5/9
        (D(2023, 9, 5), -2, D(2023, 8, 30)),
        (D(2023, 6, 14), 4, D(2023, 6, 20)),  # the H1 cut-off + 4 working days
        (D(2023, 12, 14), 4, D(2023, 12, 20)),
        (D(2023, 1, 21), 0, D(2023, 1, 21)),  # adding nothing stays put, even on a day off
        (D(2022, 12, 30), 1, D(2023, 1, 3)),  # across the year end and New Year's Day (observed 2/1)
    ],
)
def test_adding_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add_workdays(start, n) == expected


def test_extra_days_off_and_makeup_working_days_come_from_configuration() -> None:
    swapped = WorkCalendar.from_lists(extra_days_off=[D(2023, 1, 27)], makeup_working_days=[D(2023, 1, 28)])
    assert not swapped.is_working_day(D(2023, 1, 27))
    assert swapped.is_working_day(D(2023, 1, 28))  # a Saturday worked in exchange
    assert swapped.add_workdays(D(2023, 1, 19), 1) == D(2023, 1, 28)


def test_holiday_names_are_vietnamese() -> None:
    assert CAL.holiday_name(D(2023, 1, 22)) == "Tết Nguyên Đán"
    assert CAL.holiday_name(D(2023, 3, 1)) is None


def test_working_days_between_counts_end_not_start() -> None:
    assert CAL.workdays_between(D(2023, 1, 19), D(2023, 1, 27)) == 1
    assert CAL.workdays_between(D(2023, 1, 27), D(2023, 1, 19)) == -1


@given(st.dates(min_value=D(2022, 1, 1), max_value=D(2025, 12, 31)), st.integers(min_value=-60, max_value=60))
def test_counting_working_days_is_the_inverse_of_adding_them(start: dt.date, n: int) -> None:
    there = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, there) == n
    if n:
        assert CAL.is_working_day(there)
    if CAL.is_working_day(start):
        assert CAL.add_workdays(there, -n) == start


@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31)),
    st.integers(min_value=-2000, max_value=2000),
)
def test_counting_working_days_over_years_agrees_with_counting_day_by_day(start: dt.date, days: int) -> None:
    calendar = WorkCalendar.from_lists([D(2025, 5, 2)], [D(2024, 5, 4)])
    end = start + dt.timedelta(days=days)
    step = dt.timedelta(days=1)
    if end < start:
        by_day = -sum(calendar.is_working_day(end + step * i) for i in range((start - end).days))
    else:
        by_day = sum(calendar.is_working_day(start + step * i) for i in range(1, days + 1))
    assert calendar.workdays_between(start, end) == by_day
