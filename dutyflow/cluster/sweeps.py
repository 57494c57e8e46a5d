"""The cluster's morning sweeps for bodies prefect.yaml does not name: which lack a deployment, and adding them."""

from __future__ import annotations

from typing import Any

from dutyflow.body_sweeps import SWEEP_ENTRYPOINT, SweepSpec, bodies_in, missing_sweeps, to_deployment
from dutyflow.cluster.prefect_side import client
from dutyflow.settings import PROJECT_ROOT


def deployed_sweeps(api_url: str) -> set[str]:
    """Names of the body-sweep deployments the Prefect server has."""
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    with client(api_url) as api:
        found = api.read_deployments(flow_filter=FlowFilter(name=FlowFilterName(any_=["body-sweep"])))
    return {deployment.name for deployment in found}


def unswept(database_url: str, api_url: str) -> list[SweepSpec]:
    """Bodies of the database without a sweep deployment on the cluster's server."""
    have = deployed_sweeps(api_url)
    return [spec for spec in missing_sweeps(bodies_in(database_url)) if spec.name not in have]


def register(api_url: str, specs: list[SweepSpec]) -> None:
    """Each spec as a deployment of the project's folder on the pool (the pull step `prefect deploy` gives the
    others: set the working directory to the project), created or updated."""
    if not specs:
        return
    from prefect import Flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        flow: Any = Flow.from_source(source=str(PROJECT_ROOT), entrypoint=SWEEP_ENTRYPOINT)
        for spec in specs:
            to_deployment(flow, spec, on_pool=True).apply()


def register_missing_sweeps(database_url: str, api_url: str) -> list[str]:
    """Register a sweep for every body of the database that has none; the names added."""
    specs = unswept(database_url, api_url)
    register(api_url, specs)
    return [spec.name for spec in specs]
