"""One sweep: queue the reminder and escalation steps due now into the outbox, then deliver what may go."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.outbox import OutboxMessage
from models.plan import Body, Contact, Plan
from models.planfile import OfficeHours
from notifications.channels import ChannelBook
from notifications.outbox import claim, enqueue, record
from notifications.render import render_message
from notifications.sender import Prepared, send_all
from tasks.calendar.clock import VN_TZ, local_date
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.occurrences import generate_occurrences
from tasks.reminders.due_steps import DueStep, find_due_steps
from tasks.reminders.policy import Step, as_policy

SessionMaker = Callable[[], Any]  # a sessionmaker whose sessions are context managers


@dataclass(frozen=True)
class SweepConfig:
    calendar: WorkCalendar
    dashboard_url: str
    locale: str = "vi"
    concurrency: int = 20
    max_attempts: int = 5
    backoff: dt.timedelta = dt.timedelta(minutes=5)
    lease: dt.timedelta = dt.timedelta(minutes=5)
    lookback_days: int = 45
    horizon_days: int = 31
    support_lead_workdays: int = 3


@dataclass
class SweepReport:
    now: dt.datetime
    body: str | None
    created_occurrences: int = 0
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    lines: list[dict[str, Any]] = field(default_factory=list)


def office_window(now: dt.datetime, calendar: WorkCalendar, hours: OfficeHours) -> dt.datetime:
    """`now` if it falls in office hours on a working day, else the start of the next such window."""
    local = now.astimezone(VN_TZ)
    if calendar.is_working_day(local.date()) and hours.start <= local.time() < hours.end:
        return now
    day = local.date()
    if not calendar.is_working_day(day) or local.time() >= hours.end:
        day = calendar.add_workdays(day, 1)  # the next working day, from a day off or after hours
    return dt.datetime.combine(day, hours.start, tzinfo=VN_TZ).astimezone(dt.UTC)


def queue_due_steps(session: Session, *, plan: Plan, due: list[DueStep], now: dt.datetime, config: SweepConfig) -> int:
    """Render and queue one outbox row per (occurrence, step, recipient) not queued before."""
    policy = as_policy(plan.policy or {})
    not_before = office_window(now, config.calendar, policy.office_hours)
    rows: list[dict[str, Any]] = []
    for item in due:
        occurrence, step = item.occurrence, item.step
        lead = occurrence.parent.body if occurrence.parent is not None else None
        lead_body = (lead.short_name or lead.name) if lead is not None else None
        owner = occurrence.unit.name if occurrence.unit else (occurrence.body.short_name or occurrence.body.name)
        for recipient in item.recipients:
            others = [c.name for c in item.recipients if c.id != recipient.id]
            context = {
                "recipient": recipient.name,
                "owner": owner,
                "lead_body": lead_body or "",
                "role": occurrence.role,
                "plan": {"number": plan.number, "title": plan.title},
                "duty": {"code": occurrence.duty.code, "text": occurrence.duty.text},
                "period": occurrence.period,
                "period_start": f"{occurrence.period_start:%d/%m/%Y}",
                "period_end": f"{occurrence.period_end:%d/%m/%Y}",
                "due_on": f"{occurrence.due_on:%d/%m/%Y}",
                "days": -step.days_from_due,
                "step": {"kind": step.kind, "name": step.name, "number": _rung(step)},
                "others": others,
                "link": f"{config.dashboard_url.rstrip('/')}/occurrences/{occurrence.id}",
            }
            rendered = render_message(context, locale=config.locale)
            rows.append(
                {
                    "plan_id": plan.id,
                    "occurrence_id": occurrence.id,
                    "body_id": occurrence.body_id,
                    "contact_id": recipient.id,
                    "step": step.name,
                    "channel_ref": recipient.channel_ref,
                    "subject": rendered.subject,
                    "body_text": rendered.text,
                    "body_html": rendered.html,
                    "chat_text": rendered.chat,
                    "status": "pending",
                    "not_before": not_before,
                    "attempts": 0,
                    "created_at": now,
                }
            )
    return len(enqueue(session, rows))


def _rung(step: Step) -> int:
    return int(step.name.split("-")[1]) if step.kind == "escalate" else 0


def deliver(
    make_session: SessionMaker,
    *,
    now: dt.datetime,
    worker: str,
    book: ChannelBook,
    config: SweepConfig,
    body_id: int | None = None,
    report: SweepReport | None = None,
) -> SweepReport:
    """Claim, send and record until nothing more may go now. A batch is as large as the concurrency bound
    and its results are committed together as soon as it is done, so a sweep that dies loses nothing and
    sends again at most the messages that were in flight."""
    report = report or SweepReport(now, None)
    secrets = book.all_urls()
    while True:
        with make_session() as session, session.begin():
            claimed = claim(
                session, now=now, worker=worker, limit=config.concurrency, lease=config.lease, body_id=body_id
            )
            batch = {m.id: (m, _contact_code(session, m)) for m in claimed}
        if not batch:
            return report
        prepared = [
            Prepared(m.id, book.for_contact(code), m.subject, m.body_text, m.body_html, m.chat_text, m.attachment)
            for m, code in batch.values()
        ]
        outcomes = asyncio.run(send_all(prepared, concurrency=config.concurrency, secrets=secrets))
        with make_session() as session, session.begin():
            states = {
                outcome.message_id: record(
                    session,
                    message_id=outcome.message_id,
                    worker=worker,
                    now=now,
                    attempts=outcome.attempts,
                    inbox=outcome.inbox,
                    max_attempts=config.max_attempts,
                    backoff=config.backoff,
                )
                for outcome in outcomes
            }
        for outcome in outcomes:
            message, code = batch[outcome.message_id]
            state = states[outcome.message_id]
            report.sent += state == "sent"
            report.retrying += state == "pending"
            report.failed += state == "failed"
            report.lines.append(
                {
                    "outbox_id": message.id,
                    "step": message.step,
                    "recipient": code,
                    "channels": [url for url, _, _ in outcome.attempts],
                    "status": state,
                    "subject": message.subject,
                }
            )


def _contact_code(session: Session, message: OutboxMessage) -> str:
    return session.scalar(select(Contact.code).where(Contact.id == message.contact_id)) or ""


def sweep(
    make_session: SessionMaker,
    *,
    now: dt.datetime,
    book: ChannelBook,
    config: SweepConfig,
    worker: str,
    body_code: str | None = None,
) -> SweepReport:
    """Generate occurrences for the horizon, queue the steps due now, then deliver."""
    report = SweepReport(now, body_code)
    body_ids: list[int] = []
    with make_session() as session, session.begin():
        for plan in session.scalars(select(Plan).order_by(Plan.code)):
            through = min(local_date(now) + dt.timedelta(days=config.horizon_days), plan.effective_to)
            report.created_occurrences += generate_occurrences(
                session,
                plan=plan,
                calendar=config.calendar,
                through=through,
                now=now,
                support_lead_workdays=config.support_lead_workdays,
            ).created
            due = find_due_steps(
                session,
                plan=plan,
                now=now,
                calendar=config.calendar,
                lookback_days=config.lookback_days,
                body_code=body_code,
            )
            report.queued += queue_due_steps(session, plan=plan, due=due, now=now, config=config)
            if body_code:
                body_ids += list(
                    session.scalars(select(Body.id).where(Body.plan_id == plan.id, Body.code == body_code))
                )
    targets: list[int | None] = list(body_ids) if body_code else [None]
    for body_id in targets:
        deliver(make_session, now=now, worker=worker, book=book, config=config, body_id=body_id, report=report)
    with make_session() as session:
        query = select(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.not_before > now)
        if body_code:
            query = query.where(OutboxMessage.body_id.in_(body_ids))
        report.held = len(session.scalars(query).all())
    return report
