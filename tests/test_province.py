"""Many plans side by side: plans loaded one after another keep their own bodies, one body code's sweep covers
every plan, and `dutyflow demo --province N` loads N plans of province shape (departments and about a hundred
communes and wards), once however often it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dutyflow.settings import get_settings
from flows.sweep_task import run_sweep
from models import Body, Occurrence, OutboxMessage, Plan, Unit
from models.access import Person
from tasks.calendar.workdays import WorkCalendar
from tasks.importing.province_sources import base_plans
from tasks.plans.communes import commune_units
from tasks.plans.province import MAX_PLANS, load_province_plans, make_province, province_plans
from tests.conftest import NOW, SEED_PLAN, Run
from tests.test_sweep import at, run
from tests.web_support import csrf_of, web_settings
from web.app import create_app


def _second_plan(tmp_path: Path) -> Path:
    """The seed plan under another code and number, as a second plan of the same office would be."""
    text = SEED_PLAN.read_text(encoding="utf-8")
    text = text.replace("code: tra-cu-2023\n", "code: tra-cu-2023-b\n").replace('"12/KH-UBND"', '"13/KH-UBND"')
    path = tmp_path / "tra-cu-2023-b.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _sent_per_plan(db: Session, body: str) -> dict[str, int]:
    rows = db.execute(
        select(Plan.code, func.count(OutboxMessage.id))
        .join(Body, Body.id == OutboxMessage.body_id)
        .join(Plan, Plan.id == Body.plan_id)
        .where(Body.code == body)
        .group_by(Plan.code)
    ).all()
    db.commit()
    return {code: count for code, count in rows}


def test_two_plans_loaded_side_by_side_keep_one_body_each_and_one_sweep_of_a_body_code_reminds_for_both_once(
    cli: Run, database_url: str, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (SEED_PLAN, _second_plan(tmp_path)):
        code, _out, err = cli("plan", "load", str(path), database_url=database_url)
        assert code == 0, err
    bodies = db.scalars(select(Plan.code).join(Body, Body.plan_id == Plan.id).where(Body.code == "tuphap")).all()
    db.commit()
    assert sorted(bodies) == ["tra-cu-2023", "tra-cu-2023-b"]
    monkeypatch.setenv("DUTYFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:  # the task each body's deployment runs, called as a plain function
        first = run_sweep.fn("tuphap", at(2023, 6, 13))
        again = run_sweep.fn("tuphap", at(2023, 6, 13))
    finally:
        get_settings.cache_clear()
    assert (first["queued"], first["sent"]) == (2, 2)  # the H1 report's 5-day reminder, once for each plan
    assert (again["queued"], again["sent"]) == (0, 0)
    assert _sent_per_plan(db, "tuphap") == {"tra-cu-2023": 1, "tra-cu-2023-b": 1}
    assert _sent_per_plan(db, "ldtbxh") == {}  # another body's sweep sends nothing for it


def test_communes_and_wards_have_vietnamese_names_distinct_codes_and_the_same_list_for_the_same_seed() -> None:
    units = commune_units(100, seed=7)
    assert len({u.code for u in units}) == 100
    assert {u.kind for u in units} == {"ward", "commune"}
    assert all(u.name.startswith(("Xã ", "Phường ")) for u in units)
    assert any(not u.name.isascii() for u in units)  # diacritics kept
    assert [u.name for u in units] == [u.name for u in commune_units(100, seed=7)]
    assert [u.name for u in units] != [u.name for u in commune_units(100, seed=8)]


def test_province_plans_take_the_seed_and_the_drafted_documents_in_turn_in_one_province_and_year() -> None:
    province = make_province(year=2026, seed=2023)
    plans = province_plans(base_plans(), province=province, count=5)
    assert len({p.plan.code for p in plans}) == len({p.plan.number for p in plans}) == 5
    assert {p.plan.issuer for p in plans} == {"Ủy ban nhân dân tỉnh Vĩnh Long"}
    assert {p.plan.year for p in plans} == {2026} and all(p.plan.issued_on.year == 2026 for p in plans)
    assert plans[0].bodies[0].name == "Sở Lao động - Thương binh và Xã hội"
    assert plans[4].plan.title == plans[0].plan.title.replace("2023", "2026")  # the seed again, fifth in turn
    for plan in plans:
        communes = [b for b in plan.bodies if b.kind.value == "commune_committees"]
        assert len(communes) == 1 and len(communes[0].units) == 100
    with pytest.raises(ValueError):
        province_plans(base_plans(), province=province, count=MAX_PLANS + 1)


def test_loading_three_province_plans_gives_each_its_communes_and_occurrences_and_loading_again_adds_nothing(
    db: Session, engine: Engine
) -> None:
    bases = base_plans()

    def load() -> list[int]:
        done = load_province_plans(
            db, bases=bases, count=3, year=2023, now=NOW, calendar=WorkCalendar(), support_lead_workdays=3
        )
        db.commit()
        return [s.generation.created for s in done]

    assert all(created > 0 for created in load())
    plans = db.scalars(select(Plan).order_by(Plan.code)).all()
    assert [p.code for p in plans] == ["vinh-long-2023-01", "vinh-long-2023-02", "vinh-long-2023-03"]
    for plan in plans:
        units = db.scalar(select(func.count(Unit.id)).join(Body).where(Body.plan_id == plan.id, Unit.active))
        owed = db.scalar(select(func.count(Occurrence.id)).where(Occurrence.plan_id == plan.id))
        by_units = db.scalar(select(func.count(func.distinct(Occurrence.unit_id))).where(Occurrence.plan_id == plan.id))
        assert units == 100 and owed and by_units == 100, plan.code
    before = db.scalar(select(func.count(Occurrence.id)))
    db.commit()
    assert load() == [0, 0, 0]
    assert db.scalar(select(func.count(Plan.id))) == 3 and db.scalar(select(func.count(Occurrence.id))) == before
    db.commit()
    swept = run(engine, at(2023, 6, 13), body="gddt")  # the education department owes in all three plans
    again = run(engine, at(2023, 6, 13), body="gddt")
    assert swept.queued >= 3 and again.queued == 0
    assert set(_sent_per_plan(db, "gddt")) == {"vinh-long-2023-01", "vinh-long-2023-02", "vinh-long-2023-03"}


@pytest.mark.parametrize("count", ["0", "-2", "31", "100000"])
def test_a_bad_number_of_province_plans_is_refused_in_vietnamese(cli: Run, count: str) -> None:
    code, _out, err = cli("demo", "--province", count)
    assert code == 1
    assert "Số kế hoạch của --province phải từ 1 đến 30" in err


def test_the_province_demo_loads_simulates_and_a_second_run_keeps_what_is_there(
    cli: Run, database_url: str, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"DUTYFLOW_REPORTS_DIR": str(tmp_path / "bao-cao")}
    code, out, err = cli("demo", "--province", "2", "--until", "2023-03-10", database_url=database_url, **env)
    assert code == 0, err
    assert "101/KH-UBND vinh-long-2023-01" in out and "114/KH-UBND vinh-long-2023-02" in out
    assert "Đã mô phỏng" in out
    sent = db.scalar(select(func.count(OutboxMessage.id)))
    office = db.scalars(select(Person).where(Person.login == "vanphong")).one()
    communes = db.scalar(select(func.count(Person.id)).where(Person.unit_id.is_not(None)))
    db.commit()
    assert sent and office.role == "office" and communes == 100  # a desk per commune
    passwords = dict(line.split("\t")[:2] for line in (tmp_path / "demo-accounts.txt").read_text().splitlines()
                     if not line.startswith("#"))  # fmt: skip
    firsts = db.scalars(select(func.min(Occurrence.id)).group_by(Occurrence.plan_id)).all()
    db.commit()
    client = TestClient(create_app(web_settings(database_url)))
    form = {"login": "vanphong", "password": passwords["vanphong"], "next": "/"}
    answer = client.post(
        "/sign-in", data={**form, "csrf": csrf_of(client.get("/sign-in").text)}, follow_redirects=False
    )
    assert answer.status_code == 303 and len(firsts) == 2  # the demo's office account sees each plan's duties
    assert all(client.get(f"/api/v1/occurrences/{first}").status_code == 200 for first in firsts)
    code, out, err = cli("demo", "--province", "2", "--until", "2023-03-10", database_url=database_url, **env)
    assert code == 0, err
    assert "giữ nguyên" in out
    assert db.scalar(select(func.count(Plan.id))) == 2 and db.scalar(select(func.count(OutboxMessage.id))) == sent
    db.commit()
    code, _out, err = cli("demo", str(SEED_PLAN), "--province", "2", database_url=database_url)
    assert code == 1 and "không nhận tệp" in err
