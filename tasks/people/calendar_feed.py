"""Due dates as an iCalendar feed (one all-day event per occurrence), for a body or a person's calendar."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, joinedload

from models.duty import Occurrence
from tasks.duties.statuses import Status

FEED_PAST_DAYS = 120
FEED_FUTURE_DAYS = 400


def occurrences_for_feed(session: Session, *, owned: ColumnElement[bool] | None, today: dt.date) -> list[Occurrence]:
    """What belongs in a calendar: the occurrences due in a window around today that are `owned` (a body's, a
    person's scope in every plan; None for every body's)."""
    query = (
        select(Occurrence)
        .options(joinedload(Occurrence.duty), joinedload(Occurrence.body), joinedload(Occurrence.unit))
        .where(
            Occurrence.due_on >= today - dt.timedelta(days=FEED_PAST_DAYS),
            Occurrence.due_on <= today + dt.timedelta(days=FEED_FUTURE_DAYS),
            Occurrence.status != Status.NOT_APPLICABLE.value,
        )
        .order_by(Occurrence.due_on, Occurrence.id)
    )
    if owned is not None:
        query = query.where(owned)
    return list(session.scalars(query).unique())


def build_feed(
    occurrences: list[Occurrence],
    *,
    name: str,
    dashboard_url: str,
    now: dt.datetime,
    labels: dict[str, str],
) -> bytes:
    """An ICS file; `labels` holds the translated words ("due", status names) so the text is the user's language."""
    calendar = Calendar()
    calendar.add("prodid", "-//dutyflow//dutyflow//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    base = dashboard_url.rstrip("/")
    for occ in occurrences:
        event = Event()
        owner = occ.unit.name if occ.unit else occ.body.short_name or occ.body.name
        text = occ.duty.text if len(occ.duty.text) <= 90 else occ.duty.text[:89].rstrip() + "…"
        event.add("uid", f"occurrence-{occ.id}@dutyflow")
        event.add("dtstamp", now)
        event.add("dtstart", occ.due_on)
        event.add("dtend", occ.due_on + dt.timedelta(days=1))
        event.add("summary", f"{labels['due']}: {text} ({owner}, {occ.period})")
        event.add("description", f"{occ.duty.text}\n{labels['status']}: {labels['status.' + occ.status]}")
        event.add("url", f"{base}/occurrences/{occ.id}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
