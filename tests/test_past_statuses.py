"""Statuses as of a past day, computed by the database, agree with the rebuild from the audit trail."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.duty import Occurrence, StatusEvent
from models.plan import Plan
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.listing import DutyRow, list_duties
from tasks.duties.overdue import OverdueFilter, all_overdue, overdue_page
from tasks.duties.statuses import Action, Category, Status, TransitionError, allowed_actions, transition
from tasks.duties.views import overview
from tasks.plans.loading import LoadSummary

NOW = dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC)
DAYS = [dt.date(2023, 1, 15), dt.date(2023, 6, 20), dt.date(2023, 6, 21), dt.date(2023, 9, 30), dt.date(2024, 2, 1)]


def _varied_history(db: Session) -> None:
    """A seeded walk over the seed plan's occurrences: submissions early and late, returns and resubmissions,
    suspensions and resumptions, waivers, funding; each occurrence's events in time order."""
    rng = random.Random(14)
    occurrences = list(db.scalars(select(Occurrence).order_by(Occurrence.id)))
    for occ in rng.sample(occurrences, k=len(occurrences) * 2 // 3):
        moment = dt.datetime.combine(occ.due_on, dt.time(2), tzinfo=dt.UTC) - dt.timedelta(days=rng.randrange(40))
        for _ in range(rng.randrange(1, 6)):
            moment += dt.timedelta(days=rng.randrange(0, 50), hours=rng.randrange(0, 20))
            if moment >= NOW:
                break
            choices = allowed_actions(Status(occ.status))
            if not choices:
                break
            action = rng.choice([*sorted(choices, key=lambda a: a.value), Action.SUBMIT, Action.REJECT])
            try:
                transition(db, occurrence=occ, action=action, actor="thử", now=moment)
            except TransitionError:
                continue
    db.commit()
    db.expire_all()


def _rebuilt(db: Session, wanted: OverdueFilter, as_of: dt.date, calendar: WorkCalendar) -> list[DutyRow]:
    """The overdue list as it was computed before: every status rebuilt from the trail, then filtered."""
    rows = list_duties(
        db,
        as_of=as_of,
        calendar=calendar,
        due_soon_workdays=5,
        plan_code=wanted.plan_code,
        body_code=wanted.body_code,
        unit_code=wanted.unit_code,
        category=Category.OVERDUE,
        with_notices=True,
    )
    rows = [r for r in rows if (not wanted.kind or r.kind == wanted.kind) and -r.days_left >= wanted.min_days]
    if wanted.sort == "-due":
        return sorted(rows, key=lambda r: (r.due_on, r.occurrence_id), reverse=True)
    if wanted.sort == "body":
        return rows
    return sorted(rows, key=lambda r: (r.due_on, r.occurrence_id))


FILTERS = [
    OverdueFilter(),
    OverdueFilter(sort="-due"),
    OverdueFilter(sort="body"),
    OverdueFilter(plan_code="tra-cu-2023", min_days=20),
    OverdueFilter(body_code="ubnd-xa", kind="report"),
]


@pytest.mark.parametrize("wanted", FILTERS, ids=lambda w: repr(w)[14:70])
def test_the_overdue_list_of_a_past_day_is_the_one_rebuilt_from_the_trail(
    db: Session, loaded: LoadSummary, calendar: WorkCalendar, wanted: OverdueFilter
) -> None:
    _varied_history(db)
    for day in DAYS:
        old = _rebuilt(db, wanted, day, calendar)
        page = overdue_page(
            db, wanted, as_of=day, now=NOW, calendar=calendar, due_soon_workdays=5, page=1, per_page=100_000
        )
        streamed = list(all_overdue(db, wanted, as_of=day, now=NOW, calendar=calendar, due_soon_workdays=5, batch=7))
        assert page.total == len(old), day
        differences = [
            (a.key, k, v, getattr(b, k))
            for a, b in zip(page.rows, old, strict=True)
            for k, v in vars(a).items()
            if getattr(b, k) != v
        ]
        assert not differences, differences[:5]  # (key, field, fast, rebuilt)
        assert page.rows == old, day
        assert streamed == old, day


def test_the_overview_of_a_past_day_counts_what_the_rebuild_counts(
    db: Session, loaded: LoadSummary, calendar: WorkCalendar
) -> None:
    _varied_history(db)
    statuses = {o.status for o in db.scalars(select(Occurrence))}
    assert {"open", "submitted", "accepted", "rejected", "waived", "suspended"} <= statuses  # the history is varied
    moves = {(e.from_status, e.to_status) for e in db.scalars(select(StatusEvent))}
    assert {("rejected", "submitted"), ("suspended", "open"), ("submitted", "rejected")} <= moves  # returned, reopened
    plan = db.scalars(select(Plan)).one()
    for day in [*DAYS, dt.date(2023, 6, 19), dt.date(2023, 12, 31)]:
        rows = list_duties(db, as_of=day, calendar=calendar, due_soon_workdays=5, plan_code=plan.code, include_all=True)
        expected: dict[str, dict[str, int]] = {}
        for row in rows:
            if row.period_start <= day:
                counts = expected.setdefault(row.body_code, {})
                counts[row.category] = counts.get(row.category, 0) + 1
        lines = overview(db, plan=plan, as_of=day, calendar=calendar, due_soon_workdays=5)
        got = {line.body.code: {c: n for c, n in line.counts.items() if n} for line in lines}
        assert {k: v for k, v in got.items() if v} == expected, day
