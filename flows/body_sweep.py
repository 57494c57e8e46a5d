"""Deployment entrypoint: each working-day morning, one body's reminders and escalations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.artifacts import create_table_artifact

from dutyflow import runtime
from flows.sweep_task import run_sweep


def record_artifact(summary: dict[str, Any], key: str) -> None:
    """A table of what the run sent and to whom, readable in the Prefect UI."""
    rows = [
        {
            "bước": m["step"],
            "người nhận": m["recipient"],
            "kênh": ", ".join(m["channels"]),
            "kết quả": m["status"],
            "tiêu đề": m["subject"],
        }
        for m in summary.get("messages", [])
    ]
    description = (
        f"Lượt quét {summary['as_of']}: đã gửi {summary.get('sent', 0)}, gửi lại sau "
        f"{summary.get('retrying', 0)}, thất bại {summary.get('failed', 0)}, chờ giờ hành chính "
        f"{summary.get('held', 0)}"
        if "skipped" not in summary
        else f"Bỏ qua: {summary['skipped']}"
    )
    create_table_artifact(
        key=key,
        table=rows or [{"bước": "-", "người nhận": "-", "kênh": "-", "kết quả": "-", "tiêu đề": description}],
        description=description,
    )


def moment(as_of: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(as_of).astimezone(dt.UTC) if as_of else runtime.utc_now()


@flow(name="body-sweep", retries=1, retry_delay_seconds=120, log_prints=True)
def body_sweep(body_code: str, as_of: str | None = None) -> dict[str, Any]:
    """`as_of` (ISO, with offset) replays a moment; by default the clock is read once, here."""
    summary = run_sweep(body_code, moment(as_of))
    record_artifact(summary, key=f"sweep-{body_code}")
    print(summary.get("skipped") or f"{body_code}: sent {summary['sent']}, failed {summary['failed']}")
    return summary
