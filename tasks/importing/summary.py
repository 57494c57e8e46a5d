"""What `plan import` found, for one screen: the bodies with their duty counts, and what a person must settle
(each with the source line it came from)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_AT = re.compile(r"^(\w+)@(\d+)$")


@dataclass
class Concern:
    what: str  # the field's code: name, duties, section, issued_on, number, ...
    line: int | None
    subject: str  # the body's name, or "" for the plan's header


@dataclass
class ImportSummary:
    bodies: list[tuple[int, str, int]] = field(default_factory=list)  # order, name, duties
    concerns: list[Concern] = field(default_factory=list)
    duties: int = 0


# Fields every draft leaves for review (the text never says them); the summary names only what the reading
# itself could not settle.
ROUTINE = {"kind", "authority", "units", "cadence", "due_rule", "signer", "issuer", "other_partners"}


def summarise(plan: dict[str, Any]) -> ImportSummary:
    summary = ImportSummary()
    for item in plan["plan"].get("review", []):
        summary.concerns.extend(_concerns(item, ""))
    for body in plan["bodies"]:
        summary.bodies.append((body["order"], body["name"], len(body["duties"])))
        summary.duties += len(body["duties"])
        for item in body.get("review", []):
            summary.concerns.extend(_concerns(item, body["name"]))
        for duty in body["duties"]:
            summary.concerns.extend(c for item in duty.get("review", []) for c in _concerns(item, body["name"]))
    return summary


def _concerns(item: str, subject: str) -> list[Concern]:
    at = _AT.match(item)
    if at:
        return [Concern(at.group(1), int(at.group(2)), subject)]
    return [] if item in ROUTINE else [Concern(item, None, subject)]
