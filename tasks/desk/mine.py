"""A body's (or a commune's) own desk: what it owes in every plan that names it, and the communes it may pick."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.plan import Body, Plan, Unit
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.listing import DutyRow, list_duties
from tasks.people.access import Scope


def desk_duties(
    session: Session,
    *,
    scope: Scope,
    as_of: dt.date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    unit_code: str | None = None,
) -> list[DutyRow]:
    """The occurrences live on `as_of` that the scope owes, in every plan (a commune's own people: their commune's
    only; the body's people: every commune, or the one they chose)."""
    return list_duties(
        session,
        as_of=as_of,
        calendar=calendar,
        due_soon_workdays=due_soon_workdays,
        body_code=scope.body_code if scope.unit_code is None else None,
        unit_code=scope.unit_code or unit_code,
        with_notices=True,
    )


def desk_units(session: Session, *, scope: Scope) -> list[Unit]:
    """The active communes of the body in every plan, one per code, in the order of the plan loaded first."""
    if scope.unit_code is not None:
        return []
    units = session.scalars(
        select(Unit)
        .join(Body, Body.id == Unit.body_id)
        .join(Plan, Plan.id == Body.plan_id)
        .where(Body.code == scope.body_code, Unit.active)
        .order_by(Plan.loaded_at, Plan.id, Unit.order)
    )
    first: dict[str, Unit] = {}
    for unit in units:
        first.setdefault(unit.code, unit)
    return list(first.values())
