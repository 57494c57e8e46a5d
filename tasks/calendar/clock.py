"""Local time for Vietnamese offices: the date a UTC moment falls on, and the end of a local day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_date(moment: dt.datetime, tz: ZoneInfo = VN_TZ) -> dt.date:
    return moment.astimezone(tz).date()


def end_of_local_day(day: dt.date, tz: ZoneInfo = VN_TZ) -> dt.datetime:
    """The last instant of `day` in local time, as aware UTC."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=tz).astimezone(dt.UTC)


def read_moment(text: str, tz: ZoneInfo = VN_TZ) -> dt.datetime:
    """A moment as people and schedules write it, as aware UTC: `2023-07-03T08:00` is Vietnam time unless an
    offset is given (`...+00:00`, `...Z`); a bare date means 08:00 that day. The one reading for the command
    line, flow parameters and the API. Raises ValueError for anything else."""
    cleaned = text.strip()
    moment = dt.datetime.fromisoformat(cleaned)
    if len(cleaned) == 10:
        moment = moment.replace(hour=8)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(dt.UTC)


def on_day(day: dt.date, wall: dt.datetime, tz: ZoneInfo = VN_TZ) -> dt.datetime:
    """`day` at the wall clock's time of day: a demo's moment, where its simulated history stops."""
    return dt.datetime.combine(day, wall.astimezone(tz).time(), tzinfo=tz).astimezone(dt.UTC)
