"""Scores a draft of one of the real documents (tests/documents/real/) against its hand-counted key."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasks.importing.document import read_document
from tasks.importing.draft import draft_plan

REAL = Path(__file__).resolve().parent / "real"


def keys() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((REAL / "keys.json").read_text(encoding="utf-8"))
    return loaded


REAL_DOCUMENTS = [key["file"] for key in keys()]


def key_for(name: str) -> dict[str, Any]:
    return next(key for key in keys() if key["file"] == name)


def normalised(name: str) -> str:
    """A body's name as compared: NFC, markdown and a trailing colon gone, spaces folded, case ignored."""
    text = unicodedata.normalize("NFC", name).replace("**", "").replace("*", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip(" :;.").casefold()


@dataclass
class RealScore:
    document: str
    bodies_expected: int = 0
    bodies_right: int = 0  # found by name, in the key's order
    bodies_wrong: int = 0  # found but not in the key (a not-body or an extra)
    duties_right: int = 0  # bodies found whose duty count is the key's
    supporters_expected: int = 0
    supporters_matched: int = 0
    supporters_extra: int = 0
    funding_right: int = 0  # bodies found whose funding condition is the key's
    header_right: int = 0  # number and date, out of 2
    problems: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        n = self.bodies_expected
        return (self.bodies_right, self.duties_right, self.funding_right, self.header_right) == (n, n, n, 2) and (
            self.bodies_wrong,
            self.supporters_extra,
            self.supporters_matched,
        ) == (0, 0, self.supporters_expected)


def draft_real(name: str) -> dict[str, Any]:
    return draft_plan(read_document(REAL / name))


def found_supporters(body: dict[str, Any], names: dict[str, str]) -> list[str]:
    """Every body a duty names after "phối hợp (với)": the plan's bodies by name, the others as written."""
    found: list[str] = []
    for duty in body["duties"]:
        for name in [names[c] for c in duty.get("support_bodies", [])] + list(duty.get("other_partners", [])):
            if normalised(name) not in (normalised(f) for f in found):
                found.append(name)
    return found


def score_real(name: str, draft: dict[str, Any]) -> RealScore:
    key = key_for(name)
    result = RealScore(name, bodies_expected=len(key["bodies"]))
    result.supporters_expected = sum(len(b["supporters"]) for b in key["bodies"])
    header = draft["plan"]
    if re.sub(r"\s+", "", str(header["number"])) == re.sub(r"\s+", "", key["number"]):
        result.header_right += 1
    else:
        result.problems.append(f"number {header['number']!r} != {key['number']!r}")
    if str(header["issued_on"]) == key["issued_on"]:
        result.header_right += 1
    else:
        result.problems.append(f"issued_on {header['issued_on']} != {key['issued_on']}")
    got = draft["bodies"]
    names = {b["code"]: b["name"] for b in got}
    matcher = difflib.SequenceMatcher(
        a=[normalised(b["name"]) for b in key["bodies"]], b=[normalised(b["name"]) for b in got], autojunk=False
    )
    pairs = [(i + k, j + k) for i, j, n in matcher.get_matching_blocks() for k in range(n)]
    matched_got = {j for _, j in pairs}
    matched_key = {i for i, _ in pairs}
    result.bodies_right = len(pairs)
    not_bodies = [normalised(n) for n in key["not_bodies"]]
    for j, body in enumerate(got):
        if j not in matched_got:
            result.bodies_wrong += 1
            taken = "not-body" if any(nb.startswith(normalised(body["name"])[:30]) for nb in not_bodies) else "extra"
            result.problems.append(f"{taken} body {body['name']!r} ({len(body['duties'])} duties)")
    for i, want in enumerate(key["bodies"]):
        if i not in matched_key:
            result.problems.append(f"missing body {want['name']!r}")
    for i, j in pairs:
        want, body = key["bodies"][i], got[j]
        if len(body["duties"]) == want["duties"]:
            result.duties_right += 1
        else:
            result.problems.append(f"{want['name']}: {len(body['duties'])} duties != {want['duties']}")
        funding = any(d.get("condition") == "funding" for d in body["duties"])
        if funding == want["funding_conditional"]:
            result.funding_right += 1
        else:
            result.problems.append(f"{want['name']}: funding condition {funding} != {want['funding_conditional']}")
        supporters = {normalised(s): s for s in found_supporters(body, names)}
        wanted = {normalised(s) for s in want["supporters"]}
        result.supporters_matched += len(wanted & set(supporters))
        result.supporters_extra += len(set(supporters) - wanted)
        if wanted != set(supporters):
            missing = sorted(s for s in want["supporters"] if normalised(s) not in supporters)
            extra = sorted(s for n, s in supporters.items() if n not in wanted)
            result.problems.append(f"{want['name']}: supporters missing {missing}, extra {extra}")
    return result
