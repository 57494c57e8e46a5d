"""Overdue digests: while an occurrence stays overdue, it is named again at least every few working days.

The ladder's rungs are sent once each; after the last one an overdue duty would go quiet. A digest per
recipient lists every overdue item of theirs (days late, rung reached, link) whenever one of them has not
been named in any message for `policy.digest.every_workdays`; the office's digest counts every body's
overdue items, names the oldest and carries the whole list as CSV. Each digest is keyed by its day, so
sweeps running at once or replaying the same day queue it once.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.outbox import OutboxMessage
from models.plan import Contact, Plan
from models.planfile import DigestPolicy, RecipientRole
from notifications.outbox import DIGEST_KEY, FAILED, enqueue
from notifications.render import DIGEST_PARTS, render_message
from reports.overdue_csv import overdue_csv
from tasks.calendar.clock import local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.overdue import OverdueFilter, all_overdue
from tasks.reminders.due_steps import ContactIndex, contacts_of, own_people
from tasks.reminders.overdue_items import OFFICE_DIGEST, OverdueItem, mention, overdue_items

BODY_DIGEST = "digest-body"


@dataclass(frozen=True)
class DigestSetup:
    """What queueing a digest needs beyond the plan: the calendar, links, locale, where the CSV goes."""

    calendar: WorkCalendar
    dashboard_url: str
    locale: str
    not_before: dt.datetime  # the next office-hours moment
    attachments_dir: Path | None  # where the office digest's CSV goes (a folder per plan); None: no CSV


def queue_digests(
    session: Session,
    *,
    plan: Plan,
    policy: DigestPolicy,
    now: dt.datetime,
    setup: DigestSetup,
    body_code: str | None = None,
) -> int:
    """Queue today's body digests (and, in a sweep of every body, the office's) that are due; returns how many."""
    today = local_date(now)
    items = overdue_items(session, plan=plan, now=now, calendar=setup.calendar, body_code=body_code)
    if not items:
        return 0
    contacts = contacts_of(session, plan)
    due_by = setup.calendar.add_workdays(today, -policy.every_workdays)
    queued = 0
    for contact, mine in _by_recipient(items, policy.body_to, contacts, plan).items():
        if min(i.last_named for i in mine) <= due_by:
            queued += _queue(
                session,
                plan=plan,
                kind=BODY_DIGEST,
                contact=contact,
                items=mine,
                shown=mine,
                now=now,
                setup=setup,
                policy=policy,
                attachment=None,
            )
    if body_code is None:
        office = _office_recipients(contacts, policy.office_to, plan)
        last = _last_digest(session, [c.id for c in office], now=now)
        oldest = sorted(items, key=lambda i: (-i.days_late, i.occurrence_id))[: policy.oldest]
        started = min(i.late_since for i in items)
        if office and (last or started) <= due_by:
            attachment = _write_csv(session, plan=plan, now=now, setup=setup)
            for contact in office:
                queued += _queue(
                    session,
                    plan=plan,
                    kind=OFFICE_DIGEST,
                    contact=contact,
                    items=items,
                    shown=oldest,
                    now=now,
                    setup=setup,
                    policy=policy,
                    attachment=attachment,
                )
    return queued


def _by_recipient(
    items: list[OverdueItem], roles: list[RecipientRole], contacts: ContactIndex, plan: Plan
) -> dict[Contact, list[OverdueItem]]:
    found: dict[int, tuple[Contact, list[OverdueItem]]] = {}
    for item in items:
        for role in roles:
            if role in (RecipientRole.FOCAL_POINT, RecipientRole.HEAD):
                people = own_people(contacts, body_id=item.body_id, unit_id=item.unit_id, role=role.value)
            else:
                people = _office_recipients(contacts, [role], plan)
            for contact in people:
                found.setdefault(contact.id, (contact, []))[1].append(item)
    return {contact: sorted(mine, key=lambda i: (-i.days_late, i.occurrence_id)) for contact, mine in found.values()}


def _office_recipients(contacts: ContactIndex, roles: list[RecipientRole], plan: Plan) -> list[Contact]:
    chosen: dict[int, Contact] = {}
    for role in roles:
        if role is RecipientRole.OFFICE:
            chosen.update({c.id: c for c in contacts.get(("body", None, "office"), [])})
        elif role is RecipientRole.SIGNER:
            chosen.update({c.id: c for c in contacts.get(("code", plan.signer_contact, ""), [])})
    return list(chosen.values())


def _last_digest(session: Session, contact_ids: list[int], *, now: dt.datetime) -> dt.date | None:
    at = session.scalar(
        select(func.max(OutboxMessage.created_at)).where(
            OutboxMessage.step == OFFICE_DIGEST,
            OutboxMessage.contact_id.in_(contact_ids),
            OutboxMessage.created_at <= now,
            OutboxMessage.status != FAILED,
        )
    )
    return local_date(at) if at is not None else None


def _write_csv(session: Session, *, plan: Plan, now: dt.datetime, setup: DigestSetup) -> Path | None:
    """The plan's whole overdue list as the dashboard exports it, written whole or not at all."""
    if setup.attachments_dir is None:
        return None
    today = local_date(now)
    rows = all_overdue(  # "due soon" plays no part in an overdue list: any bound will do
        session, OverdueFilter(plan_code=plan.code), as_of=today, now=now, calendar=setup.calendar, due_soon_workdays=5
    )
    folder = setup.attachments_dir / plan.code
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"qua-han-{today.isoformat()}.csv"
    # A name of its own for the half-written file: two sweeps of all bodies at once each write theirs whole.
    descriptor, partial = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
        file.writelines(overdue_csv(rows))
    os.replace(partial, path)
    return path


