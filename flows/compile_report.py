"""Deployment entrypoint: after each cut-off, compile the period's report, announce it and deliver it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from sqlalchemy import select

from dutyflow import runtime
from dutyflow.i18n import t
from dutyflow.settings import get_settings
from models.db import session_factory
from models.plan import Plan
from models.planfile import PeriodKind
from reports.labels import period_label
from tasks.calendar.clock import local_date, read_moment
from tasks.calendar.periods import Period, latest_closed, parse_period
from tasks.reminders.delivery import deliver
from tasks.reports.compiling import compile_report
from tasks.reports.delivery import queue_report_messages


def overlaps(period: Period, plan: Plan) -> bool:
    """Whether the period's data window meets the plan's span."""
    return period.start <= plan.effective_to and period.end >= plan.effective_from


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
def compile_and_announce(period_token: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Every plan's report for the period (all four formats), queued to its recipients and delivered."""
    settings = get_settings()
    engine = runtime.database(settings)
    period = parse_period(period_token)
    done = []
    with session_factory(engine).begin() as session:
        book = runtime.channel_book(settings, session)
        for plan in session.scalars(select(Plan).order_by(Plan.code)):
            if not overlaps(period, plan):
                continue  # a period before the plan began or after it ended has nothing to report
            compiled = compile_report(
                session,
                plan=plan,
                period=period,
                now=now,
                calendar=runtime.work_calendar(settings),
                due_soon_workdays=settings.due_soon_workdays,
                formats=["md", "html", "docx", "xlsx"],
                out_dir=settings.reports_dir / plan.code,
                by="dutyflow (Prefect)",
            )
            queued = queue_report_messages(
                session,
                report=compiled.report,
                plan=plan,
                now=now,
                dashboard_url=settings.dashboard_url,
                locale=settings.lang,
            )
            done.append(
                {
                    "plan": plan.code,
                    "period": period.token,
                    "version": compiled.report.version,
                    "sha256": compiled.report.content_sha256,
                    "files": compiled.files,
                    "queued": queued,
                    "totals": compiled.report.figures["duty_status"]["totals"],
                    "figures_period": compiled.report.figures["period"],
                }
            )
    deliver(
        session_factory(engine), now=now, worker=runtime.worker_id(), book=book, config=runtime.sweep_config(settings)
    )
    return done


@flow(name="compile-report", retries=1, retry_delay_seconds=300, log_prints=True)
def compile_report_flow(kind: str, period: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
    """`kind` (month, quarter, H1, H2, 9M, year) picks the latest period cut off before today; `period`
    (e.g. 2023-H1) names one outright."""
    now = read_moment(as_of) if as_of else runtime.utc_now()
    token = period or latest_closed(PeriodKind(kind), local_date(now)).token
    done = compile_and_announce(token, now)
    if not done:
        record_nothing_compiled(parse_period(token), now)
    for item in done:
        totals = item["totals"]
        summary = "\n".join(
            [
                f"# {t('report.kind')} {item['plan']} — {period_label(item['figures_period'])} (v{item['version']})",
                "",
                f"SHA-256: `{item['sha256']}`",
                "",
                *(f"- {t('category.' + c)}: {n}" for c, n in totals.items()),
                "",
                *(f"- {fmt}: `{path}`" for fmt, path in item["files"].items()),
            ]
        )
        create_markdown_artifact(key=f"report-{item['plan']}", markdown=summary, description=item["period"])
        create_table_artifact(
            key=f"report-status-{item['plan']}",
            table=[{"category": t("category." + c), "count": n} for c, n in totals.items()],
            description=item["period"],
        )
        print(
            f"{item['plan']} {item['period']} v{item['version']}: {len(item['files'])} files, {item['queued']} queued"
        )
    return done
