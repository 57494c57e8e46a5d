"""On time over time: per body and quarter, the occurrences due, done on time, done late, still overdue; a
ranking and a trend that equal a recount straight from the database (statuses and their history)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.duty import Occurrence, StatusEvent
from models.plan import Body
from tests.web_support import WEB_NOW, make_app, signed_in

DONE = ("submitted", "accepted")
APART = ("waived", "suspended", "not_applicable")


def recount(db: Session, today: dt.date) -> dict[tuple[str, str], Counter[str]]:
    """(body, quarter) -> on_time/late/overdue, from the occurrences and their first submission, as of today."""
    db.expire_all()  # what the app wrote since, not the objects this session read before
    first: dict[int, dt.date] = {}
    for occurrence_id, at in db.execute(
        select(StatusEvent.occurrence_id, StatusEvent.at)
        .where(StatusEvent.to_status.in_(DONE))
        .order_by(StatusEvent.at)
    ):
        first.setdefault(occurrence_id, (at + dt.timedelta(hours=7)).date())  # the day in Vietnam
    found: dict[tuple[str, str], Counter[str]] = {}
    for occurrence, body in db.execute(select(Occurrence, Body.code).join(Body, Body.id == Occurrence.body_id)):
        if occurrence.due_on > today or occurrence.status in APART:
            continue
        quarter = f"{occurrence.due_on.year}-Q{(occurrence.due_on.month - 1) // 3 + 1}"
        done = first.get(occurrence.id)
        if occurrence.status in DONE and done is not None and done <= today:
            kind = "on_time" if done <= occurrence.due_on else "late"
        else:
            kind = "overdue"
        found.setdefault((body, quarter), Counter())[kind] += 1
    db.commit()
    return found


def test_the_trend_and_ranking_equal_a_recount(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "ldtbxh-focal")
    owed = db.scalars(
        select(Occurrence)
        .join(Body, Body.id == Occurrence.body_id)
        .where(Body.code == "ldtbxh", Occurrence.status == "open", Occurrence.due_on < WEB_NOW.date())
    ).all()
    db.commit()
    for occurrence in owed[:2]:  # two late completions for LĐTBXH
        assert focal.post(f"/occurrences/{occurrence.id}/submit", {"note": "muộn"}).status_code == 303
    office = signed_in(app, "office")
    api = office.client.get("/api/v1/trends").json()
    expected = recount(db, WEB_NOW.date())
    got = {
        (body, quarter): Counter({k: r[k] for k in ("on_time", "late", "overdue") if r[k]})
        for body, records in api["bodies"].items()
        for quarter, r in records.items()
    }
    assert got == {key: +counts for key, counts in expected.items()}
    assert got[("ldtbxh", f"{owed[0].due_on.year}-Q{(owed[0].due_on.month - 1) // 3 + 1}")]["late"] >= 1
    totals: dict[str, Counter[str]] = {}
    for (body, _), counts in expected.items():
        totals.setdefault(body, Counter()).update(counts)
    rates = {body: c["on_time"] / sum(c.values()) * 100 for body, c in totals.items()}
    ranked = [r["body"] for r in api["ranking"]]
    assert [round(rates[b], 1) for b in ranked] == sorted((round(v, 1) for v in rates.values()), reverse=True)
    plan_by_quarter = {q: r["rate"] for q, r in api["plan"].items()}
    for quarter, rate in plan_by_quarter.items():
        counts = sum((c for (_, q), c in expected.items() if q == quarter), Counter())
        assert rate == round(counts["on_time"] / sum(counts.values()) * 100, 1), quarter
    page = office.client.get("/trends").text
    assert "<svg" in page and "<script" not in page
    assert re.findall(r'<tr data-body="([^"]+)"', page) == ranked