def _queue(
    session: Session,
    *,
    plan: Plan,
    kind: str,
    contact: Contact,
    items: list[OverdueItem],
    shown: list[OverdueItem],
    now: dt.datetime,
    setup: DigestSetup,
    policy: DigestPolicy,
    attachment: Path | None,
) -> int:
    """Render and queue one digest to `contact`, naming `shown`; nothing when today's is already queued."""
    today = local_date(now)
    bodies: dict[str, list[OverdueItem]] = {}
    for item in items:
        bodies.setdefault(item.body_name, []).append(item)
    base = setup.dashboard_url.rstrip("/")
    context = {
        "kind": kind.removeprefix("digest-"),
        "recipient": contact.name,
        "owner": shown[0].owner if len({i.owner for i in shown}) == 1 else shown[0].body_name,
        "plan": {"number": plan.number, "title": plan.title},
        "today": f"{today:%d/%m/%Y}",
        "every": policy.every_workdays,
        "total": len(items),
        "bodies": [
            {"name": name, "count": len(mine), "oldest": max(i.days_late for i in mine)}
            for name, mine in sorted(bodies.items(), key=lambda kv: -len(kv[1]))
        ],
        "items": [item.context(setup.dashboard_url) for item in shown],
        "attached": attachment is not None,
        "link": f"{base}/overdue" if kind == OFFICE_DIGEST else f"{base}/my",
    }
    rendered = render_message(context, locale=setup.locale, parts=DIGEST_PARTS)
    row = {
        "plan_id": plan.id,
        "occurrence_id": None,
        "body_id": shown[0].body_id if kind == BODY_DIGEST else None,
        "contact_id": contact.id,
        "step": kind,
        "digest_key": f"{kind}:{today.isoformat()}",
        "channel_ref": contact.channel_ref,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "chat_text": rendered.chat,
        "attachment": str(attachment) if attachment is not None else None,
        "status": "pending",
        "not_before": setup.not_before,
        "attempts": 0,
        "created_at": now,
    }
    created = enqueue(session, [row], key=DIGEST_KEY)
    if created:
        mention(session, [(created[0], item.occurrence_id) for item in shown])
    return len(created)
