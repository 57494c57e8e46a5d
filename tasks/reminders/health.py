"""Whether the sweeps ran: for each body, its last sweep (when, for what moment, what it queued and sent) and
its next one, from the schedules the deployments carry (a daily cron in Vietnam time; the flow skips days off)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.outbox import SweepRun
from models.plan import Body, Plan
from tasks.calendar.clock import VN_TZ, local_date
from tasks.calendar.workdays import WorkCalendar

ALL_BODIES = ""  # the key of the sweep of every body (and the office's digest)


@dataclass(frozen=True)
class SweepHealth:
    body_code: str  # ALL_BODIES for the sweep of all
    body_name: str
    last: SweepRun | None
    next_run: dt.datetime | None
    ran_today: bool


def daily_times(deployments: list[dict[str, Any]]) -> dict[str, dt.time]:
    """body code (ALL_BODIES for sweep-all) -> the time of day its deployment runs, for daily crons "M H * * *"
    in Vietnam time; other schedules are not guessed at."""
    found: dict[str, dt.time] = {}
    for deployment in deployments:
        entry = str(deployment.get("entrypoint", ""))
        if "sweep" not in entry:
            continue
        code = str((deployment.get("parameters") or {}).get("body_code") or ALL_BODIES)
        for schedule in deployment.get("schedules") or []:
            fields = str(schedule.get("cron", "")).split()
            if len(fields) == 5 and fields[2:] == ["*", "*", "*"] and fields[0].isdigit() and fields[1].isdigit():
                found[code] = dt.time(int(fields[1]), int(fields[0]))
    return found


def next_run(at: dt.time, *, wall: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """The next working day's run at `at` (Vietnam time) after the wall clock."""
    day = local_date(wall)
    while True:
        moment = dt.datetime.combine(day, at, tzinfo=VN_TZ)
        if moment > wall and calendar.is_working_day(day):
            return moment
        day += dt.timedelta(days=1)


def sweep_health(
    session: Session, *, plan: Plan, wall: dt.datetime, calendar: WorkCalendar, times: dict[str, dt.time]
) -> list[SweepHealth]:
    """The sweep of all bodies first, then each body in the plan's order."""
    latest = select(SweepRun.body_code, func.max(SweepRun.id).label("id")).group_by(SweepRun.body_code).subquery()
    runs = {
        run.body_code or ALL_BODIES: run
        for run in session.scalars(select(SweepRun).join(latest, SweepRun.id == latest.c.id))
    }
    today = local_date(wall)
    bodies = [(ALL_BODIES, "")] + [
        (b.code, b.short_name or b.name)
        for b in session.scalars(select(Body).where(Body.plan_id == plan.id).order_by(Body.order))
    ]
    every = runs.get(ALL_BODIES)
    found = []
    for code, name in bodies:
        # A sweep of all bodies sweeps each of them too: a body's last sweep is the later of the two.
        own = runs.get(code)
        last = max((r for r in (own, every) if r is not None), key=lambda r: r.finished_at, default=None)
        found.append(
            SweepHealth(
                body_code=code,
                body_name=name,
                last=last,
                next_run=next_run(times[code], wall=wall, calendar=calendar) if code in times else None,
                ran_today=last is not None and local_date(last.finished_at) == today,
            )
        )
    return found
