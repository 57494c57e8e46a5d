"""Due dates: which periods a cadence owes, and the deadline a due rule gives each of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter

from models.planfile import BeforeDay, Cadence, CadenceToken, DueRule, OnDate, WorkdaysAfterCutoff
from tasks.calendar.periods import Period, once_period, periods_of_year
from tasks.calendar.workdays import WorkCalendar

_DUE_RULE: TypeAdapter[WorkdaysAfterCutoff | BeforeDay | OnDate] = TypeAdapter(DueRule)


def as_due_rule(rule: DueRule | dict[str, Any]) -> WorkdaysAfterCutoff | BeforeDay | OnDate:
    return rule if not isinstance(rule, dict) else _DUE_RULE.validate_python(rule)


def as_cadence(cadence: Cadence | dict[str, Any]) -> Cadence:
    return cadence if isinstance(cadence, Cadence) else Cadence.model_validate(cadence)


def due_date(rule: DueRule | dict[str, Any], period: Period, calendar: WorkCalendar) -> dt.date:
    """The deadline `rule` gives for `period`."""
    rule = as_due_rule(rule)
    if isinstance(rule, WorkdaysAfterCutoff):
        return calendar.add_workdays(period.end, rule.days)
    if isinstance(rule, BeforeDay):
        # "trước ngày 20/12": it must arrive before that day, so the last working day before it.
        return calendar.previous_working_day(dt.date(period.end.year, rule.month, rule.day))
    return rule.date


def support_due_date(lead_due: dt.date, workdays_before: int, calendar: WorkCalendar) -> dt.date:
    """A supporting body's input falls due `workdays_before` working days before the lead's deadline."""
    return calendar.add_workdays(lead_due, -workdays_before)


def cadence_periods(cadence: Cadence | dict[str, Any], year: int, window_start: dt.date) -> list[Period]:
    """The periods of the plan's `year` that the cadence owes, in order of their cut-off."""
    cadence = as_cadence(cadence)
    periods: list[Period] = []
    months = frozenset(cadence.months) if cadence.months else None
    for token in cadence.periods:
        if token is CadenceToken.ONCE:
            periods += [once_period(day, start=min(window_start, day)) for day in cadence.dates or []]
        else:
            periods += periods_of_year(token, year, months)
    return sorted(set(periods), key=lambda p: (p.end, p.start, p.token))
