"""Deployment entrypoint: a batch of plans' reports for a period, one plan after another in one process, a child
run of compile-report (on any worker of the pool, or within the parent's run when the deployment is not
registered). Retrying it makes no new version and queues nothing twice; a failed plan does not stop the rest."""

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
from reports.labels import period_label
from tasks.calendar.clock import read_moment
from tasks.calendar.periods import parse_period
from tasks.reminders.delivery import deliver
from tasks.reports.delivery import queue_report_messages
from tasks.reports.plan_run import compile_once, outcome

BY = "dutyflow (Prefect)"
FORMATS = ["md", "html", "docx", "xlsx"]


class PlansFailed(RuntimeError):
    """Some plans of a batch have no report: raised once the batch's other plans are done, so that the run fails
    and its message names each plan that failed and why."""


def period_words(token: str) -> str:
    """A period in words, as run names say it: "6 tháng đầu năm 2023"."""
    p = parse_period(token)
    return period_label({"kind": p.kind.value, "token": p.token, "year": p.year})


def plan_task_name() -> str:
    """The task run's name in words: "Lập báo cáo huyen-001 kỳ 6 tháng đầu năm 2023"."""
    from prefect.runtime import task_run

    parameters = task_run.parameters
    return t("flow.report.plan_task", plan=parameters["plan_code"], period=period_words(parameters["period_token"]))


@task(retries=2, retry_delay_seconds=60, task_run_name=plan_task_name)
def compile_and_announce(plan_code: str, period_token: str, now: dt.datetime) -> dict[str, Any]:
    """The plan's report for the period (all four formats), queued to its recipients and delivered. The version
    this run made before (a retry after a crash) is reused: the outbox's key is the report, so nothing is queued
    twice."""
    settings = get_settings()
    engine = runtime.database(settings)
    period = parse_period(period_token)
    with session_factory(engine).begin() as session:
        plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
        book = runtime.channel_book(settings, session)
        compiled = compile_once(
            session,
            plan=plan,
            period=period,
            now=now,
            calendar=runtime.work_calendar(settings),
            due_soon_workdays=settings.due_soon_workdays,
            formats=FORMATS,
            out_dir=settings.reports_dir / plan.code,
            by=BY,
        )
        queue_report_messages(
            session, report=compiled.report, plan=plan, now=now, dashboard_url=settings.dashboard_url,
            locale=settings.lang,
        )  # fmt: skip
        session.flush()
        done = outcome(session, compiled.report, plan_code=plan.code)
    deliver(
        session_factory(engine), now=now, worker=runtime.worker_id(), book=book, config=runtime.sweep_config(settings)
    )
    return done


def record_artifacts(item: dict[str, Any]) -> None:
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


@flow(name="compile-plan-report", retries=1, retry_delay_seconds=120, log_prints=True)
def compile_plan_report(plan_codes: list[str], period: str, now: str) -> list[dict[str, Any]]:
    """`plan_codes`: the batch, compiled in this order. `now`: the parent run's moment (ISO 8601 with its offset),
    which stamps each report and finds it again on a retry, so a plan an earlier attempt compiled is not compiled
    again. A plan that fails (after its task's retries) does not stop the rest; the run then fails, naming it."""
    moment = read_moment(now)
    done: list[dict[str, Any]] = []
    failed: dict[str, str] = {}
    for code in plan_codes:
        state = compile_and_announce(code, period, moment, return_state=True)
        if not state.is_completed():
            failed[code] = state.message or state.name or "?"
            print(f"{code}: {failed[code]}")
            continue
        item = state.result()
        record_artifacts(item)
        print(f"{code} {period} v{item['version']}: {len(item['files'])} files, {item['queued']} queued")
        done.append(item)
    if failed:
        why = "; ".join(f"{code}: {message}" for code, message in failed.items())
        raise PlansFailed(t("flow.report.batch_failed", count=len(failed), total=len(plan_codes), plans=why))
    return done
