"""The command line at 80 columns, quick to help, and never making a database by reading one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dutyflow.cli import duty, people
from tasks.duties.statuses import Action, Category
from tasks.people.accounts import MIN_PASSWORD, Role

from .demo_support import ROOT, demo_database, dutyflow


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{demo_database(tmp_path_factory)}"


def test_the_overdue_list_at_80_columns_shows_every_key_whole(demo_url: str) -> None:
    args = ("duty", "list", "--status", "overdue", "--as-of", "2023-06-30")
    done = dutyflow(*args, DUTYFLOW_DATABASE_URL=demo_url)
    assert done.returncode == 0, done.stderr
    keys = [
        o["key"] for o in json.loads(dutyflow(*args, "--json", DUTYFLOW_DATABASE_URL=demo_url).stdout)["occurrences"]
    ]
    assert len(keys) > 5
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, done.stdout
    first_words = {line.split()[0] for line in lines if line.strip()}
    assert set(keys) <= first_words, set(keys) - first_words
    assert "…" not in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("duty", "list", "--as-of", "2023-06-30"),
        ("duty", "summary", "--as-of", "2023-06-30"),
        ("outbox", "list"),
        ("person", "list"),
        ("report", "list"),
        ("token", "list"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_table_fits_80_columns_and_wide_shows_more(demo_url: str, args: tuple[str, ...]) -> None:
    narrow = dutyflow(*args, DUTYFLOW_DATABASE_URL=demo_url)
    assert narrow.returncode == 0, narrow.stderr
    assert max((len(line) for line in narrow.stdout.splitlines()), default=0) <= 80, narrow.stdout
    assert "…" not in narrow.stdout
    if args[:2] != ("token", "list"):
        wide = dutyflow(*args, "--wide", columns=250, DUTYFLOW_DATABASE_URL=demo_url)
        assert wide.returncode == 0, wide.stderr
        header = next(line for line in wide.stdout.splitlines() if line.strip() and "ngày" not in line[:40])
        assert len(header.split("  ")) >= len(narrow.stdout.splitlines()[0].split("  ")), wide.stdout[:500]


def test_duty_list_says_how_many_it_hides_and_how_to_see_them(demo_url: str) -> None:
    shown = dutyflow("duty", "list", "--as-of", "2023-06-30", "--json", DUTYFLOW_DATABASE_URL=demo_url)
    every = dutyflow("duty", "list", "--as-of", "2023-06-30", "--all", "--json", DUTYFLOW_DATABASE_URL=demo_url)
    hidden = json.loads(every.stdout)["count"] - json.loads(shown.stdout)["count"]
    assert hidden > 0
    done = dutyflow("duty", "list", "--as-of", "2023-06-30", columns=200, DUTYFLOW_DATABASE_URL=demo_url)
    assert f"Còn {hidden} nhiệm vụ theo kỳ chưa bắt đầu hoặc đã xong không hiện; thêm --all" in done.stdout
    done = dutyflow("duty", "list", "--as-of", "2023-06-30", "--all", DUTYFLOW_DATABASE_URL=demo_url)
    assert "--all" not in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("duty", "list"),
        ("duty", "summary"),
        ("duty", "show", "tuphap-1/2023-H1/tuphap"),
        ("outbox", "list"),
        ("person", "list"),
        ("token", "list"),
        ("report", "list"),
        ("inbox", "van-phong-bcd"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_read_only_command_never_creates_a_database(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = dutyflow(*args, cwd=tmp_path, DUTYFLOW_DATABASE_URL="sqlite:///dutyflow.db")
    assert done.returncode == 1, done.stderr
    assert "Chưa có cơ sở dữ liệu" in done.stderr and "dutyflow plan load" in done.stderr and "make run" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_write_command_still_creates_and_migrates_the_database(tmp_path: Path) -> None:
    done = dutyflow(
        "plan",
        "load",
        str(ROOT / "plans" / "tra-cu-2023.yaml"),
        cwd=tmp_path,
        DUTYFLOW_DATABASE_URL="sqlite:///dutyflow.db",
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dutyflow.db").exists()
    listed = dutyflow(
        "duty", "list", "--as-of", "2023-06-30", cwd=tmp_path, DUTYFLOW_DATABASE_URL="sqlite:///dutyflow.db"
    )
    assert listed.returncode == 0 and "Nhiệm vụ tại ngày 30/06/2023" in listed.stdout


PROBE = (
    "import sys\n"
    "from dutyflow.cli.app import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print(sorted({m.split('.')[0] for m in sys.modules}))\n"
)


@pytest.mark.parametrize("args", [("--help",), ("duty", "--help"), ("duty", "list", "--help"), ()])
def test_help_imports_no_database_layer_nor_prefect(args: tuple[str, ...]) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    loaded = done.stdout.strip().splitlines()[-1]
    for heavy in ("prefect", "sqlalchemy", "apprise", "openpyxl", "docx", "matplotlib", "alembic", "rich"):
        assert f"'{heavy}'" not in loaded, heavy


def test_the_names_help_uses_match_the_work_they_stand_for() -> None:
    assert tuple(c.value for c in Category) == duty.CATEGORIES
    assert set(duty.ACTIONS) == {a.value for a in Action} - {"fund"}
    assert tuple(r.value for r in Role) == people.ROLES and people.MIN_PASSWORD == MIN_PASSWORD
