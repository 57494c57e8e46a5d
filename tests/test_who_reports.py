"""Who may report what: each target names the body that reports it (the plan file says, or marks it assumed);
a focal point reports only its own body's targets, the commune body only its communes' figures, the office any."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import IndicatorValue, Plan, Target
from models.plan import Body
from tasks.reports.tables import import_table
from tests.test_reports import AFTER_H1
from tests.web_support import make_app, signed_in


def _report(who: object, target: str, scope: str = "-") -> int:
    data = {"target": target, "scope": scope, "period": "2023-H1", "value": "1"}
    return int(who.post("/indicators/report", data).status_code)  # type: ignore[attr-defined]


def _api(who: object, target: str, scope: str = "-") -> int:
    client, csrf = who.client, who.csrf  # type: ignore[attr-defined]
    body = {"target": target, "scope": scope, "period": "2023-H1", "value": "1"}
    return int(client.post("/api/v1/indicators/values", json=body, headers={"X-CSRF-Token": csrf}).status_code)


def test_every_seed_target_names_its_reporting_body(db: Session, people: None) -> None:
    rows = db.execute(select(Target.code, Body.code, Target.body_assumed).join(Body, Body.id == Target.body_id)).all()
    db.commit()
    reporters = {code: (body, assumed) for code, body, assumed in rows}
    assert len(reporters) == 12
    assert reporters["poverty-rate-reduction"] == ("ldtbxh", False)
    assert reporters["health-insurance-cards"] == ("bhxh", False)
    assert reporters["regular-employment"] == ("ldtbxh", True)  # the document does not say: the lead body, assumed


def test_a_focal_point_reports_only_its_own_body_targets(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    yte = signed_in(app, "yte-focal")
    assert _report(yte, "poverty-rate-reduction") == 403
    assert _api(yte, "poverty-rate-reduction") == 403
    assert "poverty-rate-reduction" not in yte.client.get("/indicators/report").text
    assert db.scalar(select(func.count()).select_from(IndicatorValue)) == 0
    db.commit()
    ldtbxh = signed_in(app, "ldtbxh-focal")
    assert _report(ldtbxh, "poverty-rate-reduction") == 303
    assert _api(ldtbxh, "jobs-created") in (200, 201)
    assert _report(ldtbxh, "health-insurance-cards") == 403
    office = signed_in(app, "office")
    assert _report(office, "health-insurance-cards") == 303
    assert db.scalar(select(func.count()).select_from(IndicatorValue)) == 3
    db.commit()


def test_the_commune_body_reports_its_communes_allocated_figures_only(
    database_url: str, db: Session, people: None, tmp_path: Path
) -> None:
    annex = tmp_path / "phan-giao.csv"
    annex.write_text("target,unit,value\njobs-created,tt-tra-cu,200\n", encoding="utf-8")
    plan = db.scalars(select(Plan)).one()
    import_table(db, plan=plan, path=annex, by="office", now=AFTER_H1, allocations=True)
    db.commit()
    commune = signed_in(make_app(database_url), "xa-focal")
    assert _report(commune, "jobs-created", "tt-tra-cu") == 303
    assert _report(commune, "jobs-created", "-") == 403  # not the district's figure
    assert _report(commune, "poverty-rate-reduction", "tt-tra-cu") == 403
    values = db.scalars(select(IndicatorValue)).all()
    db.commit()
    assert len(values) == 1
