"""A body's people answer for their body in every plan that has a body of its code (and a commune's people for
their commune), not only in the plan their account was made in; never for another body in any plan."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models.access import Acknowledgement, Person
from models.duty import Occurrence
from models.outbox import OutboxMessage
from models.plan import Body, Plan, Unit
from models.planfile import PlanFile
from tasks.calendar.workdays import WorkCalendar
from tasks.people.accounts import Role, add_person
from tasks.people.demo_accounts import ensure_demo_accounts
from tests.test_sweep import at, run
from tests.web_support import (
    PASSWORD,
    SECOND_PLAN,
    WEB_NOW,
    load_second_plan,
    make_app,
    overdue_occurrence,
    signed_in,
)

FIRST_PLAN = "tra-cu-2023"


@pytest.fixture
def two_plans(db: Session, people: None, seed_plan: PlanFile, calendar: WorkCalendar) -> None:
    """The people of tests/web_support.py, made on the seed plan; then a second plan with the same body codes."""
    load_second_plan(db, seed_plan, calendar)


def _body_id(db: Session, code: str, plan: str) -> int:
    found = db.scalars(select(Body.id).join(Plan).where(Body.code == code, Plan.code == plan)).one()
    db.commit()
    return found


def _unit_occurrence(db: Session, unit: str, plan: str) -> Occurrence:
    found = db.scalars(
        select(Occurrence)
        .join(Unit, Unit.id == Occurrence.unit_id)
        .join(Plan, Plan.id == Occurrence.plan_id)
        .where(Unit.code == unit, Plan.code == plan, Occurrence.status == "open", Occurrence.due_on < WEB_NOW.date())
        .order_by(Occurrence.due_on, Occurrence.id)
    ).first()
    db.commit()
    assert found is not None, (unit, plan)
    return found


def _status(db: Session, occurrence_id: int) -> str:
    status = db.scalars(select(Occurrence.status).where(Occurrence.id == occurrence_id)).one()
    db.commit()
    return status


def test_the_account_is_tied_to_the_first_plan_only_as_its_anchor(db: Session, two_plans: None) -> None:
    person = db.scalars(select(Person).where(Person.login == "yte-focal")).one()
    assert person.body is not None and person.body.plan.code == FIRST_PLAN
    db.commit()


def test_a_focal_point_desk_lists_its_body_in_both_plans_and_no_other_body(
    database_url: str, db: Session, two_plans: None
) -> None:
    focal = signed_in(make_app(database_url), "yte-focal")
    rows = focal.client.get("/api/v1/my/duties").json()
    assert {r["plan"] for r in rows} == {FIRST_PLAN, SECOND_PLAN}
    assert {r["body_code"] for r in rows} == {"yte"}
    first = [r for r in rows if r["plan"] == FIRST_PLAN]
    assert len(first) * 2 == len(rows)  # the same plan twice
    desk = focal.client.get("/my").text
    assert f'<td class="plan">{SECOND_PLAN}</td>' in desk  # which plan each row is of
    for plan in (FIRST_PLAN, SECOND_PLAN):
        mine = overdue_occurrence(db, "yte", plan=plan)
        assert f'data-occurrence="{mine.id}"' in desk
    assert f'data-occurrence="{overdue_occurrence(db, "ldtbxh", plan=SECOND_PLAN).id}"' not in desk


@pytest.mark.parametrize("plan", [FIRST_PLAN, SECOND_PLAN])
def test_a_focal_point_opens_and_submits_its_body_occurrence_in_either_plan(
    database_url: str, db: Session, two_plans: None, plan: str
) -> None:
    mine = overdue_occurrence(db, "yte", plan=plan)
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    assert focal.client.get(f"/occurrences/{mine.id}").status_code == 200
    assert focal.client.get(f"/api/v1/occurrences/{mine.id}").json()["body_code"] == "yte"
    assert focal.post(f"/occurrences/{mine.id}/submit", {"note": "Đã gửi báo cáo."}).status_code == 303
    assert _status(db, mine.id) == "submitted"
    again = overdue_occurrence(db, "yte", plan=plan)
    answer = focal.client.post(
        f"/api/v1/occurrences/{again.id}/submit", data={"note": "Qua API."}, headers={"x-csrf-token": focal.csrf}
    )
    assert answer.status_code == 200, answer.text
    assert _status(db, again.id) == "submitted"
    body = _body_id(db, "yte", plan)
    assert focal.client.get(f"/bodies/{body}").status_code == 200
    assert focal.client.get(f"/api/v1/bodies/{body}/duties").status_code == 200


@pytest.mark.parametrize("plan", [FIRST_PLAN, SECOND_PLAN])
def test_a_focal_point_cannot_see_or_act_on_another_body_in_any_plan(
    database_url: str, db: Session, two_plans: None, plan: str
) -> None:
    theirs = overdue_occurrence(db, "ldtbxh", plan=plan)
    focal = signed_in(make_app(database_url), "yte-focal")
    assert focal.client.get(f"/occurrences/{theirs.id}").status_code == 403
    assert focal.client.get(f"/api/v1/occurrences/{theirs.id}").status_code == 403
    assert focal.post(f"/occurrences/{theirs.id}/submit", {"note": "x"}).status_code == 403
    assert focal.post(f"/occurrences/{theirs.id}/acknowledge").status_code == 403
    api = focal.client.post(
        f"/api/v1/occurrences/{theirs.id}/submit", data={"note": "x"}, headers={"x-csrf-token": focal.csrf}
    )
    assert api.status_code == 403
    assert _status(db, theirs.id) == "open"
    body = _body_id(db, "ldtbxh", plan)
    assert focal.client.get(f"/bodies/{body}").status_code == 403
    assert focal.client.get(f"/api/v1/bodies/{body}/duties").status_code == 403
    assert focal.client.get("/overdue").status_code == 403  # still no office view


def test_a_viewer_still_changes_nothing_in_either_plan(database_url: str, db: Session, two_plans: None) -> None:
    viewer = signed_in(make_app(database_url), "viewer")
    occurrence = overdue_occurrence(db, "yte", plan=SECOND_PLAN)
    assert viewer.post(f"/occurrences/{occurrence.id}/submit", {"note": "x"}).status_code == 403


def test_a_reminder_of_the_second_plan_is_acknowledged_by_the_body_focal_point(
    database_url: str, engine: Engine, db: Session, two_plans: None
) -> None:
    occurrence = overdue_occurrence(db, "yte", plan=SECOND_PLAN)
    run(engine, at(occurrence.due_on.year, occurrence.due_on.month, occurrence.due_on.day, 9))
    sent = db.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.occurrence_id == occurrence.id)
    )
    db.commit()
    assert sent
    focal = signed_in(make_app(database_url), "yte-focal")
    assert 'action="/occurrences/' in focal.client.get(f"/occurrences/{occurrence.id}").text
    page = focal.client.post(
        f"/occurrences/{occurrence.id}/acknowledge", data={"csrf": focal.csrf}, follow_redirects=True
    )
    assert "Đã xác nhận nhận" in page.text
    acks = db.scalar(select(func.count()).select_from(Acknowledgement))
    db.commit()
    assert acks
    other = signed_in(make_app(database_url), "ldtbxh-focal")
    assert other.post(f"/occurrences/{occurrence.id}/acknowledge").status_code == 403


def test_a_commune_focal_point_sees_its_commune_in_both_plans_and_no_other(
    database_url: str, db: Session, two_plans: None
) -> None:
    commune = signed_in(make_app(database_url), "hamgiang-focal")
    rows = commune.client.get("/api/v1/my/duties").json()
    assert {r["plan"] for r in rows} == {FIRST_PLAN, SECOND_PLAN}
    assert {r["unit_code"] for r in rows} == {"xa-ham-giang"}
    for plan in (FIRST_PLAN, SECOND_PLAN):
        mine, theirs = _unit_occurrence(db, "xa-ham-giang", plan), _unit_occurrence(db, "xa-kim-son", plan)
        assert commune.client.get(f"/occurrences/{mine.id}").status_code == 200
        assert commune.client.get(f"/occurrences/{theirs.id}").status_code == 403
        assert commune.post(f"/occurrences/{theirs.id}/submit", {"note": "x"}).status_code == 403
        assert commune.post(f"/occurrences/{mine.id}/submit", {"note": "xong"}).status_code == 303
        assert commune.client.get(f"/bodies/{_body_id(db, 'ubnd-xa', plan)}").status_code == 403


def test_the_commune_body_desk_offers_each_commune_once(database_url: str, db: Session, two_plans: None) -> None:
    head = signed_in(make_app(database_url), "xa-focal")
    desk = head.client.get("/my").text
    assert desk.count('<option value="xa-ham-giang"') == 1
    one = head.client.get("/my", params={"unit": "xa-kim-son"}).text
    for plan in (FIRST_PLAN, SECOND_PLAN):
        assert f'data-occurrence="{_unit_occurrence(db, "xa-kim-son", plan).id}"' in one
        assert f'data-occurrence="{_unit_occurrence(db, "xa-ham-giang", plan).id}"' not in one


def test_a_person_calendar_feed_holds_both_plans(database_url: str, db: Session, two_plans: None) -> None:
    focal = signed_in(make_app(database_url), "yte-focal")
    issued = focal.post("/calendar")
    assert issued.status_code == 303
    page = focal.client.get("/calendar").text
    address = page.split("http://testserver", 1)[1].split(".ics", 1)[0] + ".ics"
    feed = focal.client.get(address).text
    for plan in (FIRST_PLAN, SECOND_PLAN):
        assert f"occurrence-{overdue_occurrence(db, 'yte', plan=plan).id}@dutyflow" in feed
    assert f"occurrence-{overdue_occurrence(db, 'ldtbxh', plan=SECOND_PLAN).id}@dutyflow" not in feed


def test_an_account_for_a_body_code_in_two_plans_needs_no_plan(db: Session, two_plans: None) -> None:
    person = add_person(
        db, login="yte-2", name="Đầu mối Y tế 2", role=Role.FOCAL, body_code="yte", now=WEB_NOW, actor="test",
        password=PASSWORD,
    )  # fmt: skip
    assert person.body is not None and person.body.code == "yte"
    db.commit()


def test_the_demo_accounts_of_two_plans_answer_for_both(database_url: str, db: Session, two_plans: None) -> None:
    created: list[tuple[str, str, str]] = []
    for plan in db.scalars(select(Plan).order_by(Plan.loaded_at)).all():
        created += ensure_demo_accounts(db, plan=plan, now=WEB_NOW)
    db.commit()
    logins = [login for login, _, _ in created]
    assert len(logins) == len(set(logins)) and "dm-yte" in logins and "dm-xa-ham-giang" in logins
    passwords = {login: password for login, _, password in created}
    app = make_app(database_url)
    for login, field, code in (("dm-yte", "body_code", "yte"), ("dm-xa-ham-giang", "unit_code", "xa-ham-giang")):
        who = signed_in(app, login, passwords[login])
        rows = who.client.get("/api/v1/my/duties").json()
        assert {r["plan"] for r in rows} == {FIRST_PLAN, SECOND_PLAN}
        assert {r[field] for r in rows} == {code}
