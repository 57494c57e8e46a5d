"""A plan with errors is refused whole, every error listed with its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyflow.i18n import has
from tasks.plans.file import PlanIssue, read_plan_bytes, read_plan_file

from .conftest import SEED_PLAN

SEED = SEED_PLAN.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _read(text: str) -> list[PlanIssue]:
    read = read_plan_bytes(text.encode("utf-8"), name="plan.yaml")
    assert read.plan is None and not read.ok
    assert read.issues, "a refused plan must say why"
    for issue in read.issues:
        assert has(issue.code, locale="vi") or issue.code.startswith("schema."), issue.code
        assert has(issue.code, locale="en") or issue.code.startswith("schema."), issue.code
    return read.issues


def _mutated(old: str, new: str, count: int = 1) -> str:
    assert old in SEED, old
    return SEED.replace(old, new, count)


def test_the_seed_plan_has_no_issue() -> None:
    assert read_plan_file(SEED_PLAN).ok


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("", "source.empty", 1),
        ("   \n# only a comment\n", "source.empty", 1),
        ("plan: [1, 2\nbodies: []\n", "source.yaml_syntax", 2),
        ("plan:\n  code: x\n   number: 1\n", "source.yaml_syntax", 3),
        ("- just\n- a list\n", "source.not_mapping", 1),
    ],
)
def test_unreadable_files_are_refused(text: str, code: str, line: int) -> None:
    issues = _read(text)
    assert [(i.code, i.line) for i in issues] == [(code, line)]


def test_a_file_that_is_not_utf8_is_refused_at_its_line() -> None:
    raw = "schema_version: 1\nplan:\n  title: Kế hoạch\n".encode() + "  place: Trà Cú\n".encode("cp1258")
    read = read_plan_bytes(raw, name="plan.yaml")
    assert [(i.code, i.line) for i in read.issues] == [("source.not_utf8", 4)]


def test_a_very_large_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 2_000_000, encoding="utf-8")
    read = read_plan_file(big)
    assert [i.code for i in read.issues] == ["source.too_large"]


def test_a_yaml_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    issues = _read("\n".join(lines) + "\n")
    assert [i.code for i in issues] == ["source.too_many_nodes"]


def test_a_missing_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    read = read_plan_file(tmp_path / "nope.yaml")
    assert [i.code for i in read.issues] == ["source.unreadable"]


@pytest.mark.parametrize(
    ("old", "new", "code", "field", "needle"),
    [
        (
            "  - code: nnptnt\n",
            "  - code: ldtbxh\n",
            "plan.duplicate",
            "bodies[1].code",
            "  - code: ldtbxh\n    order: 2",
        ),
        (
            "      - code: nnptnt-2\n",
            "      - code: nnptnt-1\n",
            "plan.duplicate",
            "bodies[1].duties[1].code",
            "      - code: nnptnt-1\n        role: support",
        ),
        (
            "{code: xa-dinh-an,",
            "{code: tt-dinh-an,",
            "plan.duplicate",
            "bodies[15].units[13].code",
            '{code: tt-dinh-an, name: "Xã Định An"',
        ),
        (
            "support_bodies: [noivu, ubnd-xa]",
            "support_bodies: [noi-vu, ubnd-xa]",
            "plan.unknown_body",
            "bodies[2].duties[1].support_bodies[0]",
            "support_bodies: [noi-vu, ubnd-xa]",
        ),
        (
            "    contact: pct-ubnd\n",
            "    contact: pct-huyen\n",
            "plan.unknown_contact",
            "plan.signer.contact",
            "    contact: pct-huyen",
        ),
        (
            "        kind: appraisal\n        support_bodies: [ldtbxh, dantoc",
            "        kind: approval\n        support_bodies: [ldtbxh, dantoc",
            "schema.enum",
            "bodies[1].duties[0].kind",
            "kind: approval",
        ),
        (
            "cadence: {periods: [quarter]",
            "cadence: {periods: [fortnight]",
            "schema.enum",
            "bodies[7].duties[0].cadence.periods[0]",
            "periods: [fortnight]",
        ),
        (
            "  issued_on: 2023-02-24\n",
            "  issued_on: 2023-02-30\n",
            "source.bad_scalar",
            "plan.issued_on",
            "issued_on: 2023-02-30",
        ),
        (
            "due_rule: {kind: before_day, day: 15, month: 11",
            "due_rule: {kind: before_day, day: 31, month: 11",
            "plan.impossible_day",
            "bodies[0].duties[1].due_rule",
            "day: 31, month: 11",
        ),
        (
            'value: 3000, unit: "lao động"',
            'value: "3.000", unit: "lao động"',
            "schema.float_type",
            "targets[7].value",
            'value: "3.000"',
        ),
        (
            'value: 3000, unit: "lao động"',
            'value: 3.000, unit: "lao động"',
            "plan.value_mismatch",
            "targets[7].value",
            "value: 3.000",
        ),
        (
            'channel: "contacts:ldtbxh.focal"',
            'channel: "mailto://focal:hunter2@mail.tracu.gov.vn"',
            "schema.string_pattern_mismatch",
            "bodies[0].contacts[0].channel",
            "mailto://",
        ),
        (
            "due_rule: *report_due\n\n  - code: tckh",
            "due_rule: {kind: soon}\n\n  - code: tckh",
            "schema.union_tag_invalid",
            "bodies[3].duties[1].due_rule",
            "kind: soon",
        ),
        (
            "        role: advise\n",
            "        role: advise\n        colour: red\n",
            "schema.extra_forbidden",
            "bodies[0].duties[0].colour",
            "colour: red",
        ),
        ("schema_version: 1\n", "", "schema.missing", "schema_version", "plan:\n  code"),
        (
            "unit: xa-kim-son, name",
            "unit: xa-kim-sun, name",
            "plan.unknown_unit",
            "bodies[15].contacts[10].unit",
            "unit: xa-kim-sun",
        ),
    ],
)
def test_each_error_is_named_with_its_line_and_field(old: str, new: str, code: str, field: str, needle: str) -> None:
    text = _mutated(old, new)
    issues = _read(text)
    match = [i for i in issues if i.code == code and i.field_path == field]
    assert match, [(i.code, i.field_path, i.line) for i in issues]
    if code != "schema.missing":
        assert match[0].line == _line_of(text, needle)


def test_a_secret_pasted_anywhere_is_refused() -> None:
    text = _mutated(
        "notes: null" if "notes: null" in SEED else '    aliases: ["Dân tộc"]\n',
        '    aliases: ["Dân tộc", "https://hooks.example.invalid/x?token=abcdef123456"]\n',
    )
    issues = _read(text)
    assert any(i.code == "plan.secret" and i.field_path == "bodies[2].aliases[1]" for i in issues)


def test_a_duplicate_key_is_refused_not_silently_overwritten() -> None:
    text = _mutated('  number: "12/KH-UBND"\n', '  number: "12/KH-UBND"\n  number: "13/KH-UBND"\n')
    issues = _read(text)
    assert [(i.code, i.field_path) for i in issues] == [("source.duplicate_key", "plan.number")]


def test_every_reference_error_is_listed_not_only_the_first() -> None:
    text = _mutated("{code: overseas-workers,", "{code: jobs-created,")
    text = text.replace("support_bodies: [noivu, ubnd-xa]", "support_bodies: [noi-vu, ubnd-xa]")
    text = text.replace("{code: xa-dinh-an,", "{code: tt-dinh-an,")
    codes = sorted(i.code for i in _read(text))
    # the renamed unit also leaves its own focal point naming a unit that is gone
    assert codes == ["plan.duplicate", "plan.duplicate", "plan.unknown_body", "plan.unknown_unit"]


def test_schema_and_reference_errors_are_listed_together() -> None:
    text = _mutated("  issued_on: 2023-02-24\n", "  issued_on: 2023-13-01\n")
    text = text.replace("        kind: appraisal\n", "        kind: approval\n", 1)
    text = text.replace("value: 140,", "value: many,")
    text = text.replace("support_bodies: [noivu, ubnd-xa]", "support_bodies: [noi-vu, ubnd-xa]")
    text = text.replace("{code: xa-dinh-an,", "{code: tt-dinh-an,")
    codes = sorted(i.code for i in _read(text))
    assert codes == [
        "plan.duplicate",
        "plan.unknown_body",
        "plan.unknown_unit",
        "schema.enum",
        "schema.float_type",
        "source.bad_scalar",
    ]


def test_checks_that_need_typed_values_follow_once_the_schema_passes() -> None:
    # An impossible day/month is judged on numbers the schema has vouched for.
    text = _mutated(
        "due_rule: {kind: before_day, day: 15, month: 11", "due_rule: {kind: before_day, day: 31, month: 11"
    )
    assert [i.code for i in _read(text)] == ["plan.impossible_day"]
    broken = text.replace("value: 140,", "value: many,")
    assert [i.code for i in _read(broken)] == ["schema.float_type"]


def test_issues_render_as_file_line_field_message() -> None:
    from dutyflow.cli.plan import render_issue
    from dutyflow.i18n import set_locale

    set_locale("vi")
    text = _mutated("support_bodies: [noivu, ubnd-xa]", "support_bodies: [noi-vu, ubnd-xa]")
    (issue,) = _read(text)
    line = _line_of(text, "support_bodies: [noi-vu")
    assert render_issue(issue) == (
        f'plan.yaml:{line}: bodies[2].duties[1].support_bodies[0]: không có cơ quan mã "noi-vu"'
    )
