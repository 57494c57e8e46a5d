"""The province roll-up of a period: every plan's duties due within it, on time, late or still overdue at its
cut-off, per plan and per body (a body code counted across the plans that name it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.plan import Plan
from models.report import Report
from reports.rollup_render import render_rollup
from tasks.calendar.clock import local_date
from tasks.calendar.periods import Period
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.listing import list_duties
from tasks.duties.trends import Timeliness, timeliness

COUNTS = ("due", "on_time", "late", "overdue")


def _line(record: Timeliness) -> dict[str, Any]:
    return {"due": record.due, "on_time": record.on_time, "late": record.late, "overdue": record.overdue,
            "rate": record.rate}  # fmt: skip


def _sum(lines: list[dict[str, Any]]) -> dict[str, Any]:
    total = {k: sum(line[k] for line in lines) for k in COUNTS}
    total["rate"] = round(total["on_time"] / total["due"] * 100, 1) if total["due"] else None
    return total


def overlapping_plans(session: Session, period: Period) -> list[Plan]:
    """The plans that run during some of the period, by code: a plan before or after it has nothing to report."""
    query = select(Plan).where(Plan.effective_from <= period.end, Plan.effective_to >= period.start)
    return list(session.scalars(query.order_by(Plan.code)))


def compute_rollup(
    session: Session,
    *,
    period: Period,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    failed: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The roll-up's figures, JSON as a report's are. Counted as each plan's report counts them (duties due within
    the period, as they stood at its cut-off), so the roll-up agrees with the plans' reports line by line.
    `failed`: plans whose own report could not be compiled in this run, with the reason, printed apart."""
    plans = overlapping_plans(session, period)
    codes = {p.code for p in plans}
    rows = [
        r
        for r in list_duties(
            session, as_of=period.end, calendar=calendar, due_soon_workdays=due_soon_workdays, include_all=True
        )
        if r.plan in codes and period.start <= r.due_on <= period.end
    ]
    versions = dict(
        session.execute(
            select(Plan.code, func.max(Report.version))
            .join(Report, Report.plan_id == Plan.id)
            .where(Report.period == period.token, Report.draft.is_(False))
            .group_by(Plan.code)
        ).all()
    )
    plan_lines: list[dict[str, Any]] = []
    bodies: dict[str, dict[str, Any]] = {}
    for plan in plans:
        ranked = timeliness([r for r in rows if r.plan == plan.code], today=period.end).ranking()
        records = sorted(ranked, key=lambda r: r.body_order)
        plan_lines.append(
            {
                "code": plan.code,
                "number": plan.number,
                "title": plan.title,
                "report_version": versions.get(plan.code),
                **_sum([_line(r) for r in records]),
            }
        )
        for record in records:
            body = bodies.setdefault(
                record.body_code, {"code": record.body_code, "name": record.body_name, "plans": [], "lines": []}
            )
            body["plans"].append(plan.code)
            body["lines"].append(_line(record))
    body_lines = [
        {"code": b["code"], "name": b["name"], "plans": len(b["plans"]), **_sum(b["lines"])}
        for b in sorted(bodies.values(), key=lambda b: b["code"])
    ]
    return {
        "period": {
            "token": period.token,
            "kind": period.kind.value,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "year": period.year,
        },
        "as_of": period.end.isoformat(),
        "compiled_on": local_date(now).isoformat(),
        "plans": plan_lines,
        "bodies": body_lines,
        "totals": _sum(plan_lines),
        "failed": [{"plan": code, "reason": reason} for code, reason in sorted((failed or {}).items())],
    }


def compile_rollup(
    session: Session,
    *,
    period: Period,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    formats: list[str],
    out_dir: Path,
    failed: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The roll-up's figures and its files (format -> path) in `out_dir`."""
    rollup = compute_rollup(
        session, period=period, now=now, calendar=calendar, due_soon_workdays=due_soon_workdays, failed=failed
    )
    return rollup, render_rollup(rollup, formats=formats, out_dir=out_dir)
