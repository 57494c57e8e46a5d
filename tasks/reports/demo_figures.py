"""The demo's figures, so that every page has something to show: the per-commune annex for the counts communes
deliver (split evenly), indicator values for each quarter and half-year that ended (per commune where allocated,
else for the district), and the periodic reports of those periods. Values are plausible, not real: seeded
randomness around the plan's own targets."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.plan import Body, Plan, Target, TargetAllocation, Unit
from models.report import IndicatorValue, Report
from tasks.calendar.periods import Period, parse_period
from tasks.calendar.workdays import WorkCalendar
from tasks.reports.compiling import compile_report
from tasks.reports.indicators import CheckedValue, save_allocation, save_value

BY = "dutyflow demo"
FORMATS = ["md", "html", "docx", "xlsx"]
ALLOCATED = ("jobs-created",)  # counts the communes deliver, allocated in the plan's annex


@dataclass(frozen=True)
class DemoFigures:
    values: int
    reports: list[str]


def ended_periods(year: int, until: dt.date) -> list[Period]:
    """The quarters and half-years of `year` whose cut-off is before `until`, in order."""
    tokens = [f"{year}-Q{n}" for n in range(1, 5)] + [f"{year}-H1", f"{year}-9M", f"{year}"]
    periods = [parse_period(token) for token in tokens]
    return sorted((p for p in periods if p.end < until), key=lambda p: (p.end, p.start))


def _share(period: Period, year: int) -> float:
    """How much of a year's target a period's figure stands for (a cumulative count up to its cut-off)."""
    return min(1.0, max(0.05, ((period.end - dt.date(year - 1, 12, 15)).days) / 365))


def _value(target: Target, period: Period, year: int, rng: random.Random) -> float:
    if target.unit.startswith("%"):
        if target.direction == "reduce":
            return round(target.value * _share(period, year) * rng.uniform(0.8, 1.1), 2)
        return round(min(100.0, target.value * rng.uniform(0.85, 1.0)), 2)
    return float(round(target.value * _share(period, year) * rng.uniform(0.75, 1.1)))


def make_demo_figures(
    session: Session,
    *,
    plan: Plan,
    until: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    out_dir: Path,
    seed: int = 2023,
) -> DemoFigures:
    """Values and reports for the periods ended by `until`; nothing when the plan has values already."""
    if session.scalar(select(IndicatorValue.id).where(IndicatorValue.plan_id == plan.id).limit(1)) is not None:
        return DemoFigures(0, [])
    rng = random.Random(seed)
    units = list(
        session.scalars(
            select(Unit).join(Body).where(Body.plan_id == plan.id, Unit.active).order_by(Body.order, Unit.order)
        )
    )
    targets = list(session.scalars(select(Target).where(Target.plan_id == plan.id).order_by(Target.order)))
    for target in targets:
        if (
            target.code in ALLOCATED
            and units
            and not session.scalar(select(TargetAllocation.id).where(TargetAllocation.target_id == target.id).limit(1))
        ):
            share, rest = divmod(int(target.value), len(units))
            for index, unit in enumerate(units):
                allocated = CheckedValue(target, unit, "", float(share + (1 if index < rest else 0)))
                save_allocation(session, checked=allocated, by=BY, now=now)
    session.flush()
    allocations = {(a.target_id, a.unit_id): a.value for a in session.scalars(select(TargetAllocation))}
    count = 0
    periods = ended_periods(plan.year, until)
    for period in periods:
        for target in targets:
            mine = [u for u in units if (target.id, u.id) in allocations]
            if mine:
                for unit in mine:
                    value = round(allocations[(target.id, unit.id)] * _share(period, plan.year) * rng.uniform(0.7, 1.2))
                    save_value(session, plan=plan, checked=CheckedValue(target, unit, period.token, float(value)),
                               by=BY, now=now, source="demo")  # fmt: skip
                    count += 1
            else:
                checked = CheckedValue(target, None, period.token, _value(target, period, plan.year, rng))
                save_value(session, plan=plan, checked=checked, by=BY, now=now, source="demo")
                count += 1
    session.flush()
    compiled = []
    for period in periods:
        if session.scalar(select(Report.id).where(Report.plan_id == plan.id, Report.period == period.token)):
            continue
        compile_report(
            session,
            plan=plan,
            period=period,
            now=now,
            calendar=calendar,
            due_soon_workdays=due_soon_workdays,
            formats=FORMATS,
            out_dir=out_dir,
            by=BY,
        )
        compiled.append(period.token)
    return DemoFigures(count, compiled)
