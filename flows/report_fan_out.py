"""Fanning the periodic report out in batches of plans, a child run each (how many: tasks/reports/batches.py):
through the work pool when the deployment compile-plan-report/report-plan is registered (so several workers share
a province's plans, each paying a run's process start once per batch, not once per plan), else within the parent's
own run, batch after batch (unit tests, a plain call, a server that does not know the deployment)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun, State
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError
from prefect.runtime import flow_run

from dutyflow import runtime
from dutyflow.cluster.shape import ORCHESTRATOR
from dutyflow.i18n import t
from dutyflow.settings import get_settings
from flows.compile_plan_report import BY, compile_plan_report, period_words
from models.db import session_factory
from tasks.calendar.periods import parse_period
from tasks.reports.batches import batch_count, split
from tasks.reports.plan_run import outcome_of_run

DEPLOYMENT = "compile-plan-report/report-plan"


@dataclass
class FanOut:
    done: list[dict[str, Any]] = field(default_factory=list)  # each plan's outcome, in plan order
    failed: dict[str, str] = field(default_factory=dict)  # plan code -> why, in words
    batches: list[list[str]] = field(default_factory=list)  # the plans of each child run


def child_name(batch: list[str], period: str, *, index: int = 1, count: int = 1) -> str:
    """The child run's name in words: a batch of one plan "Báo cáo huyen-001 kỳ 6 tháng đầu năm 2023", a larger
    one "Báo cáo kỳ 6 tháng đầu năm 2023, lô 2/4: 25 kế hoạch (huyen-025 … huyen-049)"."""
    if len(batch) == 1:
        return t("flow.report.child_name", plan=batch[0], period=period_words(period))
    return t("flow.report.batch_name", period=period_words(period), index=index, count=count, plans=len(batch),
             first=batch[0], last=batch[-1])  # fmt: skip


def work_pool_of(name: str = DEPLOYMENT) -> str | None:
    """The work pool of the deployment when the Prefect server knows it ("" if it has none), else None."""
    try:
        with get_client(sync_client=True) as client:
            return client.read_deployment_by_name(name).work_pool_name or ""
    except ObjectNotFound:
        return None


def registered(name: str = DEPLOYMENT) -> bool:
    """Whether the Prefect server knows the deployment (`dutyflow serve` or `prefect deploy` made it)."""
    return work_pool_of(name) is not None


def slots_online(pool: str, runs_per_worker: int) -> int:
    """The run slots the pool has now: its workers online, the orchestrator left out (it runs only the parents),
    times the runs each takes at once (DUTYFLOW_WORKER_RUNS, which `cluster up` gives every worker). The API does
    not say a worker's limit, hence the setting. 0 when the pool is unknown or nobody polls it."""
    if not pool:
        return 0
    try:
        with get_client(sync_client=True) as client:
            workers = client.read_workers_for_work_pool(pool)
    except PrefectHTTPStatusError as error:  # the API answers 404, not ObjectNotFound, for a pool it lacks
        if error.response.status_code == 404:
            return 0
        raise
    online = [w for w in workers if str(getattr(w.status, "value", w.status)).upper() == "ONLINE"]
    return sum(1 for w in online if w.name != ORCHESTRATOR) * runs_per_worker


def plan_batches(codes: list[str], slots: int) -> list[list[str]]:
    most = get_settings().report_batch_plans
    batches = split(codes, batch_count(len(codes), slots=slots, most=most))
    print(t("flow.report.batches", plans=len(codes), count=len(batches), slots=slots, most=most))
    return batches


