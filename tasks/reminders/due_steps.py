"""Which step each live occurrence is owed today, and who receives it: a commune's own people first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models.duty import Occurrence
from models.plan import Body, Contact, Plan
from models.planfile import RecipientRole
from tasks.calendar.clock import local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import Status
from tasks.reminders.policy import Step, as_policy, effective_ladder, ladder_steps, step_due


@dataclass(frozen=True)
class DueStep:
    occurrence: Occurrence
    step: Step
    recipients: list[Contact]


def find_due_steps(
    session: Session,
    *,
    plan: Plan,
    now: dt.datetime,
    calendar: WorkCalendar,
    lookback_days: int,
    body_code: str | None = None,
) -> list[DueStep]:
    """Each live occurrence's step due today, with its recipients. Only a window of due dates is read,
    so the cost follows the number of due actions, not the size of the table."""
    policy = as_policy(plan.policy or {})
    today = local_date(now)
    overrides = [*policy.kinds.values(), *policy.duties.values()]
    ahead = max([*policy.reminders, *(n for o in overrides for n in (o.reminders or []))], default=0)
    window_end = calendar.add_workdays(today, ahead) + dt.timedelta(days=1)
    query = (
        select(Occurrence)
        .join(Body, Occurrence.body_id == Body.id)
        .where(
            Occurrence.plan_id == plan.id,
            Occurrence.status.in_([Status.OPEN.value, Status.REJECTED.value]),
            Occurrence.due_on >= today - dt.timedelta(days=lookback_days),
            Occurrence.due_on <= window_end,
        )
        .options(
            joinedload(Occurrence.duty),
            joinedload(Occurrence.body),
            joinedload(Occurrence.unit),
            joinedload(Occurrence.parent).joinedload(Occurrence.body),  # a support input's lead, read once here
        )
        .order_by(Occurrence.due_on, Occurrence.id)
    )
    if body_code:
        query = query.where(Body.code == body_code)
    contacts = _contacts(session, plan)
    due: list[DueStep] = []
    for occurrence in session.scalars(query).unique():
        reminders, ladder = effective_ladder(
            policy,
            duty_code=occurrence.duty.code,
            duty_kind=occurrence.duty.kind,
            role=occurrence.role,
            authority=occurrence.body.authority,
        )
        steps = ladder_steps(due_on=occurrence.due_on, reminders=reminders, ladder=ladder, calendar=calendar)
        step = step_due(steps=steps, status=Status(occurrence.status), today=today, due_on=occurrence.due_on)
        if step is not None:
            due.append(DueStep(occurrence, step, _recipients(occurrence, step.roles, contacts, plan)))
    return due


ContactIndex = dict[tuple[str, int | str | None, str], list[Contact]]


def _contacts(session: Session, plan: Plan) -> ContactIndex:
    """Contacts by (body, role), by (unit, role) for a commune's own people, and by code."""
    found: ContactIndex = {}
    for contact in session.scalars(
        select(Contact).where(Contact.plan_id == plan.id, Contact.active).order_by(Contact.id)
    ):
        if contact.unit_id is not None:
            found.setdefault(("unit", contact.unit_id, contact.role), []).append(contact)
        else:
            found.setdefault(("body", contact.body_id, contact.role), []).append(contact)
        found.setdefault(("code", contact.code, ""), []).append(contact)
    return found


def _recipients(
    occurrence: Occurrence,
    roles: tuple[RecipientRole, ...],
    contacts: ContactIndex,
    plan: Plan,
) -> list[Contact]:
    chosen: list[Contact] = []
    for role in roles:
        if role in (RecipientRole.FOCAL_POINT, RecipientRole.HEAD):
            chosen += _own_people(contacts, occurrence, role.value)
        elif role is RecipientRole.OFFICE:
            chosen += contacts.get(("body", None, "office"), [])
        elif role is RecipientRole.SIGNER:
            chosen += contacts.get(("code", plan.signer_contact, ""), [])
        elif occurrence.parent is not None:  # the lead body's focal point, for a support input
            chosen += _own_people(contacts, occurrence.parent, RecipientRole.FOCAL_POINT.value)
    unique: dict[int, Contact] = {c.id: c for c in chosen}
    return list(unique.values())


def _own_people(contacts: ContactIndex, occurrence: Occurrence, role: str) -> list[Contact]:
    """A commune's own people in `role` when it has them; the owing body's otherwise."""
    own = contacts.get(("unit", occurrence.unit_id, role), []) if occurrence.unit_id else []
    return own or contacts.get(("body", occurrence.body_id, role), [])
