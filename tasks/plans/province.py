"""Plans of province shape for the demo: since July 2025 a province's steering office runs many plans at once,
each assigning duties to its departments (Sở) and to about a hundred communes and wards. Each plan is derived
from a base plan (the seed plan, or a plan drafted from a real document) and set in one province and one year."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from models.planfile import Body, BodyKind, PlanFile, Unit
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.communes import commune_units, slug
from tasks.plans.loading import LoadSummary, load_plan

MAX_PLANS = 30  # a province runs dozens of plans; more than this is a typing slip, not a demo
PROVINCE = "Vĩnh Long"  # Trà Cú, the seed plan's district, lies in it since July 2025
FIRST_ISSUED = (2, 24)  # the seed plan's day; later plans of the list were issued a few days before it


@dataclass(frozen=True)
class Province:
    name: str
    year: int
    units: list[Unit]

    @property
    def issuer(self) -> str:
        return f"Ủy ban nhân dân tỉnh {self.name}"


def make_province(*, year: int, seed: int, units: int = 100, name: str = PROVINCE) -> Province:
    return Province(name, year, commune_units(units, seed=seed))


def plan_code(province: Province, index: int) -> str:
    return f"{slug(province.name)}-{province.year}-{index + 1:02d}"


def issued_on(province: Province, index: int) -> dt.date:
    return dt.date(province.year, *FIRST_ISSUED) - dt.timedelta(days=2 * index)


def _is_commune_body(body: Body) -> bool:
    """The body that stands for every commune: "Ủy ban nhân dân (các) xã, phường/thị trấn", not a list of
    departments that ends with the communes ("Các sở, ngành, Ủy ban nhân dân xã, phường")."""
    if body.kind is BodyKind.COMMUNE_COMMITTEES:
        return True
    name = body.name.lower()
    return bool(re.match(r"^(ủy ban nhân dân|ubnd) (các )?(xã|phường)", name))


def _reyear(value: str, year: int) -> str:
    return re.sub(r"^\d{4}-", f"{year}-", value)


def _words(text: str, place: str, province: str) -> str:
    """A district's words in a province's plan: huyện -> tỉnh, thị trấn -> phường, the base's place -> ours."""
    if place and place != "...":
        named = re.escape(place)  # the importer writes titles in lower case: "tỉnh đắk lắk"
        text = re.sub(rf"\b(huyện|thành phố|tỉnh) {named}", f"tỉnh {province}", text, flags=re.IGNORECASE)
        text = re.sub(named, province, text, flags=re.IGNORECASE)
    text = text.replace("Huyện", "Tỉnh").replace("huyện", "tỉnh")
    return text.replace("thị trấn", "phường").replace("Thị trấn", "Phường")


def _body(data: dict[str, Any], spec: Body, province: Province) -> dict[str, Any]:
    if spec.kind is BodyKind.DIVISION:
        for field in ("name", "short_name"):
            if data.get(field, "") and data[field].startswith("Phòng "):
                data[field] = "Sở " + data[field].removeprefix("Phòng ")
    for duty in data["duties"]:
        if duty["cadence"].get("dates"):
            duty["cadence"]["dates"] = [_reyear(d, province.year) for d in duty["cadence"]["dates"]]
        if duty["due_rule"]["kind"] == "on_date":
            duty["due_rule"]["date"] = _reyear(duty["due_rule"]["date"], province.year)
    if not _is_commune_body(spec):
        return data
    data["kind"] = BodyKind.COMMUNE_COMMITTEES.value
    data["authority"] = "ordered"
    data["units"] = [u.model_dump() for u in province.units]
    keep = [c for c in data["contacts"] if not c.get("unit")]
    data["contacts"] = keep + [
        {
            "code": f"{u.code}-focal"[:63],
            "role": "focal_point",
            "unit": u.code,
            "name": f"Đầu mối {u.name}",
            "channel": f"contacts:{spec.code}.{u.code}.focal",
        }
        for u in province.units
    ]
    return data


def province_plan(base: PlanFile, *, province: Province, index: int) -> PlanFile:
    """Plan number `index` (from 0) of the province, derived from `base`: its own code and number, the province's
    issuer, every date moved into the province's year, the commune body owed by each of the province's units."""
    place = base.plan.place
    data = base.model_dump(mode="json", exclude_none=True)
    header = data["plan"]
    header.update(
        code=plan_code(province, index),
        number=f"{101 + 13 * index}/KH-UBND",
        issuer=province.issuer,
        place=province.name,
        issued_on=issued_on(province, index).isoformat(),
        year=province.year,
        effective_to=dt.date(province.year, 12, 31).isoformat(),
        title=re.sub(r"năm \d{4}$", f"năm {province.year}", base.plan.title),  # its own year, not a cited one
    )
    header.pop("effective_from", None)
    header.pop("review", None)
    data["bodies"] = [_body(b, spec, province) for b, spec in zip(data["bodies"], base.bodies, strict=True)]
    renamed = _renamed(data, place, province.name)
    return PlanFile.model_validate(renamed)


def _renamed(value: Any, place: str, province: str, key: str = "") -> Any:
    """Every text of the plan in the province's words; codes, channels and dates stay as they are."""
    if isinstance(value, dict):
        return {k: _renamed(v, place, province, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, place, province, key) for v in value]
    if isinstance(value, str) and key in ("name", "short_name", "aliases", "text", "title", "recipients", "issuer"):
        return _words(value, place, province)
    return value


def province_plans(bases: list[PlanFile], *, province: Province, count: int) -> list[PlanFile]:
    """`count` plans, taking the bases in turn."""
    if not bases:
        raise ValueError("no base plan")
    if not 1 <= count <= MAX_PLANS:
        raise ValueError("count out of range")
    return [province_plan(bases[i % len(bases)], province=province, index=i) for i in range(count)]


def load_province(
    session: Session,
    *,
    plans: list[PlanFile],
    now: dt.datetime,
    calendar: WorkCalendar,
    support_lead_workdays: int,
    progress: Callable[[PlanFile, LoadSummary], None] | None = None,
) -> list[LoadSummary]:
    """Load each plan (no simulated history), flushing after each; loading again changes nothing."""
    summaries = []
    for plan in plans:
        summary = load_plan(
            session,
            plan_file=plan,
            sha256=f"province:{plan.plan.code}",
            now=now,
            calendar=calendar,
            support_lead_workdays=support_lead_workdays,
        )
        session.flush()
        summaries.append(summary)
        if progress:
            progress(plan, summary)
    return summaries


def load_province_plans(
    session: Session,
    *,
    bases: list[PlanFile],
    count: int,
    year: int,
    now: dt.datetime,
    calendar: WorkCalendar,
    support_lead_workdays: int,
    seed: int = 2023,
    units: int = 100,
    progress: Callable[[PlanFile, LoadSummary], None] | None = None,
) -> list[LoadSummary]:
    """Load `count` plans of one province (`units` communes and wards each), taking `bases` in turn (the demo's
    are `tasks.importing.province_sources.base_plans()`), with their occurrences but no simulated history: the
    fast part of `dutyflow demo --province N`. Idempotent."""
    plans = province_plans(bases, province=make_province(year=year, seed=seed, units=units), count=count)
    return load_province(
        session,
        plans=plans,
        now=now,
        calendar=calendar,
        support_lead_workdays=support_lead_workdays,
        progress=progress,
    )
