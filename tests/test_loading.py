"""Loading the plan and generating its occurrences: one transaction, idempotent, one per unit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import Body, Contact, Duty, Occurrence, Plan, Target, Unit
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.occurrences import generate_occurrences
from tasks.plans.file import read_plan_bytes
from tasks.plans.loading import LoadSummary, load_plan

from .conftest import NOW, SEED_PLAN


def _count(db: Session, model: type, *where: object) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def test_loading_the_seed_creates_its_bodies_duties_and_occurrences(db: Session, loaded: LoadSummary) -> None:
    assert loaded.new_plan and loaded.counts["bodies"] == 17 and loaded.counts["duties"] == 32
    assert _count(db, Body) == 17 and _count(db, Duty) == 32 and _count(db, Unit) == 17
    assert _count(db, Target) == 12 and _count(db, Contact) == 36 + 17  # and each commune's focal point
    assert loaded.generation.created == _count(db, Occurrence) > 0
    names = db.scalars(select(Body.name).order_by(Body.order)).all()
    assert names[0] == "Phòng Lao động - Thương binh và Xã hội" and names[16].startswith("Ủy ban Mặt trận")


def test_loading_twice_changes_nothing(
    db: Session, seed_plan: PlanFile, calendar: WorkCalendar, loaded: LoadSummary
) -> None:
    before = _count(db, Occurrence)
    again = load_plan(
        db,
        plan_file=seed_plan,
        sha256="seed",
        now=NOW + dt.timedelta(days=1),
        calendar=calendar,
        support_lead_workdays=3,
    )
    db.commit()
    assert (again.new_plan, again.changed_rows, again.generation.created) == (False, 0, 0)
    assert _count(db, Occurrence) == before


def test_generating_occurrences_twice_creates_nothing_new(
    db: Session, calendar: WorkCalendar, loaded: LoadSummary
) -> None:
    plan = db.scalars(select(Plan)).one()
    result = generate_occurrences(
        db, plan=plan, calendar=calendar, through=dt.date(2023, 12, 31), now=NOW, support_lead_workdays=3
    )
    assert (result.created, result.rescheduled) == (0, 0)


def test_generation_follows_the_horizon(db: Session, seed_plan: PlanFile, calendar: WorkCalendar) -> None:
    load_plan(db, plan_file=seed_plan, sha256="seed", now=NOW, calendar=calendar, support_lead_workdays=3)
    plan = db.scalars(select(Plan)).one()
    db.execute(delete(Occurrence))
    early = generate_occurrences(
        db, plan=plan, calendar=calendar, through=dt.date(2023, 3, 1), now=NOW, support_lead_workdays=3
    )
    later = generate_occurrences(
        db, plan=plan, calendar=calendar, through=dt.date(2023, 12, 31), now=NOW, support_lead_workdays=3
    )
    assert early.created > 0 and later.created > 0
    assert db.scalar(select(func.max(Occurrence.period_start)).where(Occurrence.created_at == NOW)) is not None
    starts = db.scalars(select(Occurrence.period_start)).all()
    assert max(starts) > dt.date(2023, 3, 1)


def test_a_body_of_many_units_owes_once_per_unit(db: Session, loaded: LoadSummary) -> None:
    keys = db.scalars(select(Occurrence.key).where(Occurrence.key.like("ubnd-xa-3/2023-05/%"))).all()
    assert len(keys) == 17
    assert "ubnd-xa-3/2023-05/xa-dinh-an" in keys and "ubnd-xa-3/2023-05/tt-dinh-an" in keys


def test_nothing_is_owed_before_the_plan_was_issued(db: Session, loaded: LoadSummary) -> None:
    first_due = db.scalar(select(func.min(Occurrence.due_on)))
    assert first_due is not None and first_due >= dt.date(2023, 2, 24)
    assert _count(db, Occurrence, Occurrence.key.like("ubnd-xa-3/2023-02/%")) == 0  # due 16/02


def test_supporting_bodies_owe_input_three_working_days_before_the_lead(db: Session, loaded: LoadSummary) -> None:
    lead = db.scalars(select(Occurrence).where(Occurrence.key == "nnptnt-1/2023-H1/nnptnt")).one()
    inputs = db.scalars(select(Occurrence).where(Occurrence.parent_id == lead.id)).all()
    assert lead.due_on == dt.date(2023, 6, 20)
    assert {o.body.code for o in inputs} == {"ldtbxh", "dantoc", "kthtang", "ubnd-xa"}
    assert len(inputs) == 3 + 17  # the commune body supplies once per unit
    assert {o.due_on for o in inputs} == {dt.date(2023, 6, 15)}
    assert {o.role for o in inputs} == {"input"}


def test_a_support_duty_owes_no_inputs_of_its_own(db: Session, loaded: LoadSummary) -> None:
    assert _count(db, Occurrence, Occurrence.key.like("thongke-1/%/%/%")) == 0


def test_a_duty_that_waits_for_funds_is_not_applicable_until_funded(db: Session, loaded: LoadSummary) -> None:
    statuses = set(db.scalars(select(Occurrence.status).where(Occurrence.key.like("tckh-1/%"))))
    assert statuses == {"not_applicable"}
    assert set(db.scalars(select(Occurrence.status).where(Occurrence.key.like("tuphap-1/%")))) == {"open"}


def test_a_corrected_plan_updates_in_place_and_reschedules_untouched_occurrences(
    db: Session, calendar: WorkCalendar, loaded: LoadSummary
) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8").replace(
        "due_rule: {kind: before_day, day: 15, month: 11", "due_rule: {kind: before_day, day: 20, month: 11"
    )
    read = read_plan_bytes(text.encode("utf-8"), name="corrected.yaml")
    assert read.plan is not None
    summary = load_plan(
        db, plan_file=read.plan, sha256=read.sha256, now=NOW, calendar=calendar, support_lead_workdays=3
    )
    assert not summary.new_plan and summary.changed_rows >= 1
    assert summary.generation.created == 0 and summary.generation.rescheduled == 1 + 17
    due = db.scalar(select(Occurrence.due_on).where(Occurrence.key == "ldtbxh-2/2023/ldtbxh"))
    assert due == dt.date(2023, 11, 17)


def test_a_failed_load_leaves_the_database_as_it_was(
    db: Session, seed_plan: PlanFile, calendar: WorkCalendar, loaded: LoadSummary
) -> None:
    before = (_count(db, Occurrence), db.scalar(select(Plan.title)))
    broken = seed_plan.model_copy(update={"bodies": [*seed_plan.bodies[:-1]]})  # duties name a missing body
    try:
        with db.begin_nested():
            load_plan(
                db,
                plan_file=broken.model_copy(update={"plan": seed_plan.plan.model_copy(update={"title": "changed"})}),
                sha256="x",
                now=NOW,
                calendar=calendar,
                support_lead_workdays=3,
            )
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    db.rollback()
    assert (_count(db, Occurrence), db.scalar(select(Plan.title))) == before
