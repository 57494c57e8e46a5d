"""Indicator values and per-unit allocations: recorded one by one or imported from a table, all or nothing."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.plan import Body, Plan, Target, TargetAllocation, Unit
from models.report import IndicatorValue
from tasks.calendar.periods import PeriodError, parse_period
from tasks.plans.numbers import format_vn_number

DISTRICT = "-"
# No figure of a plan comes near this (a province's budget in đồng is ~1e13); beyond it a float loses whole units.
MAX_VALUE = 1e15


@dataclass(frozen=True)
class ValueIssue:
    """A refused value: where (row and column of a file, when it came from one) and why (code, params)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str | None = None


class ValuesRefused(Exception):
    """Values refused, every issue listed; nothing was saved."""

    def __init__(self, issues: list[ValueIssue]) -> None:
        super().__init__(issues)
        self.issues = issues


@dataclass(frozen=True)
class CheckedValue:
    target: Target
    unit: Unit | None
    period: str
    value: float


class PlanVocabulary:
    """A plan's targets and units, found by code or by name (a table from an office uses either)."""

    def __init__(self, session: Session, plan: Plan) -> None:
        self.targets = {t.code: t for t in session.scalars(select(Target).where(Target.plan_id == plan.id))}
        units = session.scalars(select(Unit).join(Body).where(Body.plan_id == plan.id, Unit.active)).all()
        self.units = {u.code: u for u in units}
        self.units_by_name: dict[str, list[Unit]] = {}
        for unit in units:
            for name in {_fold(unit.name), _fold(_short(unit.name))}:
                self.units_by_name.setdefault(name, []).append(unit)

    def target(self, text: str) -> Target | None:
        return self.targets.get(unicodedata.normalize("NFC", text).strip())

    def units_named(self, text: str) -> list[Unit]:
        """The units `text` may mean: by code, full name, or name without "Xã"/"Thị trấn" (which can be
        ambiguous: the town and the commune both named Định An)."""
        text = unicodedata.normalize("NFC", text).strip()
        if text in self.units:
            return [self.units[text]]
        return self.units_by_name.get(_fold(text), [])


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _short(name: str) -> str:
    for prefix in ("thị trấn ", "xã ", "phường "):
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    return name


def check_value(
    vocabulary: PlanVocabulary,
    *,
    target: str,
    unit: str | None,
    period: str | None,
    value: float,
    row: int | None = None,
    allocation: bool = False,
) -> tuple[CheckedValue | None, list[ValueIssue]]:
    """Every problem of one value: unknown indicator or unit, bad period, negative count, impossible percentage."""
    issues: list[ValueIssue] = []
    found_target = vocabulary.target(target)
    if found_target is None:
        issues.append(ValueIssue("indicator.unknown_target", {"target": target}, row, "target"))
    found_unit = None
    if unit not in (None, "", DISTRICT):
        candidates = vocabulary.units_named(unit)
        if len(candidates) == 1:
            found_unit = candidates[0]
        elif candidates:
            names = " / ".join(c.name for c in candidates)
            issues.append(ValueIssue("indicator.ambiguous_unit", {"unit": unit, "candidates": names}, row, "unit"))
        else:
            issues.append(ValueIssue("indicator.unknown_unit", {"unit": unit}, row, "unit"))
    token = ""
    if allocation and found_target is not None and unit in (None, "", DISTRICT):
        issues.append(ValueIssue("indicator.allocation_needs_unit", {"target": found_target.code}, row, "unit"))
    if not allocation:
        try:
            token = parse_period(period or "").token
        except PeriodError:
            issues.append(ValueIssue("indicator.bad_period", {"period": period or ""}, row, "period"))
    if not math.isfinite(value):
        issues.append(ValueIssue("indicator.not_finite", {"value": str(value)}, row, "value"))
    elif abs(value) > MAX_VALUE:
        issues.append(ValueIssue("indicator.too_large", {"limit": format_vn_number(MAX_VALUE)}, row, "value"))
    elif value < 0:
        issues.append(ValueIssue("indicator.negative", {"value": format_vn_number(value)}, row, "value"))
    elif found_target is not None and found_target.unit.startswith("%") and value > 100:
        issues.append(ValueIssue("indicator.over_100", {"value": format_vn_number(value)}, row, "value"))
    if issues or found_target is None:
        return None, issues
    return CheckedValue(found_target, found_unit, token, value), []


def save_value(
    session: Session,
    *,
    plan: Plan,
    checked: CheckedValue,
    by: str,
    now: dt.datetime,
    source: str,
    note: str | None = None,
) -> IndicatorValue:
    """Store a value as the next version for its target, scope and period (a correction never overwrites)."""
    scope = checked.unit.code if checked.unit else DISTRICT
    latest = session.scalar(
        select(func.max(IndicatorValue.version)).where(
            IndicatorValue.target_id == checked.target.id,
            IndicatorValue.scope == scope,
            IndicatorValue.period == checked.period,
        )
    )
    row = IndicatorValue(
        plan_id=plan.id,
        target_id=checked.target.id,
        unit_id=checked.unit.id if checked.unit else None,
        scope=scope,
        period=checked.period,
        version=(latest or 0) + 1,
        value=checked.value,
        reported_by=by,
        reported_at=now,
        source=source,
        note=note,
    )
    session.add(row)
    session.flush()
    return row


def save_allocation(session: Session, *, checked: CheckedValue, by: str, now: dt.datetime) -> TargetAllocation:
    if checked.unit is None:  # check_value refuses an allocation without a unit
        raise ValueError("an allocation names a unit")
    row = session.scalars(
        select(TargetAllocation).where(
            TargetAllocation.target_id == checked.target.id, TargetAllocation.unit_id == checked.unit.id
        )
    ).one_or_none()
    if row is None:
        row = TargetAllocation(
            target_id=checked.target.id, unit_id=checked.unit.id, value=checked.value, set_at=now, set_by=by
        )
        session.add(row)
    else:
        row.value, row.set_at, row.set_by = checked.value, now, by
    session.flush()
    return row


def latest_values(
    session: Session,
    *,
    plan: Plan,
    period: str,
    reported_by: dt.datetime | None = None,
) -> dict[tuple[int, str], IndicatorValue]:
    """The latest version of each (target, scope) value for `period`, as known at `reported_by`."""
    query = select(IndicatorValue).where(IndicatorValue.plan_id == plan.id, IndicatorValue.period == period)
    if reported_by is not None:
        query = query.where(IndicatorValue.reported_at <= reported_by)
    latest: dict[tuple[int, str], IndicatorValue] = {}
    for row in session.scalars(query.order_by(IndicatorValue.version)):
        latest[(row.target_id, row.scope)] = row
    return latest
