"""A simulated year with few submissions: no overdue duty goes quiet, and the digests say what they should."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Contact, OutboxMessage
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import LoadSummary

from .chasing_support import VN, quiet_days, simulated_year

START, END = dt.date(2023, 2, 24), dt.date(2023, 12, 29)
EVERY = 5  # the default policy.digest.every_workdays


def test_every_overdue_duty_is_named_again_within_five_working_days_all_year(
    db: Session, engine: Engine, loaded: LoadSummary
) -> None:
    calendar = WorkCalendar()
    result = simulated_year(engine, start=START, end=END, submit_rate=0.02, seed=3)
    assert result.failed == 0

    checked, quiet = quiet_days(db, calendar=calendar, start=START, end=END, every=EVERY)
    assert checked > 10_000  # most duties stay overdue for months at this submit rate
    assert quiet == []

    digests = db.scalars(select(OutboxMessage).where(OutboxMessage.step.like("digest-%"))).all()
    office = {c.id for c in db.scalars(select(Contact).where(Contact.role == "office"))}
    office_days = sorted(m.created_at.astimezone(VN).date() for m in digests if m.step == "digest-office")
    assert office_days and {m.contact_id for m in digests if m.step == "digest-office"} <= office
    gaps = [calendar.workdays_between(a, b) for a, b in pairwise(office_days)]
    assert gaps and max(gaps) == EVERY  # the office hears of every body's overdue duties every five working days
    assert any(m.attachment is None for m in digests)  # no attachments folder was configured here
    body_digest = next(m for m in digests if m.step == "digest-body")
    assert body_digest.subject.startswith("[Tổng hợp việc quá hạn]") and "quá hạn" in body_digest.body_text
    assert len({(m.digest_key, m.contact_id) for m in digests}) == len(digests)  # one a day per recipient
