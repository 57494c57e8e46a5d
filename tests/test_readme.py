"""The README keeps up with the code: every setting is in its table, and its examples run on the demo's data."""

from __future__ import annotations

import shlex

import pytest
from pydantic_settings import BaseSettings

from dutyflow.settings import Settings

from .demo_support import ROOT, dutyflow, fresh_copy

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setting_names(model: type[BaseSettings], prefix: str = "DUTYFLOW_") -> list[str]:
    """DUTYFLOW_FIELD for each field; DUTYFLOW_PARENT__FIELD for a nested settings object's fields."""
    names = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseSettings):
            names += setting_names(kind, f"{prefix}{name.upper()}__")
        else:
            names.append(f"{prefix}{name.upper()}")
    return names


def test_every_setting_is_in_the_readme() -> None:
    names = setting_names(Settings)
    assert "DUTYFLOW_CLAIM_LEASE_SECONDS" in names and "DUTYFLOW_CALENDAR__TIMEZONE" in names
    missing = [name for name in names if f"`{name}`" not in README]
    assert missing == []


def test_the_readme_starts_with_the_two_commands() -> None:
    first = README.split("```", 2)[1].strip().splitlines()
    assert [line.split()[:2] for line in first[1:]] == [["make", "run"], ["make", "test"]]


def try_it_lines() -> list[list[str]]:
    """The commands of the "Try it" block, in order, as argument lists after `dutyflow`."""
    block = README.split("## Dùng thử / Try it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.strip().splitlines():
        words = shlex.split(line, comments=True)
        assert words[0] == ".venv/bin/dutyflow", line
        commands.append(words[1:])
    return commands


def test_the_try_it_examples_run_in_order_on_the_demo_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    url = fresh_copy(tmp_path_factory)
    commands = try_it_lines()
    assert len(commands) >= 15
    for args in commands:
        done = dutyflow(*args, DUTYFLOW_DATABASE_URL=url)
        assert done.returncode == 0, (args, done.stdout[-1000:], done.stderr[-2000:])
        assert done.stdout.strip(), args
