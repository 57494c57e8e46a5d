"""What the dashboard shows, as plain functions the pages and the API share: overview, body, occurrence, deliveries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models.access import Acknowledgement, Evidence, Person
from models.duty import Occurrence, StatusEvent
from models.outbox import DeliveryAttempt, OutboxMessage, held_past
from models.plan import Body, Contact, Plan, Unit
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.as_of import counts_then
from tasks.duties.evidence import evidence_of
from tasks.duties.listing import DutyRow, list_duties
from tasks.duties.notices import Notice, notices_for
from tasks.duties.plan_counts import PlanCounts
from tasks.duties.statuses import Category

SHOWN_CATEGORIES = [c.value for c in Category]


def current_plan(session: Session, *, code: str | None = None) -> Plan | None:
    """The plan asked for, or the one loaded last."""
    query = select(Plan)
    query = query.where(Plan.code == code) if code else query.order_by(Plan.loaded_at.desc(), Plan.id.desc())
    return session.scalars(query.limit(1)).first()


def body_by_ref(session: Session, ref: str, *, max_id: int, plan_id: int | None = None) -> Body | None:
    """A body named in a path by its id, or by its code (the code filters and the CLI use), in the plan given or
    else in the plan loaded last that has it."""
    if ref.isdigit() and 1 <= int(ref) <= max_id:
        found = session.get(Body, int(ref))
        if found is not None and plan_id in (None, found.plan_id):
            return found
    query = select(Body).join(Plan).where(Body.code == ref)
    if plan_id is not None:
        query = query.where(Plan.id == plan_id)
    return session.scalars(query.order_by(Plan.loaded_at.desc(), Plan.id.desc()).limit(1)).first()


def filter_choices(session: Session, *, plan_code: str | None = None) -> tuple[list[Body], list[Unit]]:
    """The bodies and units the overdue list's filters offer (they filter by code): the plan's, in its order; with
    no plan named, every plan's, one per code, the plan loaded last first."""
    plans = [p for p in [current_plan(session, code=plan_code)] if p] if plan_code else all_plans(session)
    order = {p.id: i for i, p in enumerate(plans)}
    bodies: dict[str, Body] = {}
    for body in sorted(
        session.scalars(select(Body).where(Body.plan_id.in_(order))), key=lambda b: (order[b.plan_id], b.order)
    ):
        bodies.setdefault(body.code, body)
    units: dict[str, Unit] = {}
    found = session.execute(select(Unit, Body.plan_id).join(Body).where(Body.plan_id.in_(order)))
    for unit, _ in sorted(found.tuples(), key=lambda pair: (order[pair[1]], pair[0].order)):
        units.setdefault(unit.code, unit)
    return list(bodies.values()), list(units.values())


@dataclass
class BodyLine:
    body: Body
    counts: dict[str, int] = field(default_factory=lambda: {c: 0 for c in SHOWN_CATEGORIES})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def overview(
    session: Session, *, plan: Plan, as_of: dt.date, calendar: WorkCalendar, due_soon_workdays: int
) -> list[BodyLine]:
    """Every body of the plan, in its order, with its occurrences begun by `as_of` counted by category then."""
    lines = {
        b.id: BodyLine(b) for b in session.scalars(select(Body).where(Body.plan_id == plan.id).order_by(Body.order))
    }
    counts = counts_then(
        session,
        by=Occurrence.body_id,
        plan_ids=[plan.id],
        as_of=as_of,
        calendar=calendar,
        due_soon_workdays=due_soon_workdays,
    )
    for (body_id, category), count in counts.items():
        if body_id in lines:
            lines[body_id].counts[category] += count
    return list(lines.values())


@dataclass
class PlanLine:
    plan: Plan
    counts: dict[str, int] = field(default_factory=lambda: {c: 0 for c in SHOWN_CATEGORIES})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def all_plans(session: Session) -> list[Plan]:
    """Every plan, the one loaded last first (the plan picker's order)."""
    return list(session.scalars(select(Plan).order_by(Plan.loaded_at.desc(), Plan.id.desc())))


