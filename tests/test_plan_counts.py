"""The province overview's counts kept between requests: after a change only the changed plan is recounted, and
the counts always equal a full recount (today and on a past day)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Occurrence, Plan
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.as_of import counts_then
from tasks.duties.plan_counts import PlanCounts, plans_changed_since, read_mark
from tasks.duties.statuses import Action, transition
from tests.conftest import Run
from tests.test_province import _second_plan

DAYS = (dt.date(2023, 7, 10), dt.date(2023, 3, 31))


def _full(db: Session, day: dt.date) -> dict[tuple[int, str], int]:
    return counts_then(
        db, by=Occurrence.plan_id, plan_ids=None, as_of=day, calendar=WorkCalendar(), due_soon_workdays=3
    )


def test_only_the_changed_plan_is_recounted_and_the_counts_equal_a_full_recount(
    cli: Run, database_url: str, db: Session, tmp_path: Path
) -> None:
    for path in (Path("plans/tra-cu-2023.yaml"), _second_plan(tmp_path)):
        assert cli("plan", "load", str(path), database_url=database_url)[0] == 0
    kept = PlanCounts()
    for day in DAYS:
        first = kept.counts(db, as_of=day, calendar=WorkCalendar(), due_soon_workdays=3)
        assert first == _full(db, day) and first
        assert kept.counts(db, as_of=day, calendar=WorkCalendar(), due_soon_workdays=3) is first  # nothing changed
    mark = read_mark(db)
    second = db.scalars(select(Plan).where(Plan.code == "tra-cu-2023-b")).one()
    occurrence = db.scalars(
        select(Occurrence)
        .where(Occurrence.plan_id == second.id, Occurrence.status == "open", Occurrence.due_on < DAYS[0])
        .order_by(Occurrence.id)
    ).first()
    assert occurrence is not None
    moment = dt.datetime(2023, 7, 10, 3, 0, tzinfo=dt.UTC)
    transition(db, occurrence=occurrence, action=Action.SUBMIT, actor="test", now=moment)
    db.commit()
    assert plans_changed_since(db, mark) == [second.id]
    for day in DAYS:
        again = kept.counts(db, as_of=day, calendar=WorkCalendar(), due_soon_workdays=3)
        assert again == _full(db, day)
    today = kept.counts(db, as_of=DAYS[0], calendar=WorkCalendar(), due_soon_workdays=3)
    assert today[(second.id, "overdue")] == _full(db, DAYS[0])[(second.id, "overdue")]
    db.commit()  # SQLite: the test's read ends before the loader writes
    # a reloaded plan recounts everything
    assert cli("plan", "load", str(_second_plan(tmp_path)), database_url=database_url)[0] == 0
    db.commit()
    assert kept.counts(db, as_of=DAYS[0], calendar=WorkCalendar(), due_soon_workdays=3) == _full(db, DAYS[0])
    db.commit()


def test_due_dates_moved_by_a_new_day_off_are_recounted(cli: Run, database_url: str, db: Session) -> None:
    """A day off announced later moves the due dates nobody has touched yet (the sweep's generation does it): the
    kept counts and the pages' fingerprint must not keep showing the old dates."""
    from tasks.duties.data_version import data_version
    from tasks.duties.occurrences import generate_occurrences

    assert cli("plan", "load", "plans/tra-cu-2023.yaml", database_url=database_url)[0] == 0
    day = DAYS[0]
    kept = PlanCounts()
    before = kept.counts(db, as_of=day, calendar=WorkCalendar(), due_soon_workdays=3)
    version = data_version(db)
    plan = db.scalars(select(Plan)).one()
    # Three weeks off up to a few days after `day`: due dates in them move out of them, some past `day`, so what was
    # overdue on `day` is not any more.
    days_off = WorkCalendar.from_lists(day + dt.timedelta(days=n) for n in range(-15, 6))
    result = generate_occurrences(
        db,
        plan=plan,
        calendar=days_off,
        through=day,
        now=dt.datetime(2023, 7, 10, tzinfo=dt.UTC),
        support_lead_workdays=3,
    )
    db.commit()
    assert result.rescheduled > 0
    assert data_version(db) != version
    again = kept.counts(db, as_of=day, calendar=WorkCalendar(), due_soon_workdays=3)
    assert again == _full(db, day)
    assert again != before
