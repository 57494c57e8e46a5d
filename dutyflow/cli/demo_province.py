"""`dutyflow demo --province N`: N plans of one province side by side, each owed by its departments and about a
hundred communes and wards, with the simulated history the single-plan demo gives (one simulation for them all)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dutyflow.cli.common import fail, out, parse_date, settings, transaction
from dutyflow.i18n import t

if TYPE_CHECKING:
    from rich.progress import Progress

    from models.planfile import PlanFile


def _bar() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=out.console)


def province_demo(count: int, until: str, *, live: bool) -> None:
    from dutyflow.cli.demo import show_accounts, simulate_with_progress
    from tasks.importing.province_sources import BaseUnreadable, base_plans
    from tasks.plans.province import MAX_PLANS, make_province, province_plans

    if not 1 <= count <= MAX_PLANS:
        fail(t("demo.province.bad_count", value=count, most=MAX_PLANS))
    last = parse_date(until)
    try:
        bases = base_plans()
    except BaseUnreadable as broken:
        fail(t("demo.province.bad_base", name=broken.name))
    province = make_province(year=last.year, seed=2023)
    plans = province_plans(bases, province=province, count=count)
    out.print(t("demo.province.start", count=count, province=province.issuer, units=len(province.units)), markup=False)
    has_history, created = _load(plans)
    show_accounts(created, _now())
    if live or has_history:
        out.print(t("demo.live" if live else "demo.kept"), markup=False)
        return
    first = min(plan.plan.issued_on for plan in plans)
    simulate_with_progress(first, last, submit_rate=0.2, seed=2023)
    _figures_and_marks([plan.plan.code for plan in plans], last)
    out.print(t("demo.next", until=last.isoformat()), markup=False)


def _now() -> dt.datetime:
    from dutyflow import runtime

    return runtime.utc_now()


def _load(plans: list[PlanFile]) -> tuple[bool, list[tuple[str, str, str]]]:
    """Each plan in a transaction of its own, with a line and a step of the bar for each; then the demo accounts
    (the office and the viewer once, a focal point for each body code and commune the first time it is seen)."""
    from sqlalchemy import select

    from dutyflow import runtime
    from models.outbox import OutboxMessage
    from models.plan import Plan
    from tasks.people.demo_accounts import ensure_demo_accounts
    from tasks.plans.province import load_province

    current = settings()
    now = runtime.utc_now()
    created: list[tuple[str, str, str]] = []
    with _bar() as bar:
        job = bar.add_task(t("demo.province.loading"), total=len(plans))
        for plan in plans:
            bar.update(job, description=t("demo.province.loading_one", number=plan.plan.number))
            with transaction() as session:
                (summary,) = load_province(
                    session,
                    plans=[plan],
                    now=now,
                    calendar=runtime.work_calendar(current),
                    support_lead_workdays=current.support_lead_workdays,
                )
                loaded = session.scalars(select(Plan).where(Plan.code == plan.plan.code)).one()
                created += ensure_demo_accounts(session, plan=loaded, now=now)
            bar.console.print(
                t(
                    "demo.province.loaded",
                    number=plan.plan.number,
                    code=plan.plan.code,
                    bodies=summary.counts["bodies"],
                    units=summary.counts["units"],
                    occurrences=summary.generation.created,
                ),
                markup=False,
            )
            bar.advance(job)
    with transaction() as session:
        has_history = session.scalar(select(OutboxMessage.id).limit(1)) is not None
    return has_history, created


def _figures_and_marks(codes: list[str], last: dt.date) -> None:
    """Each plan's indicator values and the reports of the periods that ended, a step of the bar per plan; then
    the mark that this database holds a demo simulated up to `last`."""
    from sqlalchemy import select

    from dutyflow import runtime
    from dutyflow.cli.demo import figures_and_mark
    from models.plan import Plan

    now = runtime.utc_now()
    with transaction() as session:
        query = select(Plan.code, Plan.number).where(Plan.code.in_(codes))
        number_of = {code: number for code, number in session.execute(query)}
    numbers = [(code, number_of[code]) for code in codes]
    values, reports = 0, 0
    with _bar() as bar:
        job = bar.add_task(t("demo.province.figures"), total=len(codes))
        for code, number in numbers:
            bar.update(job, description=t("demo.province.figures_one", number=number))
            made = figures_and_mark(code, last, now)
            values, reports = values + made.values, reports + len(made.reports)
            bar.advance(job)
    out.print(t("demo.province.figures_done", values=values, reports=reports, plans=len(codes)), markup=False)