def plans_overview(
    session: Session,
    *,
    as_of: dt.date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    kept: PlanCounts | None = None,
) -> list[PlanLine]:
    """Every plan with its occurrences begun by `as_of` counted by category then: the province at a glance.
    `kept`: the counts made before, recounted only where something changed since."""
    lines = {p.id: PlanLine(p) for p in all_plans(session)}
    known = kept or PlanCounts(days=1)
    counts = known.counts(session, as_of=as_of, calendar=calendar, due_soon_workdays=due_soon_workdays)
    for (plan_id, category), count in counts.items():
        if plan_id in lines:
            lines[plan_id].counts[category] += count
    return list(lines.values())


def body_duties(
    session: Session,
    *,
    body: Body,
    as_of: dt.date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    unit_code: str | None = None,
) -> list[DutyRow]:
    """The body's occurrences live on `as_of` (begun and not yet past due, or overdue), units included (or only
    one unit's: a commune's own desk, or the commune filter)."""
    plan_code = session.scalars(select(Plan.code).where(Plan.id == body.plan_id)).one()
    return list_duties(
        session,
        as_of=as_of,
        calendar=calendar,
        due_soon_workdays=due_soon_workdays,
        plan_code=plan_code,
        body_code=body.code,
        unit_code=unit_code,
        with_notices=True,
    )


def upcoming(rows: list[DutyRow]) -> tuple[list[DutyRow], list[DutyRow]]:
    """(overdue, the rest still owed), each soonest first."""
    owed = [r for r in rows if r.category in ("overdue", "due_soon", "in_progress", "not_yet_due")]
    overdue = sorted((r for r in owed if r.category == "overdue"), key=lambda r: r.due_on)
    rest = sorted((r for r in owed if r.category != "overdue"), key=lambda r: r.due_on)
    return overdue, rest


@dataclass(frozen=True)
class NoticeLine:
    notice: Notice
    acknowledged_by: list[tuple[str, dt.datetime]]


@dataclass(frozen=True)
class OccurrenceView:
    occurrence: Occurrence
    events: list[StatusEvent]
    notices: list[NoticeLine]
    evidence: list[tuple[Evidence, str]]  # the file, and who sent it


def occurrence_view(session: Session, *, occurrence_id: int) -> OccurrenceView | None:
    occurrence = session.scalars(
        select(Occurrence)
        .where(Occurrence.id == occurrence_id)
        .options(joinedload(Occurrence.duty), joinedload(Occurrence.body), joinedload(Occurrence.unit))
    ).first()
    if occurrence is None:
        return None
    notices = notices_for(session, occurrence_id=occurrence_id)
    acks: dict[int, list[tuple[str, dt.datetime]]] = {}
    for outbox_id, name, at in session.execute(
        select(Acknowledgement.outbox_id, Person.name, Acknowledgement.at)
        .join(Person, Person.id == Acknowledgement.person_id)
        .where(Acknowledgement.outbox_id.in_([n.outbox_id for n in notices]))
        .order_by(Acknowledgement.at)
    ):
        acks.setdefault(outbox_id, []).append((name, at))
    lines = [NoticeLine(n, acks.get(n.outbox_id, [])) for n in notices]
    evidence = evidence_of(session, occurrence_id=occurrence_id)
    senders = {e.uploaded_by for e in evidence if e.uploaded_by is not None}
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(senders))).all())
    files = [(e, names.get(e.uploaded_by, "") if e.uploaded_by else "") for e in evidence]
    return OccurrenceView(occurrence, list(occurrence.events), lines, files)


@dataclass(frozen=True)
class FailedDelivery:
    message: OutboxMessage
    recipient: str
    attempts: list[DeliveryAttempt]


def failed_deliveries(
    session: Session, *, wall: dt.datetime, lease: dt.timedelta, limit: int = 200
) -> list[FailedDelivery]:
    """Messages somebody should look at, newest first, with each address's last result: those that gave up
    after their retries, those some addresses refused for good, and those stuck with a sweep that held them
    past its lease (on the wall clock, `wall`)."""
    rows = session.execute(
        select(OutboxMessage, Contact.name)
        .join(Contact, Contact.id == OutboxMessage.contact_id)
        .where(OutboxMessage.status.in_(["failed", "partial"]) | held_past(wall - lease))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    found = []
    for message, recipient in rows:
        attempts = session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == message.id).order_by(DeliveryAttempt.id)
        ).all()
        found.append(FailedDelivery(message, recipient, list(attempts)))
    return found


def row_as_json(row: DutyRow) -> dict[str, Any]:
    return row.as_json()
