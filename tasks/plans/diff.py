"""What differs between two plan files (bodies, duties, targets), matched by order and compared by meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.planfile import PlanFile


@dataclass(frozen=True)
class Difference:
    section: str  # bodies, duties, targets
    where: str  # e.g. "2. Phòng Nông nghiệp và Phát triển nông thôn / 1"
    field: str
    left: str
    right: str


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("*", "")).strip().casefold()


def diff_plans(left: PlanFile, right: PlanFile) -> list[Difference]:
    found: list[Difference] = []
    names_left = {b.code: b.name for b in left.bodies}
    names_right = {b.code: b.name for b in right.bodies}
    if len(left.bodies) != len(right.bodies):
        found.append(Difference("bodies", "-", "count", str(len(left.bodies)), str(len(right.bodies))))
    for a, b in zip(left.bodies, right.bodies, strict=False):
        where = f"{a.order}. {a.name}"
        if _norm(a.name) != _norm(b.name):
            found.append(Difference("bodies", where, "name", a.name, b.name))
        if a.authority != b.authority:
            found.append(Difference("bodies", where, "authority", a.authority.value, b.authority.value))
        if len(a.duties) != len(b.duties):
            found.append(Difference("duties", where, "count", str(len(a.duties)), str(len(b.duties))))
        for n, (x, y) in enumerate(zip(a.duties, b.duties, strict=False), start=1):
            at = f"{where} / {n}"
            pairs = {
                "text": (x.text, y.text),
                "role": (x.role.value, y.role.value),
                "kind": (x.kind.value, y.kind.value),
                "condition": (x.condition or "", y.condition or ""),
                "cadence": (",".join(x.cadence.periods), ",".join(y.cadence.periods)),
                "support_bodies": (
                    ", ".join(sorted(_norm(names_left.get(c, c)) for c in x.support_bodies)),
                    ", ".join(sorted(_norm(names_right.get(c, c)) for c in y.support_bodies)),
                ),
            }
            found += [Difference("duties", at, f, a_, b_) for f, (a_, b_) in pairs.items() if _norm(a_) != _norm(b_)]
    if len(left.targets) != len(right.targets):
        found.append(Difference("targets", "-", "count", str(len(left.targets)), str(len(right.targets))))
    for n, (t1, t2) in enumerate(zip(left.targets, right.targets, strict=False), start=1):
        pairs = {
            "name": (t1.name, t2.name),
            "value": (f"{t1.value:g}", f"{t2.value:g}"),
            "unit": (t1.unit, t2.unit),
            "direction": (t1.direction, t2.direction),
            "condition": (t1.condition or "", t2.condition or ""),
        }
        found += [
            Difference("targets", f"{n}. {t1.name}", f, a_, b_)
            for f, (a_, b_) in pairs.items()
            if _norm(a_) != _norm(b_)
        ]
    return found
