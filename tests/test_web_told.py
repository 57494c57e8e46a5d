"""The occurrence page says who was told: every message that named it, digests included, in Vietnam time."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Occurrence

from .test_sweep import at, run
from .web_support import make_app, signed_in


def test_the_occurrence_page_lists_the_digests_that_named_it_with_each_address(
    database_url: str, db: Session, engine: Engine, people: None
) -> None:
    for day in (21, 23, 27):
        run(engine, at(2023, 6, day), body="tuphap")
    run(engine, at(2023, 7, 4), body="tuphap")  # five working days after the last rung: a digest
    occurrence = db.scalars(select(Occurrence).where(Occurrence.key == "tuphap-1/2023-H1/tuphap")).one()
    db.commit()
    office = signed_in(make_app(database_url), "office")
    page = office.client.get(f"/occurrences/{occurrence.id}").text
    assert page.count("tổng hợp việc quá hạn") == 2  # to the focal point and to the head
    assert "báo quá hạn lần 3" in page and "Tăng Thị Thắm" in page
    assert "08:00 04/07/2023" in page and "inbox://tuphap-head" in page
