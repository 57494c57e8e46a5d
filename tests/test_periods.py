"""Reporting periods and their Decree 09/2019 cut-off windows, and the due rules applied to them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from models.planfile import Cadence, PeriodKind
from tasks.calendar.due_rules import cadence_periods, due_date, support_due_date
from tasks.calendar.periods import PeriodError, parse_period
from tasks.calendar.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("token", "start", "end", "kind"),
    [
        ("2023-03", D(2023, 2, 15), D(2023, 3, 14), PeriodKind.MONTH),
        ("2023-01", D(2022, 12, 15), D(2023, 1, 14), PeriodKind.MONTH),  # across the year end
        ("2023-12", D(2023, 11, 15), D(2023, 12, 14), PeriodKind.MONTH),
        ("2023-Q1", D(2022, 12, 15), D(2023, 3, 14), PeriodKind.QUARTER),  # across the year end
        ("2023-Q2", D(2023, 3, 15), D(2023, 6, 14), PeriodKind.QUARTER),
        ("2023-Q3", D(2023, 6, 15), D(2023, 9, 14), PeriodKind.QUARTER),
        ("2023-Q4", D(2023, 9, 15), D(2023, 12, 14), PeriodKind.QUARTER),
        ("2023-H1", D(2022, 12, 15), D(2023, 6, 14), PeriodKind.H1),
        ("2023-H2", D(2023, 6, 15), D(2023, 12, 14), PeriodKind.H2),
        ("2023-9M", D(2022, 12, 15), D(2023, 9, 14), PeriodKind.NINE_MONTHS),
        ("2023", D(2022, 12, 15), D(2023, 12, 14), PeriodKind.YEAR),
        ("2024-H1", D(2023, 12, 15), D(2024, 6, 14), PeriodKind.H1),
        ("2023-q2", D(2023, 3, 15), D(2023, 6, 14), PeriodKind.QUARTER),  # lower case is accepted
        ("2023-03-31", D(2023, 3, 31), D(2023, 3, 31), PeriodKind.ONCE),
    ],
)
def test_each_period_kind_has_its_cutoff_window(token: str, start: dt.date, end: dt.date, kind: PeriodKind) -> None:
    period = parse_period(token)
    assert (period.start, period.end, period.kind) == (start, end, kind)


def test_consecutive_months_tile_the_year_without_gap_or_overlap() -> None:
    months = [parse_period(f"2023-{m:02d}") for m in range(1, 13)]
    for previous, following in itertools.pairwise(months):
        assert following.start == previous.end + dt.timedelta(days=1)
    assert months[0].start == parse_period("2023").start and months[-1].end == parse_period("2023").end


@pytest.mark.parametrize(
    "token", ["", "2023-13", "2023-00", "2023-Q5", "2023-H3", "2023-8M", "23", "2023-02-30", "abc", "2023-H1x", "0999"]
)
def test_a_token_that_names_no_period_is_refused(token: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(token)


@pytest.mark.parametrize(
    ("rule", "token", "expected"),
    [
        ({"kind": "workdays_after_cutoff", "days": 2}, "2023-03", D(2023, 3, 16)),
        ({"kind": "workdays_after_cutoff", "days": 4}, "2023-H1", D(2023, 6, 20)),
        ({"kind": "workdays_after_cutoff", "days": 2}, "2023-01", D(2023, 1, 17)),
        ({"kind": "workdays_after_cutoff", "days": 0}, "2023-03-31", D(2023, 3, 31)),
        ({"kind": "before_day", "day": 20, "month": 12}, "2023", D(2023, 12, 19)),
        ({"kind": "before_day", "day": 15, "month": 11}, "2023", D(2023, 11, 14)),
        ({"kind": "before_day", "day": 4, "month": 9}, "2023", D(2023, 8, 31)),  # before the 1-4/9 holiday
        ({"kind": "on_date", "date": "2023-07-05"}, "2023-H1", D(2023, 7, 5)),
    ],
)
def test_due_rules(rule: dict[str, object], token: str, expected: dt.date) -> None:
    assert due_date(rule, parse_period(token), CAL) == expected


def test_a_support_body_owes_its_input_before_the_lead_deadline() -> None:
    assert support_due_date(D(2023, 6, 20), 3, CAL) == D(2023, 6, 15)
    assert support_due_date(D(2023, 1, 30), 3, CAL) == D(2023, 1, 18)  # counted back over Tết


def test_a_cadence_lists_its_periods_in_order() -> None:
    cadence = Cadence.model_validate({"periods": ["year", "H1"]})
    assert [p.token for p in cadence_periods(cadence, 2023, D(2023, 2, 24))] == ["2023-H1", "2023"]
    monthly = Cadence.model_validate({"periods": ["month"], "months": [2, 3, 9]})
    assert [p.token for p in cadence_periods(monthly, 2023, D(2023, 2, 24))] == ["2023-02", "2023-03", "2023-09"]
    once = Cadence.model_validate({"periods": ["once"], "dates": ["2023-03-31"]})
    (only,) = cadence_periods(once, 2023, D(2023, 2, 24))
    assert (only.start, only.end) == (D(2023, 2, 24), D(2023, 3, 31))
