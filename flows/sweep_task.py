"""The sweep as one Prefect task (a task per message would cost ~10 ms each), with retries declared here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import task

from dutyflow import runtime
from dutyflow.i18n import t
from dutyflow.settings import get_settings
from models.db import session_factory
from tasks.calendar.clock import VN_TZ, local_date
from tasks.reminders.sweep import sweep


def run_name() -> str:
    """The task run's name in words and Vietnam time, e.g. "Quét nhắc việc ldtbxh lúc 07:30 03/07/2023"."""
    from prefect.runtime import task_run

    parameters = task_run.parameters
    when = parameters["now"].astimezone(VN_TZ)
    return t("sweep.run_name", body=parameters.get("body_code") or t("sweep.all_bodies"), when=f"{when:%H:%M %d/%m/%Y}")


@task(retries=2, retry_delay_seconds=60, task_run_name=run_name)
def run_sweep(body_code: str | None, now: dt.datetime) -> dict[str, Any]:
    """Sweep one body (or all, when `body_code` is None) at `now`; a summary with every message sent."""
    settings = get_settings()
    if not runtime.work_calendar(settings).is_working_day(local_date(now)):
        skipped = t("sweep.skipped", day=f"{local_date(now):%d/%m/%Y}")
        return {"skipped": skipped, "as_of": now.astimezone(VN_TZ).isoformat(), "body": body_code, "messages": []}
    engine = runtime.database(settings)
    with session_factory(engine)() as session:
        book = runtime.channel_book(settings, session)
    report = sweep(
        session_factory(engine),
        now=now,
        book=book,
        config=runtime.sweep_config(settings),
        worker=runtime.worker_id(),
        body_code=body_code,
    )
    return report.summary()
