"""Every text in both languages, and every message code the code can produce has a text."""

from __future__ import annotations

import re
from pathlib import Path

from dutyflow.i18n import catalogue

from .conftest import ROOT


def test_vietnamese_and_english_catalogues_have_the_same_keys() -> None:
    assert set(catalogue("vi")) == set(catalogue("en"))


def test_every_message_code_in_the_code_has_a_text() -> None:
    codes: set[str] = set()
    for path in [*Path(ROOT / "tasks").glob("*.py"), *Path(ROOT / "dutyflow").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"\"((?:source|plan|status|occurrence|duty|funding|error|period)\.[a-z_]+)\"", source))
    missing = sorted(code for code in codes if code not in catalogue("vi"))
    assert not missing


def test_vietnamese_texts_keep_their_diacritics() -> None:
    vi = catalogue("vi")
    assert vi["category.overdue"] == "quá hạn chưa hoàn thành"
    assert vi["category.completed_on_time"] == "hoàn thành đúng hạn"
    assert vi["category.not_yet_due"] == "chưa đến hạn"
