"""The house rules, read from the code's own imports: which room may import which, and how big a module may grow."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

PROJECT_PACKAGES = {"flows", "tasks", "models", "notifications", "reports", "web", "dutyflow"}
SOURCE_ROOTS = (*sorted(PROJECT_PACKAGES), "bench", "scripts", "tests", "migrations")

TASKS = {"tasks.calendar", "tasks.duties", "tasks.plans", "tasks.importing", "tasks.reminders", "tasks.reports",
         "tasks.people", "tasks.desk"}

# What each room may import from the project (besides itself). Everything else is a forbidden line.
ALLOWED: dict[str, set[str]] = {
    "models": set(),
    "notifications": {"models"},
    "tasks.calendar": {"models"},
    "tasks.duties": {"models", "tasks.calendar"},
    "tasks.plans": {"models", "tasks.calendar", "tasks.duties"},
    "tasks.importing": {"models", "tasks.plans"},
    "tasks.people": {"models", "tasks.calendar", "tasks.duties"},
    "tasks.reminders": {"models", "notifications", "reports", "tasks.calendar", "tasks.duties"},
    "tasks.reports": {"models", "notifications", "reports", "tasks.calendar", "tasks.duties", "tasks.plans"},
    "tasks.desk": {"models", "tasks.calendar", "tasks.duties", "tasks.people", "tasks.reports"},
    # Rendering report formats: labels and numbers, the locale catalogue; never the work that computes figures.
    "reports": {"models", "dutyflow", "tasks.calendar", "tasks.duties", "tasks.plans"},
    # Settings, runtime, locale and refusals: what every edge shares; not the edges themselves.
    "dutyflow": {"models", "notifications", *TASKS},
    "flows": {"models", "notifications", "reports", "dutyflow", *TASKS},
    "web": {"models", "notifications", "reports", "dutyflow", *TASKS},
    "dutyflow.cli": {"models", "notifications", "reports", "dutyflow", "web", "flows", *TASKS},
    "migrations": {"models", "dutyflow"},
}


def room_of(module: str) -> str | None:
    """The room a dotted module name belongs to: a `tasks` package, the CLI, or a top-level folder."""
    parts = module.split(".")
    if parts[0] == "tasks" and len(parts) > 1:
        return f"tasks.{parts[1]}"
    if parts[:2] == ["dutyflow", "cli"]:
        return "dutyflow.cli"
    return parts[0] if parts[0] in PROJECT_PACKAGES or parts[0] == "migrations" else None


def source_files() -> Iterator[Path]:
    for top in SOURCE_ROOTS:
        yield from sorted((ROOT / top).rglob("*.py"))


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """Every module `path` imports, at any depth (lazy imports inside functions count too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module in PROJECT_PACKAGES:  # `from tasks import calendar` names submodules
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"
            else:
                yield node.lineno, node.module


def crossings() -> list[str]:
    found = []
    for path in source_files():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        source = room_of(module)
        if source not in ALLOWED:
            continue  # tests, bench and scripts may import anything of the project
        for line, target in imports_of(path):
            goal = room_of(target)
            if goal is None or goal == source or goal in ALLOWED[source]:
                continue
            found.append(f"{path.relative_to(ROOT)}:{line}: {source} -> {target}")
    return found


def test_no_import_crosses_a_forbidden_line() -> None:
    assert crossings() == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("tasks.duties", "web"),
        ("tasks.reminders", "flows"),
        ("tasks.reports", "dutyflow.cli"),
        ("tasks.reminders", "dutyflow"),
        ("models", "tasks.duties"),
        ("notifications", "tasks.reminders"),
        ("tasks.calendar", "tasks.duties"),
        ("tasks.duties", "tasks.people"),
        ("web", "flows"),
    ],
)
def test_the_table_forbids_the_lines_the_house_is_built_on(source: str, target: str) -> None:
    assert target not in ALLOWED[source]


def test_a_forbidden_import_is_found_wherever_it_hides(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def later() -> None:\n    from web.app import create_app\n\nfrom tasks import duties\n")
    assert [room_of(target) for _, target in imports_of(sneaky)] == ["tasks.duties", "web"]


def test_the_tasks_packages_import_each_other_without_a_cycle() -> None:
    order: list[str] = []
    pending = {room: ALLOWED[room] & TASKS for room in TASKS}
    while pending:
        ready = sorted(room for room, needs in pending.items() if needs <= set(order))
        assert ready, f"a cycle among {sorted(pending)}"
        order.extend(ready)
        for room in ready:
            del pending[room]
    assert order[0] == "tasks.calendar" and order[-1] == "tasks.desk"


def test_tasks_holds_packages_only_each_saying_what_it_owns() -> None:
    tasks = ROOT / "tasks"
    assert sorted(p.name for p in tasks.glob("*.py")) == ["__init__.py"]
    packages = {f"tasks.{p.parent.name}" for p in tasks.glob("*/__init__.py")}
    assert packages == TASKS
    for room in TASKS:
        doc = ast.get_docstring(ast.parse((tasks / room.split(".")[1] / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{room} says nothing of what it owns and must not import"


def test_no_module_in_the_project_is_over_300_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in source_files() if (n := len(p.read_text().splitlines())) > 300}
    assert long == {}
