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
