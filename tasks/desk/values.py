"""Reporting an indicator value as a signed-in person: the office for any scope, a body's people for their own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import Person
from models.plan import Body, Plan, Unit
from tasks.people.access import Forbidden, body_scope, require_reporter
from tasks.people.accounts import actor_of, audit
from tasks.reports.indicators import DISTRICT, PlanVocabulary, ValueIssue, ValuesRefused, check_value, save_value
from tasks.reports.tables import number_cell


def scopes_for(db: Session, person: Person, plan: Plan) -> list[tuple[str, str | None]]:
    """(code, unit name; None for the district) of what the person may report for: all, or their body's units."""
    scope = body_scope(person)
    query = select(Unit).join(Body).where(Body.plan_id == plan.id, Unit.active).order_by(Body.order, Unit.order)
    if scope is None:
        return [(DISTRICT, None), *((u.code, u.name) for u in db.scalars(query))]
    units = list(db.scalars(query.where(Unit.body_id == scope)))
    return [(u.code, u.name) for u in units] or [(DISTRICT, None)]


def record_value(
    db: Session,
    *,
    person: Person,
    plan: Plan,
    target: str,
    scope: str,
    period: str,
    value_text: str,
    note: str | None,
    now: dt.datetime,
) -> None:
    """Check the value as an import would, and save it as the next version, written to the audit log."""
    require_reporter(person)
    if scope not in {code for code, _ in scopes_for(db, person, plan)}:
        raise Forbidden
    value = number_cell(value_text)  # as a table cell is read: 1.234,5 or 1234.5, and a negative is refused below
    if value is None:
        raise ValuesRefused([ValueIssue("indicator.not_a_number", {"value": value_text[:40]}, None, "value")])
    checked, issues = check_value(PlanVocabulary(db, plan), target=target, unit=scope, period=period, value=value)
    if checked is None:
        raise ValuesRefused(issues)
    row = save_value(db, plan=plan, checked=checked, by=actor_of(person), now=now, source="web", note=note)
    audit(
        db,
        person=person,
        actor=actor_of(person),
        action="indicator:report",
        subject=target,
        now=now,
        detail={"scope": scope, "period": checked.period, "value": value, "version": row.version},
        note=note,
    )
