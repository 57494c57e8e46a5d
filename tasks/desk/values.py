"""Reporting an indicator value as a signed-in person: the office any target for any scope, a body's people
their own body's targets (and a commune body its communes' figures)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.access import Person
from models.plan import Body, Plan, Target, TargetAllocation, Unit
from tasks.people.access import Forbidden, body_scope, require_reporter
from tasks.people.accounts import actor_of, audit
from tasks.reports.indicators import DISTRICT, PlanVocabulary, ValueIssue, ValuesRefused, check_value, save_value
from tasks.reports.tables import number_cell


def plans_to_report(db: Session, person: Person) -> list[Plan]:
    """The plans the person may report values for, the one loaded last first: every plan for the office, else
    those with a body (or a commune) in the person's scope."""
    require_reporter(person)
    query = select(Plan).order_by(Plan.loaded_at.desc(), Plan.id.desc())
    scope = body_scope(person)
    if scope is not None and scope.unit_code is not None:  # a commune's people: the plans where it is active
        query = query.where(
            Plan.id.in_(select(Body.plan_id).join(Unit).where(Unit.code == scope.unit_code, Unit.active))
        )
    elif scope is not None:
        query = query.where(Plan.id.in_(select(Body.plan_id).where(Body.id.in_(scope.body_ids()))))
    return list(db.scalars(query))


def reporting_plan(plans: list[Plan], code: str | None) -> Plan | None:
    """Of `plans_to_report`, the plan named by `code` (refused if it is not one of them), else the latest; None
    when there are none."""
    if not code:
        return plans[0] if plans else None
    for plan in plans:
        if plan.code == code:
            return plan
    raise Forbidden


def scopes_for(db: Session, person: Person, plan: Plan) -> list[tuple[str, str | None]]:
    """(code, unit name; None for the district) of what the person may report for: all, or their body's units."""
    scope = body_scope(person)
    query = select(Unit).join(Body).where(Body.plan_id == plan.id, Unit.active).order_by(Body.order, Unit.order)
    if scope is None:
        return [(DISTRICT, None), *((u.code, u.name) for u in db.scalars(query))]
    if scope.unit_code is not None:  # a commune's own people: that commune only, never the district
        return [(u.code, u.name) for u in db.scalars(query.where(Unit.code == scope.unit_code))]
    units = list(db.scalars(query.where(Unit.body_id.in_(scope.body_ids()))))
    return [(u.code, u.name) for u in units] or [(DISTRICT, None)]


def targets_for(db: Session, person: Person, plan: Plan) -> list[Target]:
    """The targets the person may report: all for the office; for a body's people, those their body reports,
    and, for a body of communes, those allocated to its communes (each commune's own figure)."""
    query = select(Target).where(Target.plan_id == plan.id).order_by(Target.order)
    scope = body_scope(person)
    if scope is None:
        return list(db.scalars(query))
    bodies = scope.body_ids()  # the body of that code in this plan (or the one the commune belongs to)
    allocated = (
        select(TargetAllocation.target_id)
        .join(Unit, Unit.id == TargetAllocation.unit_id)
        .where(Unit.body_id.in_(bodies))
    )
    return list(db.scalars(query.where(or_(Target.body_id.in_(bodies), Target.id.in_(allocated)))))


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
    note = unicodedata.normalize("NFC", note).strip() or None if note else None
    require_reporter(person)
    if scope not in {code for code, _ in scopes_for(db, person, plan)}:
        raise Forbidden
    vocabulary = PlanVocabulary(db, plan)
    named = vocabulary.target(target)
    if named is not None and named.id not in {t.id for t in targets_for(db, person, plan)}:
        raise Forbidden  # another body's target: Phòng Y tế does not report the poverty rate
    value = number_cell(value_text)  # as a table cell is read: 1.234,5 or 1234.5, and a negative is refused below
    if value is None:
        raise ValuesRefused([ValueIssue("indicator.not_a_number", {"value": value_text[:40]}, None, "value")])
    checked, issues = check_value(vocabulary, target=target, unit=scope, period=period, value=value)
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
