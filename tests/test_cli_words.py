"""The command line speaks the catalogue's words: Click's and Typer's own strings, a missing file, steps, states
and times (never `remind-5`, `escalate-3`, `sent` or UTC), and which database demo accounts belong to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from dutyflow.cli.click_words import in_words
from dutyflow.i18n import set_locale
from reports import labels

from .conftest import SEED_PLAN, Run


@pytest.mark.parametrize(
    ("args", "vietnamese", "english"),
    [
        (
            ("--help",),
            ["Cách dùng: dutyflow", "Tùy chọn:", "Lệnh:", "Hiện hướng dẫn này rồi thoát."],
            ["Usage: dutyflow", "Options:", "Commands:", "Show this message and exit."],
        ),
        (("period", "--help"), ["Tham số:", "bắt buộc"], ["Arguments:", "required"]),
    ],
)
def test_help_pages_are_in_the_chosen_language(
    cli: Run, args: tuple[str, ...], vietnamese: list[str], english: list[str]
) -> None:
    code, out, _ = cli(*args)
    assert code == 0 and all(word in out for word in vietnamese), out
    assert "Usage:" not in out and "Show this message" not in out
    code, out, _ = cli("--lang", "en", *args)
    assert code == 0 and all(word in out for word in english), out


@pytest.mark.parametrize(
    ("args", "vietnamese", "english"),
    [
        (("duty", "lis"), 'Lỗi: Không có lệnh "lis". Có phải ý bạn là', "Error: No such command 'lis'. Did you mean"),
        (("duty", "list", "--nope"), "Lỗi: Không có tùy chọn --nope.", "Error: No such option: --nope"),
        (("duty", "show"), "Lỗi: Thiếu tham số", "Error: Missing argument"),
        (("duty", "submit", "x"), "Lỗi: Thiếu tùy chọn --by.", "Error: Missing option --by."),
        (("outbox", "list", "--limit", "nhiều"), "Lỗi: Giá trị không hợp lệ cho", "Error: Invalid value for"),
        (("period",), "Lỗi: Thiếu tham số", "Error: Missing argument"),
    ],
)
def test_usage_errors_are_in_the_chosen_language(
    cli: Run, args: tuple[str, ...], vietnamese: str, english: str
) -> None:
    code, _, err = cli(*args)
    assert code == 2 and vietnamese in err, err
    assert "Cách dùng: dutyflow" in err and "Xem hướng dẫn: dutyflow" in err and "Usage:" not in err
    code, _, err = cli("--lang", "en", *args)
    assert code == 2 and english in err and "Usage: dutyflow" in err and "for help." in err, err


def test_an_option_without_its_value_is_said_in_words(cli: Run) -> None:
    code, _, err = cli("duty", "list", "--as-of")
    assert code == 2 and "Lỗi: Tùy chọn --as-of cần một giá trị." in err and "requires" not in err
    code, _, err = cli("--lang", "en", "duty", "list", "--as-of")
    assert code == 2 and "Error: Option --as-of requires an argument." in err


def test_an_unknown_message_passes_through_unchanged() -> None:
    set_locale("vi")
    assert in_words("Something Click never said") == "Something Click never said"
    assert in_words("Invalid value for '--limit': 'x' is not a valid integer.") == (
        "Giá trị không hợp lệ cho '--limit': \"x\" không phải là số hợp lệ."
    )


def test_a_missing_plan_file_is_said_plainly(cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.yaml"
    for command in (("plan", "validate"), ("plan", "load"), ("plan", "show"), ("demo",)):
        code, _, err = cli(*command, str(missing))
        assert code == 1 and f"Không có tệp {missing}: tệp không tồn tại" in err, err
        assert "No such file" not in err and ":1:" not in err
    code, _, err = cli("--lang", "en", "plan", "validate", str(missing))
    assert code == 1 and f"There is no file {missing}: it does not exist" in err
    code, _, err = cli("plan", "validate", str(tmp_path))
    assert code == 1 and "là một thư mục" in err


def test_a_missing_or_unreadable_document_is_said_plainly(cli: Run, tmp_path: Path) -> None:
    code, _, err = cli("plan", "import", str(tmp_path / "khong-co.docx"))
    assert code == 1 and "tệp không tồn tại" in err, err
    binary = tmp_path / "hong.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81 not text")
    code, _, err = cli("plan", "import", str(binary))
    assert code == 1 and ("UTF-8" in err or "Không đọc được" in err), err


@pytest.mark.parametrize(
    ("step", "words"),
    [
        ("remind-5", "nhắc trước hạn 5 ngày làm việc"),
        ("remind-0", "nhắc đúng ngày hạn"),
        ("escalate-1", "báo quá hạn lần 1"),
        ("escalate-3", "báo quá hạn lần 3"),
        ("digest-body", "tổng hợp việc quá hạn"),
        ("report", "báo cáo định kỳ"),
    ],
)
def test_every_step_has_words_and_a_rung_is_never_a_report(step: str, words: str) -> None:
    set_locale("vi")
    assert labels.step_name(step) == words
    if step.startswith("escalate"):
        assert "báo cáo" not in labels.step_name(step) and "báo cáo" not in labels.step(step)


def test_outbox_and_duty_show_say_steps_states_and_times_in_words(cli: Run, database_url: str, db: Session) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    code, _, err = cli("sweep", "--as-of", "2023-06-21T08:00", "--body", "tuphap", database_url=database_url)
    assert code == 0, err
    code, out, _ = cli("outbox", "list", database_url=database_url)
    assert code == 0 and "báo quá hạn lần 1" in out and "đã gửi" in out and "21/06/23 08:00" in out, out
    for code_word in ("escalate-", "remind-", " sent ", "+00:00", "UTC"):
        assert code_word not in out
    code, out, _ = cli("outbox", "list", "--json", database_url=database_url)
    message = json.loads(out)["messages"][0]
    assert message["step"].startswith(("escalate-", "remind-")) and message["at_words"] == "21/06/2023 08:00"
    code, out, _ = cli("duty", "show", "tuphap-1/2023-H1/tuphap", "--json", database_url=database_url)
    shown = json.loads(out)
    assert shown["due_on_words"] == "20/06/2023" and shown["status_name"] == "đang mở"
    assert shown["messages"][0]["sent_at_words"] == "21/06/2023 08:00"
    assert shown["messages"][0]["step_name"] == "báo quá hạn lần 1"


def test_demo_accounts_say_which_database_they_belong_to(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    for url in (first, second):
        code, out, err = cli("demo", str(SEED_PLAN), "--live", database_url=url)
        assert code == 0, err
        assert f"thuộc cơ sở dữ liệu {url}" in out
    lines = (tmp_path / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert len(headings) == 2 and first in headings[0] and second in headings[1]
    assert "(giờ Việt Nam)" in headings[0]
    assert lines.index(headings[1]) == 1 + 19 + 17  # 19 accounts and 17 communes under the first heading
