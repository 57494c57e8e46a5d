"""Deployment entrypoint: after each cut-off, every plan's report of the period (in batches of plans, a child run
each, announced and delivered), then the province roll-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run
from sqlalchemy import select

from dutyflow import runtime
from dutyflow.i18n import t
from dutyflow.settings import get_settings
from flows.report_fan_out import fan_out
from models.db import session_factory
from models.plan import Plan
from models.planfile import PeriodKind
from reports.labels import period_label
from tasks.calendar.clock import local_date, read_moment
from tasks.calendar.periods import Period, latest_closed, parse_period
from tasks.reports.rollup import compile_rollup, overlapping_plans

ROLLUP_FORMATS = ("md", "html", "docx", "xlsx")
PROVINCE_DIR = "_province"  # beside each plan's folder under settings.reports_dir


def record_nothing_compiled(period: Period, now: dt.datetime) -> None:
    """Say in the Prefect UI why a run compiled nothing: no plan runs during the period."""
    engine = runtime.database(get_settings())
    with session_factory(engine)() as session:
        spans = [
            t("flow.report.span", plan=p.number, start=f"{p.effective_from:%d/%m/%Y}", end=f"{p.effective_to:%d/%m/%Y}")
            for p in session.scalars(select(Plan).order_by(Plan.code))
        ]
    markdown = t(
        "flow.report.nothing",
        period=period_label({"kind": period.kind.value, "token": period.token, "year": period.year}),
        start=f"{period.start:%d/%m/%Y}",
        end=f"{period.end:%d/%m/%Y}",
        spans="; ".join(spans) or t("flow.report.no_plan"),
    )
    create_markdown_artifact(key="report-nothing", markdown=markdown, description=period.token)
    print(markdown)


@task(retries=2, retry_delay_seconds=60)
def plans_of(period_token: str) -> list[str]:
    """The codes of the plans running during the period: a period before a plan began or after it ended has
    nothing to report."""
    with session_factory(runtime.database(get_settings()))() as session:
        return [plan.code for plan in overlapping_plans(session, parse_period(period_token))]


@task(retries=2, retry_delay_seconds=60)
def compile_province_rollup(period_token: str, now: dt.datetime, failed: dict[str, str]) -> dict[str, Any]:
    """The province roll-up (per plan and per body) beside the plans' reports, in the four formats."""
    settings = get_settings()
    with session_factory(runtime.database(settings))() as session:
        rollup, files = compile_rollup(
            session,
            period=parse_period(period_token),
            now=now,
            calendar=runtime.work_calendar(settings),
            due_soon_workdays=settings.due_soon_workdays,
            formats=list(ROLLUP_FORMATS),
            out_dir=settings.reports_dir / PROVINCE_DIR,
            failed=failed,
        )
    return {"totals": rollup["totals"], "plans": len(rollup["plans"]), "files": files}


def run_moment(as_of: str | None) -> dt.datetime:
    """The run's one moment: `as_of`, else when the run was due (the same on every retry of the run, so a retry
    finds the reports its first attempt made), else the clock."""
    if as_of:
        return read_moment(as_of)
    scheduled = flow_run.get_scheduled_start_time()
    return scheduled.astimezone(dt.UTC) if scheduled is not None else runtime.utc_now()


def record_rollup(token: str, rollup: dict[str, Any], failed: dict[str, str]) -> None:
    totals = rollup["totals"]
    words = t("flow.report.rollup", period=token, plans=rollup["plans"], due=totals["due"],
              on_time=totals["on_time"], late=totals["late"], overdue=totals["overdue"])  # fmt: skip
    lines = [words, "", *(f"- {fmt}: `{path}`" for fmt, path in rollup["files"].items())]
    if failed:
        lines += ["", t("flow.report.failed", count=len(failed), plans=", ".join(failed)), ""]
        lines += [f"- {code}: {why}" for code, why in failed.items()]
    create_markdown_artifact(key="report-rollup", markdown="\n".join(lines), description=token)
    print(words)


@flow(name="compile-report", retries=1, retry_delay_seconds=300, log_prints=True)
def compile_report_flow(
    kind: str, period: str | None = None, as_of: str | None = None, wait_minutes: float = 180, poll_seconds: float = 5
) -> list[dict[str, Any]]:
    """`kind` (month, quarter, H1, H2, 9M, year) picks the latest period cut off before today; `period`
    (e.g. 2023-H1) names one outright. One child run per batch of plans (flows/report_fan_out.py), waited for up
    to `wait_minutes`; then the province roll-up. A plan that failed fails this run too, after the roll-up."""
    now = run_moment(as_of)
    token = period or latest_closed(PeriodKind(kind), local_date(now)).token
    codes = plans_of(token)
    if not codes:
        record_nothing_compiled(parse_period(token), now)
        return []
    result = fan_out(codes, token, now, wait_minutes=wait_minutes, poll_seconds=poll_seconds)
    record_rollup(token, compile_province_rollup(token, now, result.failed), result.failed)
    if result.failed:
        message = t("flow.report.failed", count=len(result.failed), plans=", ".join(result.failed))
        for code, why in result.failed.items():
            print(f"{code}: {why}")
        raise RuntimeError(message)
    return result.done
