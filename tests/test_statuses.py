"""Status transitions, the audit trail, funding, and timing categories as of a date."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Occurrence, StatusEvent
from tasks.duties.actions import act_on_occurrence, record_funding
from tasks.duties.statuses import TRANSITIONS, Action, Category, Status, TransitionError, categorize, transition
from tasks.plans.loading import LoadSummary

from .conftest import NOW

D = dt.date
KEY = "ldtbxh-1/2023-H1/ldtbxh"


def _occurrence(db: Session, key: str = KEY) -> Occurrence:
    return db.scalars(select(Occurrence).where(Occurrence.key == key)).one()


def _events(db: Session, occ: Occurrence) -> list[tuple[str, str, str, str | None]]:
    rows = db.scalars(select(StatusEvent).where(StatusEvent.occurrence_id == occ.id).order_by(StatusEvent.id))
    return [(e.actor, e.from_status, e.to_status, e.note) for e in rows]


@pytest.mark.parametrize(("source", "action"), list(TRANSITIONS))
def test_every_allowed_transition_moves_and_is_audited(
    db: Session, loaded: LoadSummary, source: Status, action: Action
) -> None:
    occ = _occurrence(db)
    db.execute(update(Occurrence).where(Occurrence.id == occ.id).values(status=source.value))
    db.refresh(occ)
    event = transition(db, occurrence=occ, action=action, actor="Nguyễn Văn A", now=NOW, note="ghi chú")
    db.commit()
    target = TRANSITIONS[(source, action)]
    assert occ.status == target.value and occ.status_changed_at == NOW
    assert (event.from_status, event.to_status, event.actor, event.at) == (
        source.value,
        target.value,
        "Nguyễn Văn A",
        NOW,
    )
    assert _events(db, occ) == [("Nguyễn Văn A", source.value, target.value, "ghi chú")]


@pytest.mark.parametrize(
    ("source", "action"),
    [
        (Status.OPEN, Action.ACCEPT),
        (Status.OPEN, Action.REJECT),
        (Status.OPEN, Action.RESUME),
        (Status.SUBMITTED, Action.SUBMIT),
        (Status.SUBMITTED, Action.WAIVE),
        (Status.ACCEPTED, Action.REJECT),
        (Status.ACCEPTED, Action.SUBMIT),
        (Status.WAIVED, Action.RESUME),
        (Status.NOT_APPLICABLE, Action.SUBMIT),
        (Status.SUSPENDED, Action.SUBMIT),
        (Status.OPEN, Action.FUND),
    ],
)
def test_a_refused_transition_says_why_and_changes_nothing(
    db: Session, loaded: LoadSummary, source: Status, action: Action
) -> None:
    assert (source, action) not in TRANSITIONS
    occ = _occurrence(db)
    db.execute(update(Occurrence).where(Occurrence.id == occ.id).values(status=source.value))
    db.commit()
    db.refresh(occ)
    with pytest.raises(TransitionError) as refused:
        transition(db, occurrence=occ, action=action, actor="A", now=NOW)
    db.rollback()
    assert refused.value.code == "status.illegal"
    assert refused.value.params["status"] == source.value and refused.value.params["action"] == action.value
    db.refresh(occ)
    assert occ.status == source.value and _events(db, occ) == []


def test_a_stale_change_loses_to_the_one_already_made(db: Session, loaded: LoadSummary) -> None:
    occ = _occurrence(db)
    someone_else = update(Occurrence).where(Occurrence.id == occ.id).values(status="submitted")
    db.execute(someone_else.execution_options(synchronize_session=False))
    assert occ.status == "open"  # what this person read before the other change
    with pytest.raises(TransitionError) as refused:
        transition(db, occurrence=occ, action=Action.SUBMIT, actor="A", now=NOW)  # still thinks it is open
    assert refused.value.code == "status.conflict"


def test_an_action_needs_someone_to_take_it(db: Session, loaded: LoadSummary) -> None:
    with pytest.raises(TransitionError) as refused:
        act_on_occurrence(db, ref=KEY, action=Action.SUBMIT, actor="  ", now=NOW)
    assert refused.value.code == "status.actor_required"


def test_the_audit_trail_keeps_the_whole_story(db: Session, loaded: LoadSummary) -> None:
    steps = [
        (Action.SUBMIT, "Đầu mối"),
        (Action.REJECT, "VP BCĐ"),
        (Action.SUBMIT, "Đầu mối"),
        (Action.ACCEPT, "VP BCĐ"),
    ]
    for hours, (action, actor) in enumerate(steps):
        act_on_occurrence(
            db, ref=KEY, action=action, actor=actor, now=NOW + dt.timedelta(hours=hours), note=f"bước {hours + 1}"
        )
    db.commit()
    occ = _occurrence(db)
    assert _events(db, occ) == [
        ("Đầu mối", "open", "submitted", "bước 1"),
        ("VP BCĐ", "submitted", "rejected", "bước 2"),
        ("Đầu mối", "rejected", "submitted", "bước 3"),
        ("VP BCĐ", "submitted", "accepted", "bước 4"),
    ]
    assert occ.submitted_at == NOW + dt.timedelta(hours=2)


def test_occurrences_are_found_by_number_or_key(db: Session, loaded: LoadSummary) -> None:
    occ = _occurrence(db)
    by_number, _ = act_on_occurrence(db, ref=str(occ.id), action=Action.SUSPEND, actor="A", now=NOW)
    assert by_number.key == KEY
    with pytest.raises(TransitionError) as missing:
        act_on_occurrence(db, ref="no/such/key", action=Action.SUBMIT, actor="A", now=NOW)
    assert missing.value.code == "occurrence.not_found"


def test_recording_funding_opens_every_waiting_occurrence_of_the_duty(db: Session, loaded: LoadSummary) -> None:
    record, opened = record_funding(
        db, duty_code="tckh-1", amount=2_500_000_000, actor="Phòng TC-KH", now=NOW, reference="QĐ 1/QĐ-UBND"
    )
    db.commit()
    assert record.amount == 2_500_000_000 and len(opened) == 2  # H1 and the year
    assert set(db.scalars(select(Occurrence.status).where(Occurrence.key.like("tckh-1/%")))) == {"open"}
    assert {e.to_status for o in opened for e in o.events} == {"open"}


@pytest.mark.parametrize(
    ("duty", "amount", "code"),
    [
        ("tuphap-1", 1, "funding.not_conditional"),
        ("tckh-1", 0, "funding.amount_positive"),
        ("nope-1", 5, "duty.not_found"),
    ],
)
def test_funding_is_refused_where_it_makes_no_sense(
    db: Session, loaded: LoadSummary, duty: str, amount: int, code: str
) -> None:
    with pytest.raises(TransitionError) as refused:
        record_funding(db, duty_code=duty, amount=amount, actor="A", now=NOW)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("status", "submitted_on", "as_of", "expected"),
    [
        (Status.OPEN, None, D(2023, 6, 1), Category.NOT_YET_DUE),
        (Status.OPEN, None, D(2023, 6, 10), Category.IN_PROGRESS),
        (Status.OPEN, None, D(2023, 6, 13), Category.DUE_SOON),
        (Status.OPEN, None, D(2023, 6, 20), Category.DUE_SOON),
        (Status.OPEN, None, D(2023, 6, 21), Category.OVERDUE),
        (Status.REJECTED, None, D(2023, 6, 21), Category.OVERDUE),
        (Status.SUBMITTED, D(2023, 6, 20), D(2023, 7, 1), Category.COMPLETED_ON_TIME),
        (Status.ACCEPTED, D(2023, 6, 21), D(2023, 7, 1), Category.COMPLETED_LATE),
        (Status.WAIVED, None, D(2023, 7, 1), Category.WAIVED),
        (Status.SUSPENDED, None, D(2023, 7, 1), Category.SUSPENDED),
        (Status.NOT_APPLICABLE, None, D(2023, 7, 1), Category.NOT_APPLICABLE),
    ],
)
def test_timing_categories(status: Status, submitted_on: dt.date | None, as_of: dt.date, expected: Category) -> None:
    assert (
        categorize(
            status=status,
            submitted_on=submitted_on,
            due_on=D(2023, 6, 20),
            period_start=D(2023, 6, 5),
            as_of=as_of,
            due_soon_from=D(2023, 6, 13),
        )
        is expected
    )
