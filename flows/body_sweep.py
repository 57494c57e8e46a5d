"""Deployment entrypoint: each working-day morning, one body's reminders and escalations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.artifacts import create_table_artifact

from dutyflow import runtime
from dutyflow.i18n import t
from dutyflow.settings import get_settings
from flows.sweep_task import run_sweep
from reports import labels
from tasks.calendar.clock import VN_TZ, read_moment


def record_artifact(summary: dict[str, Any], key: str) -> None:
    """A table of what the run sent and to whom, in words and Vietnam time, readable in the Prefect UI."""
    rows = [
        {
            t("sweep.col.step"): labels.step_name(m["step"]),
            t("sweep.col.recipient"): m["recipient"],
            t("sweep.col.channels"): ", ".join(m["channels"]),
            t("sweep.col.result"): labels.delivery_status(m["status"]),
            t("sweep.col.subject"): m["subject"],
        }
        for m in summary.get("messages", [])
    ]
    when = dt.datetime.fromisoformat(summary["as_of"]).astimezone(VN_TZ)
    counts = ("queued", "digests", "sent", "partial", "retrying", "failed", "held")
    description = summary.get("skipped") or t(
        "sweep.artifact",
        body=summary.get("body") or t("sweep.all_bodies"),
        when=f"{when:%H:%M %d/%m/%Y}",
        **{name: summary.get(name, 0) for name in counts},
    )
    empty = dict.fromkeys([t(f"sweep.col.{c}") for c in ("step", "recipient", "channels", "result")], "-")
    create_table_artifact(
        key=key, table=rows or [{**empty, t("sweep.col.subject"): description}], description=description
    )


def moment(as_of: str | None) -> dt.datetime:
    """`as_of` replays a moment (Vietnam time unless it carries an offset); by default the clock, read once (on
    a demo database, its simulated day at this time of day, as the dashboard and the CLI take it)."""
    return read_moment(as_of) if as_of else runtime.business_now(get_settings())


@flow(name="body-sweep", retries=1, retry_delay_seconds=120, log_prints=True)
def body_sweep(body_code: str, as_of: str | None = None) -> dict[str, Any]:
    """`as_of` (ISO, with offset) replays a moment; by default the clock is read once, here."""
    summary = run_sweep(body_code, moment(as_of))
    record_artifact(summary, key=f"sweep-{body_code}")
    print(summary.get("skipped") or f"{body_code}: sent {summary['sent']}, failed {summary['failed']}")
    return summary
