"""Deployment entrypoint: every body's sweep in one run (a manual catch-up, or a single daily schedule)."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.body_sweep import moment, record_artifact
from flows.sweep_task import run_sweep


@flow(name="sweep-all", retries=1, retry_delay_seconds=120, log_prints=True)
def sweep_all(as_of: str | None = None) -> dict[str, Any]:
    summary = run_sweep(None, moment(as_of))
    record_artifact(summary, key="sweep-all")
    print(summary.get("skipped") or f"all bodies: sent {summary['sent']}, failed {summary['failed']}")
    return summary
