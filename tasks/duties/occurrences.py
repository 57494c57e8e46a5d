"""Generates duty occurrences for a horizon: one per period and owing unit, plus support inputs. Idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert as insert_
from sqlalchemy import select, update
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


# (key, due date, the arguments of its row, the key of its lead occurrence for a support input)
_Pending = tuple[str, dt.date, tuple[Any, ...], str | None]


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
    # Rows are built only for the occurrences not there yet: every sweep runs this for every plan, and a province
    # plan owes thousands of occurrences that almost always exist already.
    rows: list[_Pending] = []
    inputs: list[_Pending] = []
    owners: dict[int, list[_Owner]] = {}  # a commune body's hundred owners, made once per run, not per period

    def owing(body: Body) -> list[_Owner]:
        if body.id not in owners:
            owners[body.id] = owners_of(body)
        return owners[body.id]

    for duty in duties:
        initial = Status.NOT_APPLICABLE if duty.condition == "funding" and duty.id not in funded else Status.OPEN
        lead_days = _first_set(duty.support_lead_workdays, plan.support_lead_workdays, support_lead_workdays)
        for period in cadence_periods(duty.cadence, plan.year, plan.effective_from):
            if period.start > through:
                continue
            due = due_date(duty.due_rule, period, calendar)
            if due < plan.effective_from:
                continue  # owed before the plan existed: nobody can be held to it
            # The same for every owner: counted once per period, not once per commune (a province has a hundred).
            input_due = support_due_date(due, lead_days, calendar) if duty.role != "support" else due
            for owner in owing(duty.body):
                key = f"{duty.code}/{period.token}/{owner.code}"
                rows.append((key, due, (plan, duty, owner, period, due, initial, "own", key, now), None))
                if duty.role == "support":
                    continue  # the named bodies are this body's leads, not its suppliers
                if input_due < plan.effective_from:
                    continue
                for support in duty.supports:
                    if not support.body.active:
                        continue
                    for supplier in owing(support.body):
                        input_key = f"{key}/{supplier.code}"
                        args = (plan, duty, supplier, period, input_due, initial, "input", input_key, now)
                        inputs.append((input_key, input_due, args, key))
    result = GenerationResult()
    _upsert(session, plan.id, rows, result)
    _upsert(session, plan.id, inputs, result)
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


def _upsert(session: Session, plan_id: int, pending: list[_Pending], result: GenerationResult) -> None:
    """Insert the rows not there yet (a concurrent run is absorbed by the unique key)."""
    # One read of the plan's occurrences rather than the keys in chunks: nearly all of them are asked for anyway.
    wanted_due = {key: due for key, due, _, _ in pending}
    session.flush()  # the read below goes past the session: what it holds must be in the database first
    existing: dict[str, tuple[int, dt.date]] = {
        key: (occ_id, due_on)
        for key, occ_id, due_on in session.connection().execute(
            select(Occurrence.key, Occurrence.id, Occurrence.due_on).where(
                Occurrence.plan_id == plan_id, Occurrence.role.in_({str(args[6]) for _, _, args, _ in pending})
            )
        )
        if key in wanted_due
    }
    new = [(args, lead) for key, _, args, lead in pending if key not in existing]
    lead_ids = _ids_by_key(session, plan_id, [lead for _, lead in new if lead is not None])
    new_rows = [_row(*args) | ({"parent_id": lead_ids[lead]} if lead else {}) for args, lead in new]
    # Whether anyone touched an occurrence is asked only of those whose due date would move: every sweep runs
    # this for every plan, and almost always nothing moves.
    moved = {occ_id: wanted_due[key] for key, (occ_id, due_on) in existing.items() if wanted_due[key] != due_on}
    touched = set(_touched(session, list(moved)))
    to_move = {occ_id: wanted for occ_id, wanted in moved.items() if occ_id not in touched}
    if to_move:
        # Views kept from the old due dates recount (data_version, plan_counts). The plan's row is written before
        # its occurrences, in the order a plan reload writes them: the two never wait for each other in a cycle.
        session.execute(update(Plan).where(Plan.id == plan_id).values(revision=Plan.revision + 1))
    for occ_id, wanted in to_move.items():
        session.get_one(Occurrence, occ_id).due_on = wanted
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


def _touched(session: Session, ids: list[int]) -> list[int]:
    """Those of `ids` that have a status event."""
    found: list[int] = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        found += session.scalars(select(StatusEvent.occurrence_id).where(StatusEvent.occurrence_id.in_(chunk)))
    return found


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
