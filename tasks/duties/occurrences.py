"""Generates duty occurrences for a horizon: one per period and owing unit, plus support inputs. Idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy import insert as insert_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from models.duty import Duty, DutySupport, FundingRecord, Occurrence, StatusEvent
from models.plan import Body, Plan
from tasks.calendar.due_rules import cadence_periods, due_date, support_due_date
from tasks.calendar.periods import Period
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import Status


@dataclass(frozen=True)
class _Owner:
    body_id: int
    unit_id: int | None
    code: str


@dataclass
class GenerationResult:
    created: int = 0
    rescheduled: int = 0


def owners_of(body: Body) -> list[_Owner]:
    """A body that stands for many units (the communes) owes once per unit."""
    units = [u for u in body.units if u.active]
    if units:
        return [_Owner(body.id, u.id, u.code) for u in units]
    return [_Owner(body.id, None, body.code)]


def generate_occurrences(
    session: Session,
    *,
    plan: Plan,
    calendar: WorkCalendar,
    through: dt.date,
    now: dt.datetime,
    support_lead_workdays: int,
) -> GenerationResult:
    """Create every occurrence whose period has begun by `through`; running it again creates nothing.

    A due date is recomputed only for an occurrence nobody has touched yet (no status event).
    """
    duties = session.scalars(
        select(Duty)
        .where(Duty.plan_id == plan.id, Duty.active)
        .options(
            selectinload(Duty.body).selectinload(Body.units),
            selectinload(Duty.supports).selectinload(DutySupport.body).selectinload(Body.units),
        )
        .order_by(Duty.body_id, Duty.order)
    ).all()
    funded = set(session.scalars(select(FundingRecord.duty_id).distinct()))
    rows: list[dict[str, object]] = []
    inputs: list[tuple[str, dict[str, object]]] = []  # (lead key, row)
    for duty in duties:
        initial = Status.NOT_APPLICABLE if duty.condition == "funding" and duty.id not in funded else Status.OPEN
        lead_days = _first_set(duty.support_lead_workdays, plan.support_lead_workdays, support_lead_workdays)
        for period in cadence_periods(duty.cadence, plan.year, plan.effective_from):
            if period.start > through:
                continue
            due = due_date(duty.due_rule, period, calendar)
            if due < plan.effective_from:
                continue  # owed before the plan existed: nobody can be held to it
            for owner in owners_of(duty.body):
                key = f"{duty.code}/{period.token}/{owner.code}"
                rows.append(_row(plan, duty, owner, period, due, initial, "own", key, now))
                if duty.role == "support":
                    continue  # the named bodies are this body's leads, not its suppliers
                input_due = support_due_date(due, lead_days, calendar)
                if input_due < plan.effective_from:
                    continue
                for support in duty.supports:
                    if not support.body.active:
                        continue
                    for supplier in owners_of(support.body):
                        input_key = f"{key}/{supplier.code}"
                        row = _row(plan, duty, supplier, period, input_due, initial, "input", input_key, now)
                        inputs.append((key, row))
    result = GenerationResult()
    _upsert(session, plan.id, rows, result)
    lead_ids = _ids_by_key(session, plan.id, [key for key, _ in inputs])
    for lead_key, row in inputs:
        row["parent_id"] = lead_ids[lead_key]
    _upsert(session, plan.id, [row for _, row in inputs], result)
    return result


def _first_set(*values: int | None) -> int:
    return next(v for v in values if v is not None)


def _row(
    plan: Plan,
    duty: Duty,
    owner: _Owner,
    period: Period,
    due: dt.date,
    status: Status,
    role: str,
    key: str,
    now: dt.datetime,
) -> dict[str, object]:
    return {
        "plan_id": plan.id,
        "duty_id": duty.id,
        "body_id": owner.body_id,
        "unit_id": owner.unit_id,
        "parent_id": None,
        "key": key,
        "role": role,
        "period": period.token,
        "period_kind": period.kind.value,
        "period_start": period.start,
        "period_end": period.end,
        "due_on": due,
        "status": status.value,
        "submitted_at": None,
        "status_changed_at": now,
        "created_at": now,
        "live_since": now if status is Status.OPEN else None,
        "live_round": 0,
    }


def _ids_by_key(session: Session, plan_id: int, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), 900):
        chunk = unique[start : start + 900]
        rows = session.execute(
            select(Occurrence.key, Occurrence.id).where(Occurrence.plan_id == plan_id, Occurrence.key.in_(chunk))
        )
        found.update({key: occ_id for key, occ_id in rows})
    return found


def _upsert(session: Session, plan_id: int, rows: list[dict[str, object]], result: GenerationResult) -> None:
    """Insert the rows not there yet (a concurrent run is absorbed by the unique key)."""
    touched = exists().where(StatusEvent.occurrence_id == Occurrence.id)
    existing: dict[str, tuple[int, dt.date, bool]] = {}
    keys = [str(r["key"]) for r in rows]
    for start in range(0, len(keys), 900):
        chunk = keys[start : start + 900]
        for key, occ_id, due_on, was_touched in session.execute(
            select(Occurrence.key, Occurrence.id, Occurrence.due_on, touched).where(
                Occurrence.plan_id == plan_id, Occurrence.key.in_(chunk)
            )
        ):
            existing[key] = (occ_id, due_on, bool(was_touched))
    new_rows = [r for r in rows if r["key"] not in existing]
    wanted_due = {r["key"]: r["due_on"] for r in rows}
    for key, (occ_id, due_on, was_touched) in existing.items():
        wanted = wanted_due[key]
        if not was_touched and wanted != due_on:
            session.get_one(Occurrence, occ_id).due_on = wanted  # type: ignore[assignment]
            result.rescheduled += 1
    dialect = session.get_bind().dialect.name
    for start in range(0, len(new_rows), 500):
        batch = new_rows[start : start + 500]
        if dialect in ("postgresql", "sqlite"):
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            statement = (
                insert(Occurrence)
                .values(batch)
                .on_conflict_do_nothing(index_elements=["plan_id", "key"])
                .returning(Occurrence.id)
            )
            result.created += len(session.execute(statement).all())
        else:
            result.created += _insert_one_by_one(session, batch)
    session.flush()


def _insert_one_by_one(session: Session, batch: list[dict[str, object]]) -> int:
    """For backends without ON CONFLICT DO NOTHING: each row in a savepoint, a duplicate skipped."""
    created = 0
    for row in batch:
        try:
            with session.begin_nested():
                session.execute(insert_(Occurrence).values(**row))
            created += 1
        except IntegrityError:
            continue
    return created
