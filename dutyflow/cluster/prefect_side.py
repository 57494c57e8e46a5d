"""What the cluster asks of Prefect's API: the work pool, the deployments, the automations that catch crashes."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dutyflow.cluster.processes import spawn, stop_groups
from dutyflow.cluster.shape import ORCHESTRATION_QUEUE, WORK_POOL, Shape

CRASH_AUTOMATION = "dutyflow: mark silent runs crashed"
STUCK_AUTOMATION = "dutyflow: mark runs that never started crashed"
RERUN_AUTOMATION = "dutyflow: run crashed runs again"
# A run that crashed this many times is left crashed for a person to look at (a run that kills its own
# process would otherwise be re-run for ever).
MAX_RUN_COUNT = 3


def client(api_url: str) -> Any:
    from prefect.client.orchestration import SyncPrefectClient

    return SyncPrefectClient(api_url, httpx_settings={"timeout": 30})


def ensure_work_pool(api_url: str) -> None:
    """The process pool `dutyflow` and its two queues (the workers' and the orchestrator's)."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with client(api_url) as api:
        with contextlib.suppress(ObjectAlreadyExists):
            api.create_work_pool(WorkPoolCreate(name=WORK_POOL, type="process"))
        with contextlib.suppress(ObjectAlreadyExists):
            api.create_work_queue(name=ORCHESTRATION_QUEUE, work_pool_name=WORK_POOL)


def deploy_all(shape: Shape, record: Callable[[int], None]) -> None:
    """`prefect deploy --all` from the project's folder: prefect.yaml's deployments, on the `dutyflow` pool.
    Started like the cluster's other processes (recorded first), so an `up` killed meanwhile leaves it findable."""
    process = spawn(
        "deploy",
        [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"],
        env={"PREFECT_API_URL": shape.api_url},
        directory=shape.directory,
        record=record,
    )
    try:
        code = process.wait(timeout=600)
    except subprocess.TimeoutExpired:
        stop_groups([process.pid], grace=5)
        raise
    if code != 0:
        raise RuntimeError(f"prefect deploy --all exited with {code} (see {shape.directory}/deploy.log)")


def ensure_automations(shape: Shape) -> None:
    """Prefect's documented zombie detection (no heartbeat for three beats: Crashed), the same for a run a
    worker took and never started, and a re-run of what crashed (state set back to Scheduled, same
    parameters) while it has run at most MAX_RUN_COUNT times."""
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    def crash_when_silent(name: str, description: str, after: set[str], awaited: str, beats: int, message: str) -> Any:
        """A run that showed one of `after` and then neither `awaited` nor an end within `beats` heartbeats."""
        ends = {f"prefect.flow-run.{state}" for state in ("Completed", "Failed", "Cancelled", "Crashed")}
        return AutomationCore(
            name=name,
            description=description,
            trigger=EventTrigger(
                after=after,
                expect={awaited, *ends},
                match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
                for_each={"prefect.resource.id"},
                posture=Posture.Proactive,
                threshold=1,
                within=dt.timedelta(seconds=shape.heartbeat_seconds * beats),
            ),
            actions=[ChangeFlowRunState(state=StateType.CRASHED, message=message)],
        )

    silent = crash_when_silent(
        CRASH_AUTOMATION,
        "Lượt chạy không còn nhịp tim (worker chết): đánh dấu Crashed.",
        {"prefect.flow-run.Running", "prefect.flow-run.heartbeat"},
        "prefect.flow-run.heartbeat",
        3,
        "Mất nhịp tim: worker đã dừng giữa chừng.",
    )
    never_started = crash_when_silent(
        STUCK_AUTOMATION,
        "Lượt chạy đã giao cho worker nhưng không bắt đầu (worker chết trước đó): đánh dấu Crashed.",
        {"prefect.flow-run.Pending"},
        "prefect.flow-run.Running",
        5,
        "Worker nhận lượt chạy rồi không khởi động nó.",
    )
    again = AutomationCore(
        name=RERUN_AUTOMATION,
        description="Lượt chạy bị Crashed được chạy lại với đúng tham số cũ.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match=ResourceSpecification(
                {
                    "prefect.resource.id": ["prefect.flow-run.*"],
                    "prefect.run-count": [str(n) for n in range(MAX_RUN_COUNT + 1)],
                }
            ),
            for_each={"prefect.resource.id"},
            posture=Posture.Reactive,
            threshold=1,
            within=dt.timedelta(0),
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.SCHEDULED, name="AwaitingRetry", message="Chạy lại sau khi bị Crashed.", force=True
            )
        ],
    )
    with client(shape.api_url) as api:
        for automation in (silent, never_started, again):
            for old in api.read_automations_by_name(automation.name):
                api.delete_automation(old.id)
            api.create_automation(automation)


@dataclass(frozen=True)
class PrefectStatus:
    healthy: bool
    workers_online: list[str]
    deployments: int
    late_runs: int
    running: int


def prefect_status(api_url: str) -> PrefectStatus:
    """Workers online on the pool, deployments on it, runs that are late or running now."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateName,
        FlowRunFilterStateType,
        WorkPoolFilter,
        WorkPoolFilterName,
    )
    from prefect.client.schemas.objects import StateType

    try:
        with client(api_url) as api:
            pool = WorkPoolFilter(name=WorkPoolFilterName(any_=[WORK_POOL]))
            workers = api.read_workers_for_work_pool(WORK_POOL)
            online = sorted(w.name for w in workers if str(getattr(w.status, "value", w.status)).upper() == "ONLINE")
            deployments = len(api.read_deployments(work_pool_filter=pool, deployment_filter=DeploymentFilter()))
            late = api.count_flow_runs(
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(name=FlowRunFilterStateName(any_=["Late"]))),
                work_pool_filter=pool,
            )
            running = api.count_flow_runs(
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING]))
                ),
                work_pool_filter=pool,
            )
    except Exception:  # an API that does not answer is what status reports, not a crash of the CLI
        return PrefectStatus(False, [], 0, 0, 0)
    return PrefectStatus(True, online, deployments, late, running)
