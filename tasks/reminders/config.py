"""What a sweep is told from outside (calendar, links, bounds, the wall clock) and what it reports back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.planfile import OfficeHours
from tasks.calendar.clock import VN_TZ
from tasks.calendar.workdays import WorkCalendar

SessionMaker = Callable[[], Any]  # a sessionmaker whose sessions are context managers


def wall_clock() -> dt.datetime:
    """The real time, for leases only: a sweep's `now` may be a replayed moment, a lease never is."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class SweepConfig:
    calendar: WorkCalendar
    dashboard_url: str
    locale: str = "vi"
    concurrency: int = 20
    max_attempts: int = 5
    backoff: dt.timedelta = dt.timedelta(minutes=5)
    lease: dt.timedelta = dt.timedelta(minutes=5)
    horizon_days: int = 31
    support_lead_workdays: int = 3
    # Where the office digest's CSV is written (one folder per plan); None sends the digest without it.
    attachments_dir: Path | None = None
    clock: Callable[[], dt.datetime] = field(default=wall_clock)


@dataclass
class SweepReport:
    now: dt.datetime
    body: str | None
    created_occurrences: int = 0
    queued: int = 0
    digests: int = 0
    sent: int = 0
    partial: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    lines: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """What the sweep did, as plain data: the CLI's `--json` and the Prefect task's result (Vietnam time)."""
        return {
            "as_of": self.now.astimezone(VN_TZ).isoformat(),
            "body": self.body,
            "created_occurrences": self.created_occurrences,
            "queued": self.queued,
            "digests": self.digests,
            "sent": self.sent,
            "partial": self.partial,
            "retrying": self.retrying,
            "failed": self.failed,
            "held": self.held,
            "messages": self.lines,
        }


def office_window(now: dt.datetime, calendar: WorkCalendar, hours: OfficeHours) -> dt.datetime:
    """`now` if it falls in office hours on a working day, else the start of the next such window."""
    local = now.astimezone(VN_TZ)
    if calendar.is_working_day(local.date()) and hours.start <= local.time() < hours.end:
        return now
    day = local.date()
    if not calendar.is_working_day(day) or local.time() >= hours.end:
        day = calendar.add_workdays(day, 1)  # the next working day, from a day off or after hours
    return dt.datetime.combine(day, hours.start, tzinfo=VN_TZ).astimezone(dt.UTC)
