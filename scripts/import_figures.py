"""Extraction figures of `dutyflow plan import` on each test document, and on the seed against its plan file.

.venv/bin/python -m scripts.import_figures
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from tasks.importing.document import read_document
from tasks.importing.draft import draft_plan, review_count
from tasks.plans.diff import diff_plans
from tasks.plans.file import read_plan_bytes, read_plan_file
from tests.documents.real_scoring import REAL_DOCUMENTS, RealScore, draft_real, score_real
from tests.documents.scoring import DOCUMENTS, draft_for, score

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "plans" / "sources" / "tra-cu-2023.txt"


def main() -> None:
    print(f"{'document':24} {'bodies':>9} {'duties':>9} {'roles right':>12} {'supporters':>11} {'review':>7}  problems")
    with tempfile.TemporaryDirectory() as folder:
        for name in DOCUMENTS:
            draft = draft_for(name, Path(folder))
            s = score(name, draft)
            print(
                f"{name:24} {s.bodies_right:>4}/{s.bodies_expected:<4} {s.duties_found:>4}/{s.duties_expected:<4} "
                f"{s.roles_right:>6}/{s.duties_expected:<5} {s.supporters_matched:>5}/{s.supporters_expected:<5} "
                f"{review_count(draft):>7}  {len(s.problems)}"
            )
            for problem in s.problems:
                print(f"    {problem}")
    if SEED.exists():
        draft = draft_plan(read_document(SEED), code="tra-cu-2023")
        read = read_plan_bytes(yaml.safe_dump(draft, allow_unicode=True, sort_keys=False).encode(), name="seed")
        seed = read_plan_file(ROOT / "plans" / "tra-cu-2023.yaml").plan
        assert read.plan is not None and seed is not None
        differences = diff_plans(seed, read.plan)
        duties = sum(len(b.duties) for b in seed.bodies)
        by_field: dict[str, int] = {}
        for d in differences:
            by_field[d.field] = by_field.get(d.field, 0) + 1
        print(
            f"\nseed vs plans/tra-cu-2023.yaml: {len(read.plan.bodies)}/{len(seed.bodies)} bodies, "
            f"{sum(len(b.duties) for b in read.plan.bodies)}/{duties} duties; "
            f"differences by field: {by_field or 'none'}"
            f"; {review_count(draft)} values marked for review"
        )

    real()


def real() -> None:
    """One line per real document against its hand-counted key, then the totals."""
    print(
        f"\n{'real document':46} {'bodies':>7} {'wrong':>5} {'duties':>7} {'supporters':>10} {'+extra':>6} "
        f"{'funding':>7} {'header':>7} ok"
    )
    total = RealScore("total")
    details = []
    for name in REAL_DOCUMENTS:
        s = score_real(name, draft_real(name))
        for attr in (
            "bodies_expected",
            "bodies_right",
            "bodies_wrong",
            "duties_right",
            "supporters_expected",
            "supporters_matched",
            "supporters_extra",
            "funding_right",
            "header_right",
        ):
            setattr(total, attr, getattr(total, attr) + getattr(s, attr))
        print(_line(s, name[:46]))
        details.append(s)
    ok = sum(1 for s in details if s.perfect)
    print(_line(total, f"total: {ok}/{len(details)} documents match their keys", header_of=2 * len(details)))
    for s in details:
        for problem in s.problems:
            print(f"    {s.document[:2]}: {problem}")


def _line(s: RealScore, label: str, *, header_of: int = 0) -> str:
    n = s.bodies_expected
    return (
        f"{label:46} {s.bodies_right:>3}/{n:<3} {s.bodies_wrong:>5} {s.duties_right:>3}/{n:<3} "
        f"{s.supporters_matched:>4}/{s.supporters_expected:<5} {s.supporters_extra:>6} {s.funding_right:>3}/{n:<3} "
        f"{s.header_right:>3}/{header_of or 2:<3}" + ("" if header_of else f" {'yes' if s.perfect else 'no'}")
    )


if __name__ == "__main__":
    main()
