"""One sweep: queue the reminder and escalation steps due now and the digests owed, then deliver what may go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.outbox import OutboxMessage, SweepRun
from models.plan import Body, Plan
from notifications.channels import ChannelBook
from notifications.outbox import enqueue
from notifications.render import render_message
from tasks.calendar.clock import local_date
from tasks.duties.occurrences import generate_occurrences
from tasks.reminders.config import SessionMaker, SweepConfig, SweepReport, office_window
from tasks.reminders.delivery import deliver
from tasks.reminders.digests import DigestSetup, queue_digests
from tasks.reminders.due_steps import DueStep, find_due_steps
from tasks.reminders.overdue_items import mention
from tasks.reminders.policy import Step, as_policy


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
                "days": _days(step, occurrence.due_on, now, config),
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
                    "round": occurrence.live_round,
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
    created = enqueue(session, rows)
    for start in range(0, len(created), 900):  # each names its own occurrence: "who was told" and digests read it
        pairs = session.execute(
            select(OutboxMessage.id, OutboxMessage.occurrence_id).where(
                OutboxMessage.id.in_(created[start : start + 900])
            )
        )
        mention(session, [(outbox_id, occ_id) for outbox_id, occ_id in pairs if occ_id is not None])
    return len(created)


def _rung(step: Step) -> int:
    return int(step.name.split("-")[1]) if step.kind == "escalate" else 0


def _days(step: Step, due_on: dt.date, now: dt.datetime, config: SweepConfig) -> int:
    """Working days before the deadline for a reminder (its nominal count); after it, the real days late,
    which differ from the rung's own count when the duty became owed late or a sweep was missed."""
    if step.kind == "remind":
        return -step.days_from_due
    return -config.calendar.workdays_between(due_on, local_date(now))


def sweep(
    make_session: SessionMaker,
    *,
    now: dt.datetime,
    book: ChannelBook,
    config: SweepConfig,
    worker: str,
    body_code: str | None = None,
) -> SweepReport:
    """Generate occurrences for the horizon, queue the steps and digests due now, then deliver."""
    report = SweepReport(now, body_code)
    started = config.clock()
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
            due = find_due_steps(session, plan=plan, now=now, calendar=config.calendar, body_code=body_code)
            report.queued += queue_due_steps(session, plan=plan, due=due, now=now, config=config)
            policy = as_policy(plan.policy or {})
            setup = DigestSetup(
                calendar=config.calendar,
                dashboard_url=config.dashboard_url,
                locale=config.locale,
                not_before=office_window(now, config.calendar, policy.office_hours),
                attachments_dir=config.attachments_dir,
            )
            report.digests += queue_digests(
                session, plan=plan, policy=policy.digest, now=now, setup=setup, body_code=body_code
            )
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
    with make_session() as session, session.begin():  # the overview says whether this morning's sweeps ran
        session.add(
            SweepRun(
                body_code=body_code,
                as_of=now,
                started_at=started,
                finished_at=config.clock(),
                worker=worker[:128],
                queued=report.queued + report.digests,
                sent=report.sent,
                failed=report.failed,
            )
        )
    return report
