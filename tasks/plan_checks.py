"""Checks a schema-valid plan for what a schema cannot see: references, duplicates, dates, secrets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from models.planfile import BeforeDay, CadenceToken, PlanFile
from tasks.numbers import parse_vn_number
from tasks.yaml_source import Loc

Issue = tuple[Loc, str, dict[str, Any]]

# What a secret looks like when it has been pasted where a reference belongs.
_SECRET_PATTERNS = [
    re.compile(r"[a-z][a-z0-9+.-]*://[^\s/@:]+:[^\s/@]+@", re.IGNORECASE),  # scheme://user:password@
    re.compile(r"[a-z][a-z0-9+.-]{1,20}s?://\S*(token|secret|password|apikey|api_key|key)=\S+", re.IGNORECASE),
    re.compile(r"\b(xox[abpr]-[0-9A-Za-z-]{10,}|gh[pousr]_[0-9A-Za-z]{20,}|AKIA[0-9A-Z]{16})\b"),
    re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{30,}\b"),  # a Telegram bot token
    re.compile(r"^(mailto|mailtos|json|jsons|tgram|slack|discord|msteams|gotify|ntfy|ntfys)://", re.IGNORECASE),
]


def check_plan(plan: PlanFile, raw: Any) -> list[Issue]:
    """Every problem of `plan` as (location, message code, params); empty when the plan is sound."""
    issues: list[Issue] = []
    issues += _secrets(raw, ())
    issues += _duplicates(plan)
    issues += _references(plan)
    issues += _dates(plan)
    issues += _cadences(plan)
    issues += _numbers(plan)
    return issues


def _secrets(value: Any, loc: Loc) -> Iterator[Issue]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secrets(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secrets(item, (*loc, index))
    elif isinstance(value, str) and any(p.search(value) for p in _SECRET_PATTERNS):
        yield loc, "plan.secret", {}


def _duplicates(plan: PlanFile) -> Iterator[Issue]:
    groups: dict[str, list[tuple[Loc, str]]] = {
        "body": [(("bodies", i, "code"), b.code) for i, b in enumerate(plan.bodies)],
        "duty": [
            (("bodies", i, "duties", j, "code"), d.code)
            for i, b in enumerate(plan.bodies)
            for j, d in enumerate(b.duties)
        ],
        "unit": [
            (("bodies", i, "units", j, "code"), u.code)
            for i, b in enumerate(plan.bodies)
            for j, u in enumerate(b.units)
        ],
        "contact": [(("contacts", i, "code"), c.code) for i, c in enumerate(plan.contacts)]
        + [
            (("bodies", i, "contacts", j, "code"), c.code)
            for i, b in enumerate(plan.bodies)
            for j, c in enumerate(b.contacts)
        ],
        "target": [(("targets", i, "code"), t.code) for i, t in enumerate(plan.targets)],
        "baseline": [(("baseline", i, "code"), f.code) for i, f in enumerate(plan.baseline)],
        "order": [(("bodies", i, "order"), str(b.order)) for i, b in enumerate(plan.bodies)],
    }
    for what, entries in groups.items():
        seen: set[str] = set()
        for loc, code in entries:
            if code in seen:
                yield loc, "plan.duplicate", {"what": what, "code": code}
            seen.add(code)


def _references(plan: PlanFile) -> Iterator[Issue]:
    body_codes = {b.code for b in plan.bodies}
    contact_codes = {c.code for c in plan.all_contacts()}
    if plan.plan.signer.contact not in contact_codes:
        yield ("plan", "signer", "contact"), "plan.unknown_contact", {"code": plan.plan.signer.contact}
    for i, body in enumerate(plan.bodies):
        if body.kind == "commune_committees" and not body.units:
            yield ("bodies", i, "units"), "plan.units_required", {}
        for j, duty in enumerate(body.duties):
            for k, code in enumerate(duty.support_bodies):
                loc: Loc = ("bodies", i, "duties", j, "support_bodies", k)
                if code not in body_codes:
                    yield loc, "plan.unknown_body", {"code": code}
                elif code == body.code:
                    yield loc, "plan.self_support", {"code": code}


def _dates(plan: PlanFile) -> Iterator[Issue]:
    header = plan.plan
    if header.issued_on.year not in (header.year - 1, header.year):
        yield ("plan", "issued_on"), "plan.issued_outside_year", {"year": header.year}
    if header.effective_from and header.effective_to and header.effective_from > header.effective_to:
        yield ("plan", "effective_to"), "plan.effective_order", {}
    for i, basis in enumerate(header.bases):
        if basis.issued_on > header.issued_on:
            yield ("plan", "bases", i, "issued_on"), "plan.basis_after_plan", {}
    for i, body in enumerate(plan.bodies):
        for j, duty in enumerate(body.duties):
            rule = duty.due_rule
            if isinstance(rule, BeforeDay) and not _possible_day(rule.day, rule.month):
                yield (
                    ("bodies", i, "duties", j, "due_rule"),
                    "plan.impossible_day",
                    {
                        "day": rule.day,
                        "month": rule.month,
                    },
                )


def _possible_day(day: int, month: int) -> bool:
    try:
        dt.date(2023, month, day)  # a common year: 29/02 would move with leap years
    except ValueError:
        return False
    return True


def _cadences(plan: PlanFile) -> Iterator[Issue]:
    for i, body in enumerate(plan.bodies):
        for j, duty in enumerate(body.duties):
            cadence, loc = duty.cadence, ("bodies", i, "duties", j, "cadence")
            once = CadenceToken.ONCE in cadence.periods
            if once and not cadence.dates:
                yield (*loc, "dates"), "plan.once_needs_dates", {}
            if cadence.dates and not once:
                yield (*loc, "dates"), "plan.dates_need_once", {}
            if cadence.months and CadenceToken.MONTH not in cadence.periods:
                yield (*loc, "months"), "plan.months_need_month", {}
            if len(set(cadence.periods)) != len(cadence.periods):
                yield (*loc, "periods"), "plan.duplicate", {"what": "period", "code": ""}


def _numbers(plan: PlanFile) -> Iterator[Issue]:
    rows = [("targets", i, t.value, t.value_text) for i, t in enumerate(plan.targets)]
    rows += [("baseline", i, f.value, f.value_text) for i, f in enumerate(plan.baseline)]
    for section, index, value, text in rows:
        if text is None:
            continue
        parsed = parse_vn_number(text)
        if parsed is None:
            yield (section, index, "value_text"), "plan.value_text_unreadable", {"text": text}
        elif abs(parsed - value) > 1e-9 * max(1.0, abs(value)):
            yield (section, index, "value"), "plan.value_mismatch", {"text": text, "parsed": parsed, "value": value}
