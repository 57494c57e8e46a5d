"""With several plans loaded: indicator values reported for the plan chosen, by those who answer for a body or a
commune in it, and a body's calendar feed across plans."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.access import Person
from models.plan import Body, Plan, Unit
from tasks.duties.views import current_plan
from tests.test_web_plan_accounts import FIRST_PLAN, two_plans
from tests.web_support import SECOND_PLAN, WEB_NOW, make_app, overdue_occurrence, signed_in

__all__ = ["two_plans"]  # the fixture, shared with tests/test_web_plan_accounts.py


def _values_by_plan(db: Session) -> dict[str, int]:
    from models import IndicatorValue

    rows = db.execute(
        select(Plan.code, func.count()).join(IndicatorValue, IndicatorValue.plan_id == Plan.id).group_by(Plan.code)
    ).all()
    db.commit()
    return {code: count for code, count in rows}


def test_a_focal_point_reports_an_indicator_value_for_either_plan(
    database_url: str, db: Session, two_plans: None
) -> None:
    """The value form and the API report for the plan chosen, not only for the plan loaded last."""
    app = make_app(database_url)
    ldtbxh = signed_in(app, "ldtbxh-focal")
    form = ldtbxh.client.get(f"/indicators/report?plan={FIRST_PLAN}").text
    assert f'<option value="{FIRST_PLAN}" selected>' in form and f'<option value="{SECOND_PLAN}"' in form
    assert f'name="plan" value="{FIRST_PLAN}"' in form  # the post names the plan shown
    data = {"target": "poverty-rate-reduction", "scope": "-", "period": "2023-H1", "value": "1"}
    answer = ldtbxh.post("/indicators/report", {**data, "plan": FIRST_PLAN})
    assert answer.status_code == 303 and answer.headers["location"] == f"/indicators/report?plan={FIRST_PLAN}"
    assert _values_by_plan(db) == {FIRST_PLAN: 1}
    latest = current_plan(db)
    assert latest is not None and latest.code in (FIRST_PLAN, SECOND_PLAN)
    db.commit()
    # no plan named: the plan loaded last, as before; then the other one, named
    other = SECOND_PLAN if latest.code == FIRST_PLAN else FIRST_PLAN
    assert ldtbxh.post("/indicators/report", data).status_code == 303
    assert ldtbxh.post("/indicators/report", {**data, "plan": other, "period": "2023-Q1"}).status_code == 303
    counts = _values_by_plan(db)
    assert counts == {FIRST_PLAN: 2, SECOND_PLAN: 1} if latest.code == FIRST_PLAN else {FIRST_PLAN: 1, SECOND_PLAN: 2}
    first_before = counts[FIRST_PLAN]
    api = ldtbxh.client.post(
        "/api/v1/indicators/values",
        json={**data, "target": "jobs-created", "plan": FIRST_PLAN},
        headers={"X-CSRF-Token": ldtbxh.csrf},
    )
    assert api.status_code == 201, api.text
    assert _values_by_plan(db)[FIRST_PLAN] == first_before + 1
    assert ldtbxh.client.get("/indicators/report?plan=no-such-plan").status_code == 404
    assert ldtbxh.post("/indicators/report", {**data, "plan": "no-such-plan"}).status_code == 404
    office = signed_in(app, "office")
    page = office.client.get(f"/indicators?plan={FIRST_PLAN}&period=2023-H1").text
    assert f'<option value="{FIRST_PLAN}" selected>' in page
    figures = office.client.get(f"/api/v1/indicators?period=2023-H1&plan={FIRST_PLAN}").json()
    assert figures and office.client.get("/trends?plan=no-such-plan").status_code == 404
    assert f'<option value="{FIRST_PLAN}" selected>' in office.client.get(f"/trends?plan={FIRST_PLAN}").text


def test_a_plan_without_the_focal_point_body_is_refused(database_url: str, db: Session, two_plans: None) -> None:
    from tasks.desk.values import plans_to_report, reporting_plan
    from tasks.people.access import Forbidden

    yte = db.scalars(select(Person).where(Person.login == "yte-focal")).one()
    in_second = select(Plan.id).where(Plan.code == SECOND_PLAN)
    db.execute(update(Body).where(Body.code == "yte", Body.plan_id.in_(in_second)).values(code="yte-other"))
    db.flush()
    assert [p.code for p in plans_to_report(db, yte)] == [FIRST_PLAN]
    with pytest.raises(Forbidden):
        reporting_plan(plans_to_report(db, yte), SECOND_PLAN)
    db.rollback()


def test_a_body_calendar_feed_holds_the_body_in_both_plans(database_url: str, db: Session, two_plans: None) -> None:
    """A feed issued for a body (not a person) is of the office, as a person's is: its body code in every plan."""
    from tasks.people.accounts import issue_token

    body = db.scalars(select(Body).join(Plan).where(Body.code == "yte", Plan.code == FIRST_PLAN)).one()
    _, secret = issue_token(db, kind="calendar", now=WEB_NOW, actor="test", body=body)
    db.commit()
    feed = signed_in(make_app(database_url), None).client.get(f"/calendar/{secret}.ics").text
    for plan in (FIRST_PLAN, SECOND_PLAN):
        assert f"occurrence-{overdue_occurrence(db, 'yte', plan=plan).id}@dutyflow" in feed
    assert f"occurrence-{overdue_occurrence(db, 'ldtbxh', plan=FIRST_PLAN).id}@dutyflow" not in feed


def test_a_commune_inactive_in_a_plan_reports_nothing_there(db: Session, two_plans: None) -> None:
    """A commune's people never fall back to the district's figures: not in a plan where their commune is no
    longer active, whose plan is not theirs to report for at all."""
    from tasks.desk.values import plans_to_report, reporting_plan, scopes_for
    from tasks.people.access import Forbidden

    person = db.scalars(select(Person).where(Person.unit_id.is_not(None))).first()
    assert person is not None and person.unit is not None
    commune = person.unit.code
    second = db.scalars(select(Plan).where(Plan.code == SECOND_PLAN)).one()
    in_second = select(Body.id).where(Body.plan_id == second.id)
    db.execute(update(Unit).where(Unit.code == commune, Unit.body_id.in_(in_second)).values(active=False))
    db.flush()
    assert [p.code for p in plans_to_report(db, person)] == [FIRST_PLAN]
    assert scopes_for(db, person, second) == []
    with pytest.raises(Forbidden):
        reporting_plan(plans_to_report(db, person), SECOND_PLAN)
    db.rollback()
