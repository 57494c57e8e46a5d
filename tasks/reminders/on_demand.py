"""Messages a person sets off, queued in the outbox like any other: a submission tells the steering office (and,
for a support input, the lead body's focal point) that a result awaits its decision; the office's "remind now"
tells the owing body's focal point at once, never twice within an hour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.duty import Occurrence
from models.outbox import OutboxMessage
from models.plan import Contact, Plan
from notifications.outbox import enqueue
from notifications.render import NOTICE_PARTS, render_message
from tasks.calendar.clock import VN_TZ
from tasks.duties.statuses import TransitionError
from tasks.reminders.due_steps import contacts_of, own_people
from tasks.reminders.overdue_items import mention

SUBMITTED = "submitted"
REMIND_NOW = "remind-now"
REMIND_NOW_GAP = dt.timedelta(hours=1)
FOCAL_POINT, OFFICE = "focal_point", "office"


@dataclass(frozen=True)
class NoticeSetup:
    dashboard_url: str
    locale: str


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _queue(
    session: Session,
    *,
    occurrence: Occurrence,
    recipients: list[Contact],
    kind: str,
    step: str,
    actor: str,
    note: str | None,
    now: dt.datetime,
    setup: NoticeSetup,
) -> list[int]:
    plan = session.get(Plan, occurrence.plan_id)
    assert plan is not None
    lead = occurrence.parent.body if occurrence.parent is not None else None
    owner = occurrence.unit.name if occurrence.unit else (occurrence.body.short_name or occurrence.body.name)
    rows: list[dict[str, Any]] = []
    for recipient in {c.id: c for c in recipients}.values():
        context = {
            "kind": kind,
            "recipient": recipient.name,
            "owner": owner,
            "lead_body": (lead.short_name or lead.name) if lead is not None else "",
            "role": occurrence.role,
            "actor": actor,
            "at": now.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y"),
            "note": note or "",
            "plan": {"number": plan.number, "title": plan.title},
            "duty": {"code": occurrence.duty.code, "text": occurrence.duty.text},
            "duty_short": _short(occurrence.duty.text),
            "period": occurrence.period,
            "due_on": f"{occurrence.due_on:%d/%m/%Y}",
            "link": f"{setup.dashboard_url.rstrip('/')}/occurrences/{occurrence.id}",
        }
        rendered = render_message(context, locale=setup.locale, parts=NOTICE_PARTS)
        rows.append(
            {
                "plan_id": plan.id,
                "occurrence_id": occurrence.id,
                "body_id": occurrence.body_id,
                "contact_id": recipient.id,
                "step": step,
                "round": occurrence.live_round,
                "channel_ref": recipient.channel_ref,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "chat_text": rendered.chat,
                "status": "pending",
                "not_before": now,  # a person asked for it: it goes with the next delivery, not at office hours
                "attempts": 0,
                "created_at": now,
            }
        )
    created = enqueue(session, rows)
    mention(session, [(outbox_id, occurrence.id) for outbox_id in created])
    return created


def queue_submission_notice(
    session: Session,
    *,
    occurrence: Occurrence,
    event_id: int,
    actor: str,
    note: str | None,
    now: dt.datetime,
    setup: NoticeSetup,
) -> list[int]:
    """The office (and a support input's lead focal point) learns that a result awaits its decision."""
    plan = session.get(Plan, occurrence.plan_id)
    assert plan is not None
    contacts = contacts_of(session, plan)
    recipients = list(contacts.get(("body", None, OFFICE), []))
    if occurrence.parent is not None:
        parent = occurrence.parent
        recipients += own_people(contacts, body_id=parent.body_id, unit_id=parent.unit_id, role=FOCAL_POINT)
    return _queue(
        session,
        occurrence=occurrence,
        recipients=recipients,
        kind=SUBMITTED,
        step=f"{SUBMITTED}-{event_id}",
        actor=actor,
        note=note,
        now=now,
        setup=setup,
    )


def remind_now(
    session: Session, *, occurrence: Occurrence, actor: str, note: str | None, now: dt.datetime, setup: NoticeSetup
) -> list[int]:
    """One reminder to the owing body's focal point (a commune's own, where it has one), at once; refused when
    one went less than an hour ago."""
    last = session.scalar(
        select(func.max(OutboxMessage.created_at)).where(
            OutboxMessage.occurrence_id == occurrence.id, OutboxMessage.step.like(f"{REMIND_NOW}-%")
        )
    )
    if last is not None and now - last < REMIND_NOW_GAP:
        wait = REMIND_NOW_GAP - (now - last)
        raise TransitionError("remind_now.too_soon", minutes=str(max(1, int(wait.total_seconds() // 60) + 1)))
    plan = session.get(Plan, occurrence.plan_id)
    assert plan is not None
    contacts = contacts_of(session, plan)
    recipients = own_people(contacts, body_id=occurrence.body_id, unit_id=occurrence.unit_id, role=FOCAL_POINT)
    if not recipients:
        raise TransitionError("remind_now.nobody")
    return _queue(
        session,
        occurrence=occurrence,
        recipients=recipients,
        kind="remind_now",
        step=f"{REMIND_NOW}-{now.astimezone(dt.UTC):%Y%m%d%H%M%S}",
        actor=actor,
        note=note,
        now=now,
        setup=setup,
    )
