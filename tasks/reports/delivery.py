"""Announces a compiled report to the steering office and the plan's signer, through the outbox."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.plan import Contact, Plan
from models.report import Report
from notifications.outbox import REPORT_KEY, enqueue
from notifications.render import REPORT_PARTS, render_message
from reports.labels import day, period_label


def queue_report_messages(
    session: Session, *, report: Report, plan: Plan, now: dt.datetime, dashboard_url: str, locale: str
) -> int:
    """One message per recipient, once per report version; the DOCX goes with email."""
    recipients = session.scalars(
        select(Contact)
        .where(
            Contact.plan_id == plan.id,
            Contact.active,
            (Contact.role == "office") | (Contact.code == plan.signer_contact),
        )
        .order_by(Contact.id)
    ).all()
    attachment = report.files.get("docx")
    rows = []
    for contact in recipients:
        context = {
            "recipient": contact.name,
            "plan": {"number": plan.number, "title": plan.title},
            "period": period_label(report.figures["period"]),
            "version": report.version,
            "draft": report.draft,
            "as_of": day(report.figures["as_of"]),
            "totals": report.figures["duty_status"]["totals"],
            "attached": attachment is not None,
            "link": f"{dashboard_url.rstrip('/')}/reports/{report.id}",
        }
        rendered = render_message(context, locale=locale, parts=REPORT_PARTS)
        rows.append(
            {
                "plan_id": plan.id,
                "occurrence_id": None,
                "report_id": report.id,
                "body_id": None,
                "contact_id": contact.id,
                "step": "report",
                "channel_ref": contact.channel_ref,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "chat_text": rendered.chat,
                "attachment": attachment,
                "status": "pending",
                "not_before": now,
                "attempts": 0,
                "created_at": now,
            }
        )
    return len(enqueue(session, rows, key=REPORT_KEY))
