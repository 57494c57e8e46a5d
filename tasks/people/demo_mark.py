"""The mark `dutyflow demo` leaves in the audit log: this database holds a history simulated up to a day. The
dashboard and the CLI then take that day as today, so that everything they stamp and show agrees with it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import AuditEntry
from tasks.people.accounts import audit

MARK = "demo:simulated"


def demo_day(session: Session) -> dt.date | None:
    mark = session.scalars(select(AuditEntry).where(AuditEntry.action == MARK).order_by(AuditEntry.id.desc())).first()
    until = (mark.detail or {}).get("until") if mark is not None else None
    return dt.date.fromisoformat(until) if isinstance(until, str) else None


def mark_demo(session: Session, *, plan_code: str, until: dt.date, now: dt.datetime) -> None:
    audit(
        session, person=None, actor="demo", action=MARK, subject=plan_code, now=now, detail={"until": until.isoformat()}
    )


def extend_demo(session: Session, *, until: dt.date, now: dt.datetime) -> bool:
    """After a simulation on a demo database, its day moves on to the last day played (never back)."""
    day = demo_day(session)
    if day is None or until <= day:
        return False
    mark_demo(session, plan_code="", until=until, now=now)
    return True