def settle(batches: list[list[str]], ends: list[State | None], period: str, now: dt.datetime, *,
           wait_minutes: float) -> FanOut:  # fmt: skip
    """Each plan's outcome, read back from the database: a plan is done when this run's report of it exists and
    its batch did not name it among the plans that failed; else it failed, with its batch's end in words (a plan
    of a failed batch that the batch compiled before or after the failure is not lost)."""
    result = FanOut(batches=batches)
    with session_factory(runtime.database(get_settings()))() as session:
        for index, (batch, state) in enumerate(zip(batches, ends, strict=True), start=1):
            name = child_name(batch, period, index=index, count=len(batches))
            message = "" if state is None else state.message or ""
            for code in batch:
                named = state is not None and not state.is_completed() and f"{code}: " in message
                try:
                    found = None if named else outcome_of_run(session, plan_code=code, period=parse_period(period),
                                                              now=now, by=BY)  # fmt: skip
                except LookupError:
                    found = None
                if found is not None:
                    result.done.append(found)
                elif state is None or not state.is_final():
                    result.failed[code] = t("flow.report.not_finished", run=name, minutes=f"{wait_minutes:g}",
                                            state=getattr(state, "name", "?"))  # fmt: skip
                elif state.is_completed():
                    result.failed[code] = t("flow.report.no_report", run=name, state=state.name, message=message)
                else:
                    result.failed[code] = t("flow.report.child_state", run=name, state=state.name, message=message)
    return result


def in_process(codes: list[str], period: str, now: dt.datetime) -> FanOut:
    """Each batch's child flow as a subflow of this run, one after another; a failed batch does not stop the rest."""
    batches = plan_batches(codes, slots=0)
    ends: list[State | None] = []
    for index, batch in enumerate(batches, start=1):
        child = compile_plan_report.with_options(flow_run_name=child_name(batch, period, index=index,
                                                                          count=len(batches)))  # fmt: skip
        ends.append(child(batch, period, now.isoformat(), return_state=True))
    return settle(batches, ends, period, now, wait_minutes=0)


def through_pool(
    codes: list[str], period: str, now: dt.datetime, *, pool: str, wait_minutes: float, poll_seconds: float
) -> FanOut:
    """Every batch's run queued at once on the deployment's work pool, then watched until each ends or the wait
    is over. A retry of the parent queues fresh children (its attempt is in the key); a plan its earlier attempt
    compiled is found again by the child, so nothing is queued twice."""
    parent = flow_run.get_id() or "none"
    attempt = flow_run.get_run_count()
    batches = plan_batches(codes, slots_online(pool, get_settings().worker_runs))
    runs = []
    for index, batch in enumerate(batches, start=1):
        plans = hashlib.sha256("\n".join(batch).encode()).hexdigest()[:16]
        child = run_deployment(
            DEPLOYMENT,
            parameters={"plan_codes": batch, "period": period, "now": now.isoformat()},
            flow_run_name=child_name(batch, period, index=index, count=len(batches)),
            timeout=0,  # queue it and go on: the workers run the children side by side
            idempotency_key=f"{parent}:{attempt}:{period}:{index}/{len(batches)}:{plans}",
        )
        assert isinstance(child, FlowRun)  # called from a sync flow: the run, not a coroutine
        runs.append(child.id)
    ends: list[State | None] = [None] * len(batches)
    deadline = time.monotonic() + wait_minutes * 60
    with get_client(sync_client=True) as client:
        while True:
            for index in [i for i, end in enumerate(ends) if end is None or not end.is_final()]:
                ends[index] = client.read_flow_run(runs[index]).state
            if all(end is not None and end.is_final() for end in ends) or time.monotonic() > deadline:
                break
            time.sleep(poll_seconds)
    return settle(batches, ends, period, now, wait_minutes=wait_minutes)


def fan_out(codes: list[str], period: str, now: dt.datetime, *, wait_minutes: float, poll_seconds: float) -> FanOut:
    pool = work_pool_of()
    if pool is None:
        print(t("flow.report.in_process", deployment=DEPLOYMENT))
        return in_process(codes, period, now)
    return through_pool(codes, period, now, pool=pool, wait_minutes=wait_minutes, poll_seconds=poll_seconds)
