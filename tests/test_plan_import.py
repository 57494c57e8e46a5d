"""Drafting a plan file from a document: the seed against the hand-made plan, and documents of other shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tasks.importing.document import from_blocks, read_document
from tasks.importing.draft import draft_plan, review_count
from tasks.plans.diff import diff_plans
from tasks.plans.file import read_plan_bytes, read_plan_file

from .conftest import SEED_PLAN, SEED_TEXT, Run
from .documents.scoring import DOCUMENTS, draft_for, score

REQUIRED = {"name", "authority", "text", "role", "condition", "support_bodies", "value", "unit", "direction", "count"}


def _as_plan(draft: dict[str, object]) -> object:
    read = read_plan_bytes(yaml.safe_dump(draft, allow_unicode=True, sort_keys=False).encode("utf-8"), name="draft")
    assert read.ok, read.issues  # the draft is a valid plan file as it stands
    return read.plan


def test_importing_the_seed_gives_the_hand_made_plan(tmp_path: Path) -> None:
    draft = draft_plan(read_document(SEED_TEXT), code="tra-cu-2023")
    seed = read_plan_file(SEED_PLAN).plan
    assert seed is not None
    differences = diff_plans(seed, _as_plan(draft))  # type: ignore[arg-type]
    assert [d for d in differences if d.field in REQUIRED] == []
    assert {d.field for d in differences} <= {"kind", "cadence"}  # what the text does not say, marked for review
    header = draft["plan"]
    assert (header["number"], header["issued_on"], header["issuer"]) == (
        "12/KH-UBND",
        "2023-02-24",
        "Ủy ban nhân dân huyện Trà Cú",
    )
    assert header["signer"] == {"name": "Tăng Thị Thắm", "title": "KT. Chủ tịch, Phó Chủ tịch", "contact": "nguoi-ky"}
    assert [b["number"] for b in header["bases"]] == ["4157/QĐ-UBND", "07/KH-UBND"]
    assert header["recipients"][0] == "Sở LĐTBXH" and header["recipients"][-1] == "Lưu: VT, NCTH"
    assert [f["value"] for f in draft["baseline"]][:4] == [1938, 4.47, 736, 37.98]
    assert review_count(draft) > 0


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_of_other_shapes_are_read_right(name: str, tmp_path: Path) -> None:
    draft = draft_for(name, tmp_path)
    _as_plan(draft)
    result = score(name, draft)
    assert result.problems == []
    assert (result.bodies_found, result.duties_found) == (result.bodies_expected, result.duties_expected)
    assert result.roles_right == result.duties_expected
    assert result.supporters_matched == result.supporters_expected


def test_page_breaks_join_and_footnotes_stay_apart() -> None:
    text = from_blocks(
        [
            "- Chỉ đạo rà soát theo bộ tiêu chí¹ của Trung ương; báo cáo kết quả về Sở",
            "¹ Nghị định số 07/2021/NĐ-CP",
            "trước ngày 30/11.",
            "3. Phòng   Tư pháp",
            "– Tuyên truyền *pháp luật*.",
        ]
    )
    assert text.paragraphs == [
        "- Chỉ đạo rà soát theo bộ tiêu chí của Trung ương; báo cáo kết quả về Sở trước ngày 30/11.",
        "3. Phòng Tư pháp",
        "- Tuyên truyền pháp luật.",
    ]
    assert text.footnotes == ["¹ Nghị định số 07/2021/NĐ-CP"]


def test_import_and_diff_commands(cli: Run, tmp_path: Path) -> None:
    draft = tmp_path / "seed.draft.yaml"
    code, out, _ = cli("plan", "import", str(SEED_TEXT), "--out", str(draft), "--code", "tra-cu-2023")
    assert code == 0 and "17 cơ quan, 32 nhiệm vụ, 12 chỉ tiêu" in out and "cần xem lại" in out
    assert draft.read_text(encoding="utf-8").startswith("# Bản nháp do dutyflow soạn")
    code, out, _ = cli("plan", "validate", str(draft))
    assert code == 0
    code, out, _ = cli("plan", "diff", str(SEED_PLAN), str(draft), "--json")
    fields = {d["field"] for d in json.loads(out)["differences"]}
    assert code == 1 and fields <= {"kind", "cadence"}
    code, out, _ = cli("plan", "diff", str(SEED_PLAN), str(SEED_PLAN))
    assert code == 0 and "giống nhau" in out
    code, _, err = cli("plan", "import", str(tmp_path / "khong-co.docx"))
    assert code == 1 and "khong-co.docx" in err
