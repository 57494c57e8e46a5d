"""The base plans of the province demo: the seed plan file, and plans drafted from the real documents kept in the
repository (`plans/sources/`), completed where the importer leaves a person to decide. With them,
`tasks.plans.province.load_province_plans(session, bases=base_plans(), count=N, ...)` loads N province plans
without any simulated history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from models.planfile import PlanFile
from tasks.importing.document import read_document
from tasks.importing.draft import draft_plan
from tasks.plans.file import read_plan_bytes, read_plan_file

PLANS_DIR = Path(__file__).resolve().parents[2] / "plans"
SEED = "tra-cu-2023.yaml"
# Province plans of 2025-2026 whose implementation section assigns duties to departments and to the communes.
DOCUMENTS = ("hung-yen-199-2026.txt", "can-tho-165-2025.txt", "dak-lak-0134-2025.txt")
DRAFTED_ON = dt.date(2025, 12, 31)  # a fixed day: the same documents always draft the same plans


class BaseUnreadable(Exception):
    """A base plan of the demo does not read as a sound plan (a file of the repository was changed)."""

    def __init__(self, name: str, problems: list[str]) -> None:
        super().__init__(f"{name}: {'; '.join(problems[:3])}")
        self.name = name


def _without_review(value: Any) -> Any:
    """The demo takes the importer's readings as they are: what it marks for a person's review is dropped."""
    if isinstance(value, dict):
        return {k: _without_review(v) for k, v in value.items() if k != "review"}
    if isinstance(value, list):
        return [_without_review(v) for v in value]
    return value


def complete_draft(draft: dict[str, Any]) -> dict[str, Any]:
    """What the importer leaves open, filled the same way every time: no review marks, a place and signer name
    where the header gave none (the stand-in "..."), and a plan year no earlier than the date it was issued."""
    done: dict[str, Any] = _without_review(draft)
    header = done["plan"]
    if header.get("place") in (None, "", "..."):
        header["place"] = "tỉnh"
    if header.get("signer", {}).get("name") in (None, "", "..."):
        header["signer"]["name"] = "Phó Chủ tịch Ủy ban nhân dân tỉnh"
    for contact in done["contacts"]:
        if contact["role"] == "signer":
            contact["name"] = header["signer"]["name"]
    return done


def drafted_base(document: Path) -> PlanFile:
    """The plan drafted from `document` by the importer, completed, and read back as a plan file would be."""
    draft = complete_draft(draft_plan(read_document(document), code=None, today=DRAFTED_ON))
    text = yaml.safe_dump(draft, allow_unicode=True, sort_keys=False, width=1000)
    read = read_plan_bytes(text.encode("utf-8"), name=document.name)
    if not read.ok or read.plan is None:
        raise BaseUnreadable(document.name, [f"{i.field_path}: {i.code}" for i in read.issues])
    return read.plan


def base_plans(plans_dir: Path = PLANS_DIR) -> list[PlanFile]:
    """The seed plan first, then one plan drafted from each kept document."""
    read = read_plan_file(plans_dir / SEED)
    if not read.ok or read.plan is None:
        raise BaseUnreadable(SEED, [f"{i.field_path}: {i.code}" for i in read.issues])
    return [read.plan, *(drafted_base(plans_dir / "sources" / name) for name in DOCUMENTS)]
