"""The duty table for a date, reconstructed from the audit trail for any day in the past."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tasks.calendar.workdays import WorkCalendar
from tasks.duties.actions import act_on_occurrence, record_funding
from tasks.duties.listing import list_duties
from tasks.duties.statuses import Action, Category
from tasks.plans.loading import LoadSummary

D = dt.date
VN_MORNING = dt.time(1, 30, tzinfo=dt.UTC)  # 08:30 in Trà Cú


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, VN_MORNING)


def _rows(db: Session, calendar: WorkCalendar, as_of: dt.date, **filters: object) -> dict[str, str]:
    rows = list_duties(db, as_of=as_of, calendar=calendar, due_soon_workdays=5, **filters)  # type: ignore[arg-type]
    return {r.key: r.category for r in rows}


def test_every_body_appears_in_the_table_for_a_day_of_the_plan(
    db: Session, loaded: LoadSummary, calendar: WorkCalendar
) -> None:
    rows = list_duties(db, as_of=D(2023, 6, 1), calendar=calendar, due_soon_workdays=5)
    assert {r.body_order for r in rows} == set(range(1, 18))


def test_a_late_submission_reads_as_overdue_before_and_completed_late_after(
    db: Session, loaded: LoadSummary, calendar: WorkCalendar
) -> None:
    key = "tuphap-1/2023-H1/tuphap"  # due 20/06/2023
    act_on_occurrence(db, ref=key, action=Action.SUBMIT, actor="Phòng Tư pháp", now=_at(D(2023, 6, 23)))
    db.commit()
    assert _rows(db, calendar, D(2023, 6, 12))[key] == Category.IN_PROGRESS
    assert _rows(db, calendar, D(2023, 6, 14))[key] == Category.DUE_SOON
    assert _rows(db, calendar, D(2023, 6, 22))[key] == Category.OVERDUE
    after = list_duties(db, as_of=D(2023, 6, 23), calendar=calendar, due_soon_workdays=5, include_all=True)
    assert {r.key: r.category for r in after}[key] == Category.COMPLETED_LATE


def test_an_on_time_submission_is_completed_on_time(db: Session, loaded: LoadSummary, calendar: WorkCalendar) -> None:
    key = "tuphap-1/2023-H1/tuphap"
    act_on_occurrence(db, ref=key, action=Action.SUBMIT, actor="A", now=_at(D(2023, 6, 19)))
    db.commit()
    assert _rows(db, calendar, D(2023, 6, 19))[key] == Category.COMPLETED_ON_TIME
    assert key not in _rows(db, calendar, D(2023, 7, 1))  # done and past: no longer live


def test_the_past_is_shown_as_it_was_not_as_it_is(db: Session, loaded: LoadSummary, calendar: WorkCalendar) -> None:
    record_funding(db, duty_code="tckh-1", amount=1_000_000, actor="A", now=_at(D(2023, 8, 1)))
    db.commit()
    key = "tckh-1/2023-H1/tckh"
    assert _rows(db, calendar, D(2023, 6, 1))[key] == Category.NOT_APPLICABLE
    assert _rows(db, calendar, D(2023, 8, 2))[key] == Category.OVERDUE


def test_filters_by_body_unit_and_category(db: Session, loaded: LoadSummary, calendar: WorkCalendar) -> None:
    kim_son = _rows(db, calendar, D(2023, 5, 20), unit_code="xa-kim-son")
    assert kim_son and all(key.endswith("/xa-kim-son") for key in kim_son)
    overdue = _rows(db, calendar, D(2023, 7, 3), category=Category.OVERDUE)
    assert overdue and set(overdue.values()) == {Category.OVERDUE}
    mine = _rows(db, calendar, D(2023, 7, 3), body_code="bhxh")
    assert mine and all(key.startswith(("bhxh-", "ldtbxh-", "nnptnt-")) or "/bhxh" in key for key in mine)


def test_the_summary_counts_every_occurrence_once_per_body_in_plan_order(
    db: Session, loaded: LoadSummary, calendar: WorkCalendar
) -> None:
    from tasks.duties.listing import summarize_by_body

    act_on_occurrence(db, ref="tuphap-1/2023-H1/tuphap", action=Action.SUBMIT, actor="A", now=_at(D(2023, 6, 19)))
    db.commit()
    rows = list_duties(db, as_of=D(2023, 6, 19), calendar=calendar, due_soon_workdays=5, include_all=True)
    summaries = summarize_by_body(rows)
    assert [s.body_order for s in summaries] == list(range(1, 18))
    assert sum(s.total for s in summaries) == len(rows) == loaded.generation.created
    tuphap = next(s for s in summaries if s.body_code == "tuphap")
    assert tuphap.counts["completed_on_time"] == 1
