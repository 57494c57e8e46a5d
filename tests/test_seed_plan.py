"""The Trà Cú 2023 plan file against the document it encodes."""

from __future__ import annotations

import re

import pytest

from models.planfile import PlanFile, Role
from tasks.plans.summary import plan_as_json

from .conftest import SEED_TEXT


def _norm(text: str) -> str:
    """The document's words: italics markers dropped, page breaks and runs of spaces folded."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


@pytest.fixture(scope="module")
def seed_text() -> str:
    assert SEED_TEXT.exists(), f"the seed document is missing: {SEED_TEXT}"
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def section_v_headings(seed_text: str) -> list[tuple[int, str]]:
    section = seed_text.split("V. TỔ CHỨC THỰC HIỆN", 1)[1].split("Trên đây là Kế hoạch", 1)[0]
    return [(int(n), name.strip()) for n, name in re.findall(r"^(\d+)\. (.+)$", section, re.MULTILINE)]


def test_the_17_bodies_come_in_the_plans_order_with_their_exact_names(
    seed_plan: PlanFile, section_v_headings: list[tuple[int, str]]
) -> None:
    assert len(section_v_headings) == 17
    expected = [(n, name.removeprefix("Đề nghị ")) for n, name in section_v_headings]
    assert [(b.order, b.name) for b in seed_plan.bodies] == expected


def test_every_duty_text_is_verbatim_from_the_document(seed_plan: PlanFile, seed_text: str) -> None:
    document = _norm(seed_text)
    duties = seed_plan.all_duties()
    assert len(duties) == 32
    for _, duty in duties:
        assert _norm(duty.text) in document, duty.code
        assert duty.text == duty.text.strip() and "  " not in duty.text and "\n" not in duty.text


def test_each_bullet_of_section_v_is_one_duty(seed_plan: PlanFile, seed_text: str) -> None:
    section = seed_text.split("V. TỔ CHỨC THỰC HIỆN", 1)[1].split("Trên đây là Kế hoạch", 1)[0]
    blocks = re.split(r"^\d+\. .+$", section, flags=re.MULTILINE)[1:]
    counts = [max(1, len(re.findall(r"^- ", block, re.MULTILINE))) for block in blocks]
    assert counts == [len(b.duties) for b in seed_plan.bodies]


def test_roles_follow_each_duty_s_opening_verb(seed_plan: PlanFile) -> None:
    for _, duty in seed_plan.all_duties():
        opening = duty.text.split(",")[0].lower()
        if opening.startswith("tham mưu"):
            assert duty.role is Role.ADVISE, duty.code
        elif opening.startswith("phối hợp"):
            assert duty.role is Role.SUPPORT, duty.code
        else:
            assert duty.role is Role.LEAD, duty.code


def test_exactly_the_seven_funding_conditions_of_the_text(seed_plan: PlanFile) -> None:
    conditional = [d.code for _, d in seed_plan.all_duties() if d.condition == "funding"]
    in_text = [d.code for _, d in seed_plan.all_duties() if "nếu có được phân bổ vốn" in d.text]
    assert conditional == in_text
    assert conditional == ["nnptnt-1", "nnptnt-2", "dantoc-2", "kthtang-1", "tckh-1", "tnmt-1", "ubnd-xa-2"]


def test_named_supporters_are_the_bodies_after_phoi_hop_voi(seed_plan: PlanFile) -> None:
    by_code = {d.code: d.support_bodies for _, d in seed_plan.all_duties()}
    assert by_code["nnptnt-1"] == ["ldtbxh", "dantoc", "kthtang", "ubnd-xa"]
    assert by_code["noivu-1"] == ["ldtbxh", "nnptnt", "vhtt"]
    assert by_code["dantoc-2"] == ["noivu", "ubnd-xa"]
    assert by_code["vhtt-2"] == ["ttvhtt"]
    assert by_code["ldtbxh-1"] == [] and by_code["mttq-1"] == []


def test_the_commune_body_has_its_17_units_with_both_dinh_an(seed_plan: PlanFile) -> None:
    communes = next(b for b in seed_plan.bodies if b.code == "ubnd-xa")
    names = [u.name for u in communes.units]
    assert len(names) == 17 and len(set(u.code for u in communes.units)) == 17
    assert "Thị trấn Định An" in names and "Xã Định An" in names
    assert sum(u.kind == "town" for u in communes.units) == 2


def test_authority_distinguishes_the_committee_s_own_bodies_from_those_it_requests(seed_plan: PlanFile) -> None:
    requested = [b.code for b in seed_plan.bodies if b.authority == "requested"]
    assert requested == ["nhcsxh", "bhxh", "thongke", "mttq"]


def test_targets_and_baseline_carry_every_figure_of_the_text(seed_plan: PlanFile) -> None:
    targets = {t.code: (t.value, t.unit) for t in seed_plan.targets}
    assert targets["poverty-rate-reduction"] == (1.71, "%")
    assert targets["khmer-poverty-rate-reduction"] == (1.58, "%")
    assert targets["jobs-created"] == (3000, "lao động")
    assert targets["regular-employment"] == (85000, "lao động")
    assert targets["overseas-workers"] == (140, "lao động")
    assert targets["trained-rate"] == (67.67, "%") and targets["certified-rate"] == (33.77, "%")
    assert sum(1 for t in seed_plan.targets if t.value == 100 and t.unit.startswith("%")) == 5
    baseline = {f.code: f.value for f in seed_plan.baseline}
    assert baseline["poor-households"] == 1938 and baseline["poverty-rate"] == 4.47
    assert baseline["poor-no-labour"] == 736 and baseline["poor-no-labour-share"] == 37.98
    assert baseline["poor-khmer"] == 1460 and baseline["khmer-poverty-rate"] == 5.44
    assert baseline["difficult-communes"] == 2 and baseline["difficult-hamlets"] == 3


def test_every_duty_has_a_cadence_and_a_due_rule_and_says_when_they_are_assumed(seed_plan: PlanFile) -> None:
    for _, duty in seed_plan.all_duties():
        assert duty.cadence.periods
        assert duty.cadence.assumed and duty.due_rule.assumed  # the text gives no date for any duty


def test_contacts_are_references_never_addresses(seed_plan: PlanFile) -> None:
    contacts = seed_plan.all_contacts()
    assert {c.role for c in contacts} >= {"focal_point", "head", "office", "signer"}
    for body in seed_plan.bodies:
        assert {c.role for c in body.contacts} == {"focal_point", "head"}
    assert all(c.channel.startswith(("env:", "contacts:")) for c in contacts)


def test_plan_show_json_has_the_agreed_shape(seed_plan: PlanFile) -> None:
    data = plan_as_json(seed_plan)
    assert data["plan"]["number"] == "12/KH-UBND" and data["plan"]["issued_on"] == "2023-02-24"
    assert data["plan"]["year"] == 2023 and data["plan"]["issuer"] == "Ủy ban nhân dân huyện Trà Cú"
    assert [b["order"] for b in data["bodies"]] == list(range(1, 18))
    duty = data["bodies"][1]["duties"][0]
    assert set(duty) >= {"code", "text", "role", "kind", "cadence", "due_rule", "conditional", "support_bodies"}
    assert duty["conditional"] is True and duty["role"] == "lead"
    assert all(isinstance(t["value"], int | float) for t in data["targets"] + data["baseline"])
    assert next(t for t in data["targets"] if t["code"] == "jobs-created")["value"] == 3000
