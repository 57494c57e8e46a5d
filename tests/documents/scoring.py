"""Scores a drafted plan against a document's expected results: what the figures script prints, what tests assert."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tasks.importing.document import read_document
from tasks.importing.draft import draft_plan

HERE = Path(__file__).resolve().parent
DOCUMENTS = ["ke-hoach-tinh.txt", "ke-hoach-xa.txt", "quyet-dinh-giao.txt", "numbered-list.docx"]


@dataclass
class Score:
    document: str
    bodies_found: int = 0
    bodies_expected: int = 0
    bodies_right: int = 0
    duties_found: int = 0
    duties_expected: int = 0
    roles_right: int = 0
    supporters_matched: int = 0
    supporters_expected: int = 0
    problems: list[str] = field(default_factory=list)


def document_path(name: str, folder: Path) -> Path:
    """The document; the DOCX is written on demand from its builder (Word's own list formatting)."""
    if name.endswith(".docx"):
        from tests.documents.numbered_list_plan import build

        return build(folder / name)
    return HERE / name


def draft_for(name: str, folder: Path) -> dict[str, Any]:
    return draft_plan(read_document(document_path(name, folder)))


def score(name: str, draft: dict[str, Any]) -> Score:
    expected = yaml.safe_load((HERE / f"{Path(name).stem}.expected.yaml").read_text(encoding="utf-8"))
    result = Score(name, len(draft["bodies"]), len(expected["bodies"]))
    header = draft["plan"]
    for key, got in (
        ("number", header["number"]),
        ("issuer", header["issuer"]),
        ("signer", header["signer"]["name"]),
        ("issued_on", header["issued_on"]),
    ):
        want = expected[key].isoformat() if isinstance(expected[key], dt.date) else expected[key]
        if got != want:
            result.problems.append(f"{key}: {got!r} != {want!r}")
    names = {b["code"]: b["name"] for b in draft["bodies"]}
    for want_body, got_body in zip(expected["bodies"], draft["bodies"], strict=False):
        if (got_body["name"], got_body["authority"]) == (want_body["name"], want_body["authority"]):
            result.bodies_right += 1
        else:
            result.problems.append(f"body {got_body['name']!r}/{got_body['authority']} != {want_body['name']!r}")
        result.duties_expected += len(want_body["duties"])
        result.duties_found += len(got_body["duties"])
        for n, (want, got) in enumerate(zip(want_body["duties"], got_body["duties"], strict=False), start=1):
            where = f"{want_body['name']} / {n}"
            if got["role"] == want["role"]:
                result.roles_right += 1
            else:
                result.problems.append(f"{where}: role {got['role']} != {want['role']}")
            got_support = [names[c] for c in got.get("support_bodies", [])]
            result.supporters_expected += len(want["supporters"])
            result.supporters_matched += len(set(got_support) & set(want["supporters"]))
            if got_support != want["supporters"]:
                result.problems.append(f"{where}: supporters {got_support} != {want['supporters']}")
            if got.get("condition") != want.get("condition"):
                result.problems.append(f"{where}: condition {got.get('condition')} != {want.get('condition')}")
            if "cadence" in want and got["cadence"]["periods"] != want["cadence"]:
                result.problems.append(f"{where}: cadence {got['cadence']['periods']} != {want['cadence']}")
            if "due" in want and (got["due_rule"].get("day"), got["due_rule"].get("month")) != tuple(want["due"]):
                result.problems.append(f"{where}: due rule {got['due_rule']} != {want['due']}")
            if "text_ends" in want and not got["text"].endswith(want["text_ends"]):
                result.problems.append(f"{where}: text ends {got['text'][-30:]!r}")
    targets = [(t["value"], t["unit"]) for t in draft["targets"]]
    wanted = [(float(t["value"]), t["unit"]) for t in expected["targets"]]
    if targets != wanted:
        result.problems.append(f"targets {targets} != {wanted}")
    return result
