"""The figures of a period's report, computed as of its cut-off: the same figures every format renders."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.duty import Occurrence, StatusEvent
from models.plan import BaselineFigure, Body, Plan, Target, TargetAllocation, Unit
from tasks.calendar.clock import end_of_local_day, local_date
from tasks.calendar.periods import Period
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.listing import DutyRow, list_duties
from tasks.duties.statuses import Category
from tasks.duties.trends import timeliness
from tasks.reports.indicators import DISTRICT, latest_values

# The government's categories, in the order reports print them; the others are counted apart.
REPORT_CATEGORIES = ["completed_on_time", "completed_late", "in_progress", "overdue", "not_yet_due"]
APART = ["not_applicable", "suspended", "waived"]
_FOLD = {Category.DUE_SOON.value: Category.IN_PROGRESS.value}  # due soon is still in progress within the deadline


def compute_figures(
    session: Session,
    *,
    plan: Plan,
    period: Period,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    draft: bool,
) -> dict[str, Any]:
    as_of = period.end
    moment = end_of_local_day(as_of)
    # Every occurrence of the plan as it stood at the cut-off, with who had been told: read once, used twice.
    rows = list_duties(
        session,
        as_of=as_of,
        calendar=calendar,
        due_soon_workdays=due_soon_workdays,
        plan_code=plan.code,
        include_all=True,
        with_notices=True,
    )
    return {
        "plan": {
            "code": plan.code,
            "number": plan.number,
            "title": plan.title,
            "issuer": plan.issuer,
            "place": plan.place,
            "signer_name": plan.signer_name,
            "signer_title": plan.signer_title,
            "recipients": list(plan.recipients),
            "year": plan.year,
        },
        "period": {
            "token": period.token,
            "kind": period.kind.value,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "year": period.year,
        },
        "as_of": as_of.isoformat(),
        "compiled_on": local_date(now).isoformat(),
        "draft": draft,
        "baseline": [
            {"code": f.code, "name": f.name, "value": f.value, "unit": f.unit, "of": f.of}
            for f in session.scalars(
                select(BaselineFigure).where(BaselineFigure.plan_id == plan.id).order_by(BaselineFigure.order)
            )
        ],
        "indicators": indicator_progress(session, plan, period),
        "duty_status": _duty_status(rows),
        "overdue": _overdue(rows, as_of),
        "timeliness": _timeliness(rows, period),
        "submissions": _submissions(session, plan, period, moment),
    }


def _timeliness(rows: list[DutyRow], period: Period) -> list[dict[str, Any]]:
    """The bodies ranked by on-time rate over the duties due within the period, as of its cut-off."""
    within = [r for r in rows if period.start <= r.due_on <= period.end]
    return [r.as_json() for r in timeliness(within, today=period.end).ranking()]


def figures_sha256(figures: dict[str, Any]) -> str:
    canonical = json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _pct(value: float | None, target: float | None) -> float | None:
    if value is None or not target:
        return None
    return round(value / target * 100, 2)


def indicator_progress(session: Session, plan: Plan, period: Period) -> list[dict[str, Any]]:
    values = latest_values(session, plan=plan, period=period.token)
    units = {u.id: u for u in session.scalars(select(Unit).join(Body).where(Body.plan_id == plan.id))}
    allocated: dict[int, dict[int, float]] = {}  # every target's allocations, read in one query
    for target_id, unit_id, amount in session.execute(
        select(TargetAllocation.target_id, TargetAllocation.unit_id, TargetAllocation.value)
        .join(Target, Target.id == TargetAllocation.target_id)
        .where(Target.plan_id == plan.id)
    ):
        allocated.setdefault(target_id, {})[unit_id] = amount
    rows = []
    for target in session.scalars(select(Target).where(Target.plan_id == plan.id).order_by(Target.order)):
        allocations = allocated.get(target.id, {})
        per_unit = {
            v.unit_id: v for (target_id, _), v in values.items() if target_id == target.id and v.unit_id is not None
        }
        district = values.get((target.id, DISTRICT))
        if district is not None:
            value: float | None = district.value
        elif per_unit and not target.unit.startswith("%"):
            value = sum(v.value for v in per_unit.values())  # counts add up; rates do not
        else:
            value = None
        unit_rows = [
            {
                "code": units[unit_id].code,
                "name": units[unit_id].name,
                "allocated": allocations.get(unit_id),
                "value": per_unit[unit_id].value if unit_id in per_unit else None,
                "achieved_pct": _pct(
                    per_unit[unit_id].value if unit_id in per_unit else None, allocations.get(unit_id)
                ),
            }
            for unit_id in sorted(set(allocations) | set(per_unit), key=lambda i: units[i].order)
        ]
        rows.append(
            {
                "code": target.code,
                "name": target.name,
                "unit": target.unit,
                "direction": target.direction,
                "target": target.value,
                "value": value,
                "achieved_pct": _pct(value, target.value),
                "condition": target.condition,
                "units": unit_rows,
            }
        )
    return rows


def _duty_status(rows: list[DutyRow]) -> dict[str, Any]:
    bodies: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = bodies.setdefault(
            row.body_code,
            {
                "code": row.body_code,
                "name": row.body_short_name or row.body_name,
                "order": row.body_order,
                "counts": dict.fromkeys(REPORT_CATEGORIES + APART, 0),
            },
        )
        entry["counts"][_FOLD.get(row.category, row.category)] += 1
    ordered = sorted(bodies.values(), key=lambda b: b["order"])
    totals = {c: sum(b["counts"][c] for b in ordered) for c in REPORT_CATEGORIES + APART}
    return {"categories": REPORT_CATEGORIES, "apart": APART, "bodies": ordered, "totals": totals}


def _overdue(rows: list[DutyRow], as_of: dt.date) -> list[dict[str, Any]]:
    rows = [r for r in rows if r.category == Category.OVERDUE.value]
    result = []
    for row in sorted(rows, key=lambda r: (r.due_on, r.body_order, r.key)):
        last = row.told_at
        result.append(
            {
                "key": row.key,
                "duty_code": row.duty_code,
                "duty_text": row.duty_text,
                "role": row.role,
                "body": row.body_short_name or row.body_name,
                "unit": row.unit_name,
                "period": row.period,
                "due_on": row.due_on.isoformat(),
                "days_late": (as_of - row.due_on).days,
                "escalation_step": row.told_step,
                "last_reminder_at": last.isoformat() if last else None,
            }
        )
    return result


def _submissions(session: Session, plan: Plan, period: Period, moment: dt.datetime) -> list[dict[str, Any]]:
    start = end_of_local_day(period.start - dt.timedelta(days=1))
    query = (
        select(
            StatusEvent.at,
            StatusEvent.actor,
            StatusEvent.note,
            Occurrence.key,
            Occurrence.period,
            Body.short_name,
            Body.name,
            Unit.name,
        )
        .join(Occurrence, Occurrence.id == StatusEvent.occurrence_id)
        .join(Body, Body.id == Occurrence.body_id)
        .outerjoin(Unit, Unit.id == Occurrence.unit_id)
        .where(
            Occurrence.plan_id == plan.id,
            StatusEvent.to_status == "submitted",
            StatusEvent.at > start,
            StatusEvent.at <= moment,
        )
        .order_by(StatusEvent.at, StatusEvent.id)
    )
    return [
        {
            "at": at.isoformat(),
            "body": short or name,
            "unit": unit,
            "duty_code": key.split("/")[0],
            "key": key,
            "period": period,
            "by": actor,
            "note": note,
        }
        for at, actor, note, key, period, short, name, unit in session.execute(query)
    ]
