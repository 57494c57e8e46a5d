"""Checks a plan for what a schema cannot see: secrets, duplicates, references, dates, cadences."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from models.planfile import BeforeDay, CadenceToken, PlanFile
from tasks.plans.numbers import parse_vn_number
from tasks.plans.yaml_source import Loc

Issue = tuple[Loc, str, dict[str, Any]]

# What a secret looks like when it has been pasted where a reference belongs.
_SECRET_PATTERNS = [
    re.compile(r"[a-z][a-z0-9+.-]*://[^\s/@:]+:[^\s/@]+@", re.IGNORECASE),  # scheme://user:password@
    re.compile(r"[a-z][a-z0-9+.-]{1,20}s?://\S*(token|secret|password|apikey|api_key|key)=\S+", re.IGNORECASE),
    re.compile(r"\b(xox[abpr]-[0-9A-Za-z-]{10,}|gh[pousr]_[0-9A-Za-z]{20,}|AKIA[0-9A-Z]{16})\b"),
    re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{30,}\b"),  # a Telegram bot token
    re.compile(r"^(mailto|mailtos|json|jsons|tgram|slack|discord|msteams|gotify|ntfy|ntfys)://", re.IGNORECASE),
]


def check_raw(raw: Any) -> list[Issue]:
    """Problems found in the raw data, even where the schema also fails: secrets, duplicates, references."""
    if not isinstance(raw, dict):
        return []
    return [*_secrets(raw, ()), *_duplicates(raw), *_references(raw)]


def check_typed(plan: PlanFile) -> list[Issue]:
    """Problems that need the typed plan: impossible dates, inconsistent cadences, numbers vs their text."""
    return [*_dates(plan), *_cadences(plan), *_numbers(plan)]


def _items(container: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings listed under `key`, with their index; anything malformed is the schema's to report."""
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _code(item: dict[str, Any], field: str = "code") -> str | None:
    value = item.get(field)
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _secrets(value: Any, loc: Loc) -> Iterator[Issue]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secrets(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secrets(item, (*loc, index))
    elif isinstance(value, str) and any(p.search(value) for p in _SECRET_PATTERNS):
        yield loc, "plan.secret", {}


def _duplicates(raw: dict[str, Any]) -> Iterator[Issue]:
    bodies = _items(raw, "bodies")
    groups: dict[str, list[tuple[Loc, str | None]]] = {
        "body": [(("bodies", i, "code"), _code(b)) for i, b in bodies],
        "duty": [(("bodies", i, "duties", j, "code"), _code(d)) for i, b in bodies for j, d in _items(b, "duties")],
        "unit": [(("bodies", i, "units", j, "code"), _code(u)) for i, b in bodies for j, u in _items(b, "units")],
        "contact": [(("contacts", i, "code"), _code(c)) for i, c in _items(raw, "contacts")]
        + [(("bodies", i, "contacts", j, "code"), _code(c)) for i, b in bodies for j, c in _items(b, "contacts")],
        "target": [(("targets", i, "code"), _code(t)) for i, t in _items(raw, "targets")],
        "baseline": [(("baseline", i, "code"), _code(f)) for i, f in _items(raw, "baseline")],
        "order": [(("bodies", i, "order"), _code(b, "order")) for i, b in bodies],
    }
    for what, entries in groups.items():
        seen: set[str] = set()
        for loc, code in entries:
            if code is None:
                continue
            if code in seen:
                yield loc, "plan.duplicate", {"what": what, "code": code}
            seen.add(code)


def _references(raw: dict[str, Any]) -> Iterator[Issue]:
    bodies = _items(raw, "bodies")
    body_codes = {_code(b) for _, b in bodies} - {None}
    contacts = [c for _, c in _items(raw, "contacts")] + [c for _, b in bodies for _, c in _items(b, "contacts")]
    signer = raw.get("plan", {}).get("signer") if isinstance(raw.get("plan"), dict) else None
    wanted = _code(signer, "contact") if isinstance(signer, dict) else None
    if wanted is not None and wanted not in {_code(c) for c in contacts}:
        yield ("plan", "signer", "contact"), "plan.unknown_contact", {"code": wanted}
    for i, body in bodies:
        units = {_code(u) for _, u in _items(body, "units")}
        for j, contact in _items(body, "contacts"):
            unit = contact.get("unit")
            if isinstance(unit, str) and unit not in units:
                yield ("bodies", i, "contacts", j, "unit"), "plan.unknown_unit", {"code": unit}
        for j, duty in _items(body, "duties"):
            supporters = duty.get("support_bodies")
            for k, code in enumerate(supporters if isinstance(supporters, list) else []):
                loc: Loc = ("bodies", i, "duties", j, "support_bodies", k)
                if not isinstance(code, str):
                    continue
                if code not in body_codes:
                    yield loc, "plan.unknown_body", {"code": code}
                elif code == _code(body):
                    yield loc, "plan.self_support", {"code": code}
    for i, target in _items(raw, "targets"):
        reporter = target.get("reported_by")
        code = reporter.get("body") if isinstance(reporter, dict) else None
        if isinstance(code, str) and code not in body_codes:
            yield ("targets", i, "reported_by", "body"), "plan.unknown_body", {"code": code}


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
