"""Fanning the periodic report out, one child run per plan: through the work pool when the deployment
compile-plan-report/report-plan is registered (so several workers share a province's plans), else within the
parent's own run, plan after plan (unit tests, a plain call, a server that does not know the deployment)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.runtime import flow_run

from dutyflow import runtime
from dutyflow.i18n import t
from dutyflow.settings import get_settings
from flows.compile_plan_report import BY, compile_plan_report
from models.db import session_factory
from reports.labels import period_label
from tasks.calendar.periods import parse_period
from tasks.reports.plan_run import outcome_of_run

DEPLOYMENT = "compile-plan-report/report-plan"


@dataclass
class FanOut:
    done: list[dict[str, Any]] = field(default_factory=list)  # each plan's outcome, in plan order
    failed: dict[str, str] = field(default_factory=dict)  # plan code -> why, in words


def child_name(plan_code: str, period: str) -> str:
    """The child run's name in the Prefect UI, in words: "Báo cáo huyen-001 kỳ 6 tháng đầu năm 2023"."""
    p = parse_period(period)
    return t("flow.report.child_name", plan=plan_code, period=period_label(
        {"kind": p.kind.value, "token": p.token, "year": p.year}))  # fmt: skip


def registered(name: str = DEPLOYMENT) -> bool:
    """Whether the Prefect server knows the deployment (`dutyflow serve` or `prefect deploy` made it)."""
    try:
        with get_client(sync_client=True) as client:
            client.read_deployment_by_name(name)
    except ObjectNotFound:
        return False
    return True


def in_process(codes: list[str], period: str, now: dt.datetime) -> FanOut:
    """Each plan's child flow as a subflow of this run, one after another; a failed plan does not stop the rest."""
    result = FanOut()
    for code in codes:
        child = compile_plan_report.with_options(flow_run_name=child_name(code, period))
        state = child(code, period, now.isoformat(), return_state=True)
        if state.is_completed():
            result.done.append(state.result())
        else:
            result.failed[code] = t("flow.report.child_state", run=child_name(code, period), state=state.name,
                                    message=state.message or "")  # fmt: skip
    return result


def through_pool(
    codes: list[str], period: str, now: dt.datetime, *, wait_minutes: float, poll_seconds: float
) -> FanOut:
    """Every plan's run queued at once on the deployment's work pool, then watched until each ends or the wait
    is over. A retry of the parent queues fresh children (its attempt is in the key); a plan its earlier attempt
    compiled is found again by the child, so nothing is queued twice."""
    parent = flow_run.get_id() or "none"
    attempt = flow_run.get_run_count()
    runs = {}
    for code in codes:
        child = run_deployment(
            DEPLOYMENT,
            parameters={"plan_code": code, "period": period, "now": now.isoformat()},
            flow_run_name=child_name(code, period),
            timeout=0,  # queue it and go on: the workers run the children side by side
            idempotency_key=f"{parent}:{attempt}:{code}:{period}",
        )
        assert isinstance(child, FlowRun)  # called from a sync flow: the run, not a coroutine
        runs[code] = child.id
    ends: dict[str, Any] = {}
    deadline = time.monotonic() + wait_minutes * 60
    with get_client(sync_client=True) as client:
        while True:
            for code in [c for c in codes if c not in ends]:
                state = client.read_flow_run(runs[code]).state
                if state is not None and state.is_final():
                    ends[code] = state
            if len(ends) == len(codes) or time.monotonic() > deadline:
                break
            time.sleep(poll_seconds)
        late = {c: client.read_flow_run(runs[c]).state for c in codes if c not in ends}
    result = FanOut()
    settings = get_settings()
    with session_factory(runtime.database(settings))() as session:
        for code in codes:
            name = child_name(code, period)
            state = ends.get(code)
            if state is None:
                result.failed[code] = t("flow.report.not_finished", run=name, minutes=f"{wait_minutes:g}",
                                        state=getattr(late[code], "name", "?"))  # fmt: skip
            elif not state.is_completed():
                result.failed[code] = t("flow.report.child_state", run=name, state=state.name,
                                        message=state.message or "")  # fmt: skip
            else:
                result.done.append(outcome_of_run(session, plan_code=code, period=parse_period(period), now=now, by=BY))
    return result


def fan_out(codes: list[str], period: str, now: dt.datetime, *, wait_minutes: float, poll_seconds: float) -> FanOut:
    if not registered():
        print(t("flow.report.in_process", deployment=DEPLOYMENT))
        return in_process(codes, period, now)
    return through_pool(codes, period, now, wait_minutes=wait_minutes, poll_seconds=poll_seconds)
