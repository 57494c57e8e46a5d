"""One account per commune: a commune's focal point sees and submits only its commune's occurrences; the commune
body's people see every commune, with a commune filter on the desk; `make run` makes an account per commune."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import Person
from models.duty import Occurrence
from models.plan import Body, Plan, Unit
from tasks.people.demo_accounts import ensure_demo_accounts
from tests.web_support import WEB_NOW, make_app, signed_in


def _owed(db: Session, unit_code: str) -> Occurrence:
    found = db.scalars(
        select(Occurrence)
        .join(Unit, Unit.id == Occurrence.unit_id)
        .where(Unit.code == unit_code, Occurrence.status == "open", Occurrence.due_on < WEB_NOW.date())
        .order_by(Occurrence.due_on, Occurrence.id)
    ).first()
    db.commit()
    assert found is not None, unit_code
    return found


def test_a_commune_focal_point_sees_and_submits_only_its_commune(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    mine, theirs = _owed(db, "xa-ham-giang"), _owed(db, "xa-kim-son")
    commune = signed_in(app, "hamgiang-focal")
    desk = commune.client.get("/my").text
    assert "Hàm Giang" in desk and "Kim Sơn" not in desk
    assert commune.client.get(f"/occurrences/{mine.id}").status_code == 200
    assert commune.client.get(f"/occurrences/{theirs.id}").status_code == 403
    assert commune.client.get(f"/api/v1/occurrences/{theirs.id}").status_code == 403
    assert commune.post(f"/occurrences/{theirs.id}/submit", {"note": "x"}).status_code == 403
    assert commune.post(f"/occurrences/{mine.id}/submit", {"note": "xong"}).status_code == 303
    units = {row["unit_code"] for row in commune.client.get("/api/v1/my/duties").json()}
    assert units == {"xa-ham-giang"}
    body = db.scalars(select(Body).where(Body.code == "ubnd-xa")).one()
    db.commit()
    assert commune.client.get(f"/bodies/{body.id}").status_code == 403  # the whole body is not theirs


def test_the_commune_body_head_filters_its_desk_by_commune(database_url: str, db: Session, people: None) -> None:
    head = signed_in(make_app(database_url), "xa-focal")
    everything = head.client.get("/my").text
    assert "Hàm Giang" in everything and "Kim Sơn" in everything and 'name="unit"' in everything
    one = head.client.get("/my", params={"unit": "xa-kim-son"}).text
    assert "Kim Sơn" in one and "Xã Hàm Giang</td>" not in one


def test_the_demo_makes_an_account_for_every_commune(db: Session, people: None) -> None:
    plan = db.scalars(select(Plan)).one()
    created = ensure_demo_accounts(db, plan=plan, now=WEB_NOW)
    db.commit()
    units = db.scalars(select(Unit).join(Body).where(Body.code == "ubnd-xa", Unit.active)).all()
    logins = {login for login, _, _ in created}
    assert {f"dm-{u.code}" for u in units} <= logins and len(units) == 17
    person = db.scalars(select(Person).where(Person.login == "dm-xa-ham-giang")).one()
    assert person.unit_id is not None and person.role == "focal"
    db.commit()
