"""Loads a validated plan file into the database: one transaction, matched by code, idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import Base
from models.duty import Duty, DutySupport
from models.plan import BaselineFigure, Body, Contact, Plan, Target, Unit
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.occurrences import GenerationResult, generate_occurrences

M = TypeVar("M", bound=Base)


@dataclass
class LoadSummary:
    plan_code: str
    new_plan: bool
    changed_rows: int
    counts: dict[str, int] = field(default_factory=dict)
    generation: GenerationResult = field(default_factory=GenerationResult)


def plan_window(plan_file: PlanFile) -> tuple[dt.date, dt.date]:
    header = plan_file.plan
    return (header.effective_from or header.issued_on, header.effective_to or dt.date(header.year, 12, 31))


def load_plan(
    session: Session,
    *,
    plan_file: PlanFile,
    sha256: str,
    now: dt.datetime,
    calendar: WorkCalendar,
    support_lead_workdays: int,
) -> LoadSummary:
    """Write `plan_file` into the database and generate its occurrences for the whole plan window.

    Rows are matched by code: loading the same file twice changes nothing, and a corrected file
    updates what changed. Nothing is deleted: a body or duty dropped from the file is marked
    inactive, so its history stays.
    """
    header = plan_file.plan
    start, end = plan_window(plan_file)
    plan = session.scalar(select(Plan).where(Plan.code == header.code))
    new_plan = plan is None
    changes = _Changes()
    plan = changes.apply(
        session,
        plan,
        Plan,
        {
            "code": header.code,
            "number": header.number,
            "title": header.title,
            "issuer": header.issuer,
            "place": header.place,
            "issued_on": header.issued_on,
            "year": header.year,
            "effective_from": start,
            "effective_to": end,
            "signer_name": header.signer.name,
            "signer_title": header.signer.title,
            "signer_contact": header.signer.contact,
            "bases": [b.model_dump(mode="json") for b in header.bases],
            "recipients": list(header.recipients),
            "support_lead_workdays": plan_file.calendar.support_lead_workdays,
            "policy": plan_file.policy.model_dump(mode="json"),
            "source_sha256": sha256,
        },
        on_create={"loaded_at": now},
    )
    session.flush()
    bodies = _load_bodies(session, plan, plan_file, changes)
    _load_contacts(session, plan, plan_file, bodies, changes)
    _load_duties(session, plan, plan_file, bodies, changes)
    _load_figures(session, plan, plan_file, bodies, changes)
    if changes.count:
        plan.loaded_at = now
    session.flush()
    generation = generate_occurrences(
        session,
        plan=plan,
        calendar=calendar,
        through=end,
        now=now,
        support_lead_workdays=support_lead_workdays,
    )
    counts = {
        "bodies": len(plan_file.bodies),
        "units": sum(len(b.units) for b in plan_file.bodies),
        "duties": len(plan_file.all_duties()),
        "contacts": len(plan_file.all_contacts()),
        "targets": len(plan_file.targets),
        "baseline": len(plan_file.baseline),
    }
    return LoadSummary(header.code, new_plan, changes.count, counts, generation)


class _Changes:
    """Creates or updates rows by their values, counting what actually changed."""

    def __init__(self) -> None:
        self.count = 0

    def apply(
        self,
        session: Session,
        row: M | None,
        model: type[M],
        values: dict[str, Any],
        on_create: dict[str, Any] | None = None,
    ) -> M:
        if row is None:
            row = model(**values, **(on_create or {}))
            session.add(row)
            self.count += 1
            return row
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                self.count += 1
        return row


def _by_code(session: Session, model: type[M], *where: Any) -> dict[str, M]:
    return {row.code: row for row in session.scalars(select(model).where(*where))}  # type: ignore[attr-defined]


def _load_bodies(session: Session, plan: Plan, plan_file: PlanFile, changes: _Changes) -> dict[str, Body]:
    existing = _by_code(session, Body, Body.plan_id == plan.id)
    for body in existing.values():
        if body.code not in {b.code for b in plan_file.bodies}:
            changes.apply(session, body, Body, {"active": False})
    for spec in plan_file.bodies:
        body = changes.apply(
            session,
            existing.get(spec.code),
            Body,
            {
                "plan_id": plan.id,
                "code": spec.code,
                "order": spec.order,
                "name": spec.name,
                "short_name": spec.short_name,
                "aliases": list(spec.aliases),
                "kind": spec.kind.value,
                "authority": spec.authority.value,
                "active": True,
            },
        )
        existing[spec.code] = body
        session.flush()
        units = _by_code(session, Unit, Unit.body_id == body.id)
        wanted = {u.code for u in spec.units}
        for unit in units.values():
            if unit.code not in wanted:
                changes.apply(session, unit, Unit, {"active": False})
        for order, unit_spec in enumerate(spec.units, start=1):
            changes.apply(
                session,
                units.get(unit_spec.code),
                Unit,
                {
                    "body_id": body.id,
                    "code": unit_spec.code,
                    "order": order,
                    "name": unit_spec.name,
                    "kind": unit_spec.kind,
                    "active": True,
                },
            )
    session.flush()
    return existing


def _load_contacts(
    session: Session, plan: Plan, plan_file: PlanFile, bodies: dict[str, Body], changes: _Changes
) -> None:
    existing = _by_code(session, Contact, Contact.plan_id == plan.id)
    specs = [(None, c) for c in plan_file.contacts] + [(b.code, c) for b in plan_file.bodies for c in b.contacts]
    wanted = {c.code for _, c in specs}
    for contact in existing.values():
        if contact.code not in wanted:
            changes.apply(session, contact, Contact, {"active": False})
    units = {
        (u.body_id, u.code): u.id
        for u in session.scalars(select(Unit).where(Unit.body_id.in_([b.id for b in bodies.values()])))
    }
    for body_code, spec in specs:
        body_id = bodies[body_code].id if body_code else None
        changes.apply(
            session,
            existing.get(spec.code),
            Contact,
            {
                "plan_id": plan.id,
                "body_id": body_id,
                "unit_id": units.get((body_id, spec.unit)) if spec.unit and body_id is not None else None,
                "code": spec.code,
                "role": spec.role.value,
                "name": spec.name,
                "title": spec.title,
                "channel_ref": spec.channel,
                "active": True,
            },
        )


def _load_duties(session: Session, plan: Plan, plan_file: PlanFile, bodies: dict[str, Body], changes: _Changes) -> None:
    existing = _by_code(session, Duty, Duty.plan_id == plan.id)
    wanted = {d.code for _, d in plan_file.all_duties()}
    for duty in existing.values():
        if duty.code not in wanted:
            changes.apply(session, duty, Duty, {"active": False})
    for body_spec in plan_file.bodies:
        for order, spec in enumerate(body_spec.duties, start=1):
            duty = changes.apply(
                session,
                existing.get(spec.code),
                Duty,
                {
                    "plan_id": plan.id,
                    "body_id": bodies[body_spec.code].id,
                    "code": spec.code,
                    "order": order,
                    "text": spec.text,
                    "role": spec.role.value,
                    "kind": spec.kind.value,
                    "cadence": spec.cadence.model_dump(mode="json", exclude_none=True),
                    "due_rule": spec.due_rule.model_dump(mode="json", exclude_none=True),
                    "condition": spec.condition,
                    "condition_text": spec.condition_text,
                    "legal_basis": list(spec.legal_basis),
                    "other_partners": list(spec.other_partners),
                    "support_lead_workdays": spec.support_lead_workdays,
                    "notes": spec.notes,
                    "active": True,
                },
            )
            supports = [(bodies[code].id, i) for i, code in enumerate(spec.support_bodies, start=1)]
            if [(s.body_id, s.order) for s in duty.supports] != supports:
                duty.supports = [DutySupport(body_id=body_id, order=i) for body_id, i in supports]
                changes.count += 1
    session.flush()


def _load_figures(
    session: Session, plan: Plan, plan_file: PlanFile, bodies: dict[str, Body], changes: _Changes
) -> None:
    targets = _by_code(session, Target, Target.plan_id == plan.id)
    for order, spec in enumerate(plan_file.targets, start=1):
        changes.apply(
            session,
            targets.get(spec.code),
            Target,
            {
                "plan_id": plan.id,
                "code": spec.code,
                "order": order,
                "name": spec.name,
                "value": spec.value,
                "unit": spec.unit,
                "value_text": spec.value_text,
                "direction": spec.direction,
                "condition": spec.condition,
                "note": spec.note,
                "body_id": bodies[spec.reported_by.body].id if spec.reported_by else None,
                "body_assumed": spec.reported_by.assumed if spec.reported_by else False,
            },
        )
    figures = _by_code(session, BaselineFigure, BaselineFigure.plan_id == plan.id)
    for order, figure in enumerate(plan_file.baseline, start=1):
        changes.apply(
            session,
            figures.get(figure.code),
            BaselineFigure,
            {
                "plan_id": plan.id,
                "code": figure.code,
                "order": order,
                "name": figure.name,
                "value": figure.value,
                "unit": figure.unit,
                "value_text": figure.value_text,
                "of": figure.of,
                "note": figure.note,
            },
        )
