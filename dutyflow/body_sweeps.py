"""A morning sweep for every body in the database: prefect.yaml names the seed's bodies; the others (bodies of
plans loaded later) get a deployment of the same shape, built here for `dutyflow serve` and `cluster up`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from dutyflow.i18n import t
from dutyflow.settings import PROJECT_ROOT
from models.db import make_engine, session_factory
from models.plan import Body

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"
SWEEP_ENTRYPOINT = "flows/body_sweep.py:body_sweep"


@dataclass(frozen=True)
class SweepSpec:
    """One body's morning sweep deployment, as prefect.yaml's own sweeps are."""

    name: str
    body_code: str
    description: str
    cron: str
    timezone: str
    concurrency_limit: int | None
    work_pool: str
    work_queue: str

    @property
    def parameters(self) -> dict[str, Any]:
        return {"body_code": self.body_code}


def sweep_name(body_code: str) -> str:
    return f"sweep-{body_code}"


def yaml_sweeps(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """prefect.yaml's per-body sweep entries (sweep-all, which takes no body, is not one of them)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"]
    return [e for e in entries if e["entrypoint"] == SWEEP_ENTRYPOINT and (e.get("parameters") or {}).get("body_code")]


def bodies_in(database_url: str) -> dict[str, str]:
    """Every active body's code in the database, with its name (the first plan's, where plans differ)."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            rows = session.execute(select(Body.code, Body.name).where(Body.active).order_by(Body.plan_id, Body.order))
            found: dict[str, str] = {}
            for code, name in rows:
                found.setdefault(code, name)
            return found
    finally:
        engine.dispose()


def missing_sweeps(bodies: dict[str, str], path: Path = PREFECT_YAML) -> list[SweepSpec]:
    """A sweep for each of `bodies` that prefect.yaml does not name: its first sweep's schedule, concurrency
    limit, pool and queue, so every body is swept alike."""
    entries = yaml_sweeps(path)
    template, named = entries[0], {e["parameters"]["body_code"] for e in entries}
    schedule, pool = template["schedules"][0], template["work_pool"]
    return [
        SweepSpec(
            name=sweep_name(code),
            body_code=code,
            description=t("sweep.deployment_description", body=name),
            cron=schedule["cron"],
            timezone=schedule.get("timezone", "Asia/Ho_Chi_Minh"),
            concurrency_limit=template.get("concurrency_limit"),
            work_pool=pool["name"],
            work_queue=pool.get("work_queue_name", "default"),
        )
        for code, name in sorted(bodies.items())
        if code not in named
    ]


def to_deployment(flow: Any, spec: SweepSpec, *, on_pool: bool) -> Any:
    """The RunnerDeployment of `spec` for `flow` (body_sweep); `on_pool`: for a worker's pool, else for serve."""
    from prefect.schedules import Cron

    return flow.to_deployment(
        name=spec.name,
        parameters=spec.parameters,
        schedules=[Cron(spec.cron, timezone=spec.timezone)],
        description=spec.description,
        concurrency_limit=spec.concurrency_limit,
        **({"work_pool_name": spec.work_pool, "work_queue_name": spec.work_queue} if on_pool else {}),
    )
