"""Deployment entrypoint: each morning, make sure every loaded plan's occurrences exist for the horizon."""

from __future__ import annotations

import datetime as dt

from prefect import flow, task
from sqlalchemy import select

from dutyflow import runtime
from dutyflow.settings import get_settings
from models.plan import Plan
from tasks.clock import local_date
from tasks.occurrences import generate_occurrences


@task(retries=2, retry_delay_seconds=30)
def generate_for_all_plans(now: dt.datetime) -> dict[str, int]:
    """Occurrences for every plan whose periods begin within the horizon; returns created per plan."""
    settings = get_settings()
    through = local_date(now) + dt.timedelta(days=settings.horizon_days)
    created: dict[str, int] = {}
    with runtime.transaction(settings) as session:
        for plan in session.scalars(select(Plan).order_by(Plan.code)):
            result = generate_occurrences(
                session,
                plan=plan,
                calendar=runtime.work_calendar(settings),
                through=min(through, plan.effective_to),
                now=now,
                support_lead_workdays=settings.support_lead_workdays,
            )
            created[plan.code] = result.created
    return created


@flow(name="generate-occurrences", log_prints=True)
def generate_occurrences_flow() -> dict[str, int]:
    now = runtime.utc_now()  # the clock is read once, here
    created = generate_for_all_plans(now)
    print(f"Occurrences created: {created}")
    return created
