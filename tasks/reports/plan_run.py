"""One plan's report within a run of the periodic report: compiled once per run, however often the run is retried."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.outbox import OutboxMessage
from models.plan import Plan
from models.report import Report
from reports.render import render_report
from tasks.calendar.periods import Period
from tasks.calendar.workdays import WorkCalendar
from tasks.reports.compiling import Compiled, compile_report


def compiled_in_run(session: Session, *, plan: Plan, period: Period, now: dt.datetime, by: str) -> Report | None:
    """The version this run already made: the run stamps every report with the moment it read once, so a
    retried run finds it rather than making the next version (and messages for it)."""
    return session.scalars(
        select(Report)
        .where(
            Report.plan_id == plan.id,
            Report.period == period.token,
            Report.compiled_at == now,
            Report.compiled_by == by,
            Report.draft.is_(False),
        )
        .order_by(Report.version.desc())
    ).first()


def compile_once(
    session: Session,
    *,
    plan: Plan,
    period: Period,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    formats: list[str],
    out_dir: Path,
    by: str,
) -> Compiled:
    """This run's version of the plan's report: made now, or found from an earlier attempt of the same run (its
    files written again from its frozen figures if any went missing)."""
    found = compiled_in_run(session, plan=plan, period=period, now=now, by=by)
    if found is None:
        return compile_report(
            session,
            plan=plan,
            period=period,
            now=now,
            calendar=calendar,
            due_soon_workdays=due_soon_workdays,
            formats=formats,
            out_dir=out_dir,
            by=by,
        )
    if any(not Path(path).exists() for path in found.files.values()):
        found.files = render_report(found.figures, version=found.version, formats=formats, out_dir=out_dir)
    return Compiled(found, dict(found.files))


def outcome(session: Session, report: Report, *, plan_code: str) -> dict[str, Any]:
    """What a run says of one plan's report, JSON: version, hash, files, messages queued for it, totals."""
    queued = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.report_id == report.id))
    return {
        "plan": plan_code,
        "period": report.period,
        "version": report.version,
        "sha256": report.content_sha256,
        "files": dict(report.files),
        "queued": int(queued or 0),
        "totals": report.figures["duty_status"]["totals"],
        "figures_period": report.figures["period"],
    }


def outcome_of_run(session: Session, *, plan_code: str, period: Period, now: dt.datetime, by: str) -> dict[str, Any]:
    """The outcome of a plan's report made by a run elsewhere (a worker), read back from the database."""
    plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
    report = compiled_in_run(session, plan=plan, period=period, now=now, by=by)
    if report is None:
        raise LookupError(f"no report of {plan_code} for {period.token} compiled at {now.isoformat()}")
    return outcome(session, report, plan_code=plan_code)
