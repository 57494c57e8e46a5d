"""Which step each live occurrence is owed today, and who receives it: a commune's own people first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models.duty import Duty, Occurrence, owed_of_plan
from models.outbox import OutboxMessage
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
    body_code: str | None = None,
) -> list[DueStep]:
    """Each owed occurrence's step due today and not queued before in its round, with its recipients.

    Everything still owed is read (through the partial index of owed occurrences), not a window of recent
    due dates, so the longest-overdue are never dropped; the cost follows the number owed, not the table.
    """
    policy = as_policy(plan.policy or {})
    today = local_date(now)
    overrides = [*policy.kinds.values(), *policy.duties.values()]
    ahead = max([*policy.reminders, *(n for o in overrides for n in (o.reminders or []))], default=0)
    window_end = calendar.add_workdays(today, ahead) + dt.timedelta(days=1)
    query = (
        select(
            Occurrence.id,
            Occurrence.due_on,
            Occurrence.status,
            Occurrence.role,
            Occurrence.live_since,
            Occurrence.live_round,
            Duty.code,
            Duty.kind,
            Body.authority,
        )
        .join(Duty, Occurrence.duty_id == Duty.id)
        .join(Body, Occurrence.body_id == Body.id)
        .where(*owed_of_plan(plan.id), Occurrence.due_on <= window_end)
    )
    if body_code:
        query = query.where(Body.code == body_code)
    ladders: dict[tuple[object, ...], list[Step]] = {}
    candidates: dict[int, tuple[int, Step]] = {}  # occurrence id -> (round, step)
    for occ_id, due_on, status, role, live_since, live_round, duty_code, duty_kind, authority in session.execute(query):
        reminders, ladder = effective_ladder(
            policy, duty_code=duty_code, duty_kind=duty_kind, role=role, authority=authority
        )
        live_on = live_day(live_since, today)
        shape = (due_on, live_on, tuple(reminders), tuple((r.after, tuple(r.to)) for r in ladder))
        if shape not in ladders:
            ladders[shape] = ladder_steps(
                due_on=due_on, reminders=reminders, ladder=ladder, calendar=calendar, live_on=live_on
            )
        step = step_due(steps=ladders[shape], status=Status(status), today=today, due_on=due_on)
        if step is not None:
            candidates[occ_id] = (live_round, step)
    queued = queued_steps(session, list(candidates))
    wanted = [i for i, (round_, step) in candidates.items() if (round_, step.name) not in queued.get(i, set())]
    contacts = contacts_of(session, plan)
    due: list[DueStep] = []
    for occurrence in _loaded(session, wanted):
        step = candidates[occurrence.id][1]
        due.append(DueStep(occurrence, step, _recipients(occurrence, step.roles, contacts, plan)))
    return due


def live_day(live_since: dt.datetime | None, today: dt.date) -> dt.date | None:
    """The day the occurrence became owed, when that is known by `today`: a sweep replaying an earlier day
    reads the ladder from the deadline, as it stood before the late start."""
    if live_since is None:
        return None
    day = local_date(live_since)
    return day if day <= today else None


def queued_steps(session: Session, occurrence_ids: list[int]) -> dict[int, set[tuple[int, str]]]:
    """For each occurrence, the (round, step) pairs already in the outbox."""
    found: dict[int, set[tuple[int, str]]] = {}
    for start in range(0, len(occurrence_ids), 900):
        rows = session.execute(
            select(OutboxMessage.occurrence_id, OutboxMessage.round, OutboxMessage.step)
            .where(OutboxMessage.occurrence_id.in_(occurrence_ids[start : start + 900]))
            .distinct()
        )
        for occ_id, round_, step in rows:
            if occ_id is not None:
                found.setdefault(occ_id, set()).add((round_, step))
    return found


def _loaded(session: Session, ids: list[int]) -> list[Occurrence]:
    """The occurrences with what their messages name, in deadline order."""
    loaded: list[Occurrence] = []
    for start in range(0, len(ids), 900):
        loaded += session.scalars(
            select(Occurrence)
            .where(Occurrence.id.in_(ids[start : start + 900]))
            .options(
                joinedload(Occurrence.duty),
                joinedload(Occurrence.body),
                joinedload(Occurrence.unit),
                joinedload(Occurrence.parent).joinedload(Occurrence.body),  # a support input's lead
            )
        ).unique()
    return sorted(loaded, key=lambda o: (o.due_on, o.id))


ContactIndex = dict[tuple[str, int | str | None, str], list[Contact]]


def contacts_of(session: Session, plan: Plan) -> ContactIndex:
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
    return own_people(contacts, body_id=occurrence.body_id, unit_id=occurrence.unit_id, role=role)


def own_people(contacts: ContactIndex, *, body_id: int, unit_id: int | None, role: str) -> list[Contact]:
    """A commune's own people in `role` when it has them; the owing body's otherwise."""
    own = contacts.get(("unit", unit_id, role), []) if unit_id else []
    return own or contacts.get(("body", body_id, role), [])
