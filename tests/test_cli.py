"""The `dutyflow` command line, as a person uses it: exit codes, messages, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from .conftest import ROOT, SEED_PLAN, Run


def test_validate_accepts_the_seed_plan(cli: Run) -> None:
    code, out, _ = cli("plan", "validate", str(SEED_PLAN))
    assert code == 0 and "hợp lệ — 17 cơ quan, 32 nhiệm vụ, 12 chỉ tiêu" in out


def test_validate_lists_every_error_as_file_line_field_message(cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = SEED_PLAN.read_text(encoding="utf-8")
    bad.write_text(
        text.replace("{code: overseas-workers,", "{code: jobs-created,").replace(
            "support_bodies: [noivu, ubnd-xa]", "support_bodies: [noi-vu, ubnd-xa]"
        ),
        encoding="utf-8",
    )
    code, _, err = cli("plan", "validate", str(bad))
    lines = [line for line in err.splitlines() if line.startswith(str(bad))]
    assert code == 1 and len(lines) == 2
    assert all(line.count(": ") >= 2 and line.split(":")[1].isdigit() for line in lines)
    assert 'bodies[2].duties[1].support_bodies[0]: không có cơ quan mã "noi-vu"' in err
    assert "2 lỗi, chưa nạp gì" in err


def test_errors_read_in_english_with_lang_en(cli: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    code, _, err = cli("--lang", "en", "plan", "validate", str(empty))
    assert code == 1 and f"{empty}:1: -: the file is empty" in err


def test_plan_show_json_gives_bodies_duties_and_targets(cli: Run) -> None:
    code, out, _ = cli("plan", "show", str(SEED_PLAN), "--json")
    data = json.loads(out)
    assert code == 0 and len(data["bodies"]) == 17
    assert sum(len(b["duties"]) for b in data["bodies"]) == 32
    assert sum(d["conditional"] for b in data["bodies"] for d in b["duties"]) == 7
    assert {d["role"] for b in data["bodies"] for d in b["duties"]} == {"lead", "support", "advise"}
    assert data["plan"]["number"] == "12/KH-UBND"


@pytest.mark.parametrize(
    ("token", "start", "end"),
    [
        ("2023-03", "2023-02-15", "2023-03-14"),
        ("2023-Q1", "2022-12-15", "2023-03-14"),
        ("2023-H1", "2022-12-15", "2023-06-14"),
        ("2023-H2", "2023-06-15", "2023-12-14"),
        ("2023-9M", "2022-12-15", "2023-09-14"),
        ("2023", "2022-12-15", "2023-12-14"),
    ],
)
def test_period_json(cli: Run, token: str, start: str, end: str) -> None:
    code, out, _ = cli("period", token, "--json")
    assert code == 0 and json.loads(out) == {"period": token, "start": start, "end": end}


def test_a_bad_period_is_refused_clearly(cli: Run) -> None:
    code, _, err = cli("period", "2023-Q5")
    assert code == 1 and "Kỳ không hợp lệ: 2023-Q5" in err


@pytest.mark.parametrize(
    ("date", "n", "expected"),
    [("2023-01-19", "1", "2023-01-27"), ("2023-01-27", "-1", "2023-01-19"), ("2023-05-04", "-2", "2023-04-27")],
)
def test_workdays_add_accepts_negative_counts(cli: Run, date: str, n: str, expected: str) -> None:
    code, out, _ = cli("workdays", "add", date, n)
    assert code == 0 and out.strip() == expected


def test_load_list_and_act_on_a_real_database(cli: Run, database_url: str, db: Session) -> None:
    code, out, _ = cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    assert code == 0 and "(mới)" in out and "17 cơ quan" in out
    code, out, _ = cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    assert code == 0 and "không thay đổi" in out and "tạo mới 0" in out

    code, out, _ = cli("duty", "list", "--as-of", "2023-06-22", "--body", "tuphap", "--json", database_url=database_url)
    rows = {r["key"]: r for r in json.loads(out)["occurrences"]}
    assert code == 0 and rows["tuphap-1/2023-H1/tuphap"]["category"] == "overdue"

    code, out, _ = cli(
        "duty", "submit", "tuphap-1/2023-H1/tuphap", "--by", "Lê Văn C", "--note", "Đã gửi", database_url=database_url
    )
    assert code == 0 and "đang mở → đã gửi, chờ xác nhận (bởi Lê Văn C)" in out
    code, _, err = cli("duty", "submit", "tuphap-1/2023-H1/tuphap", "--by", "Lê Văn C", database_url=database_url)
    assert code == 1 and "Không thể gửi kết quả" in err and "Không có gì thay đổi" in err

    code, out, _ = cli("duty", "show", "tuphap-1/2023-H1/tuphap", database_url=database_url)
    assert code == 0 and "Lê Văn C: đang mở → đã gửi, chờ xác nhận — Đã gửi" in out

    code, out, _ = cli(
        "funding", "record", "tckh-1", "--amount", "1.500.000.000", "--by", "Phòng TC-KH", database_url=database_url
    )
    assert code == 0 and "1.500.000.000 đồng" in out and "2 nhiệm vụ" in out

    code, out, _ = cli("duty", "list", "--as-of", "2023-06-19", database_url=database_url)
    assert code == 0 and "Nhiệm vụ tại ngày 19/06/2023" in out and "quá hạn:" in out


def test_a_plan_with_errors_leaves_the_database_as_it_was(
    cli: Run, database_url: str, db: Session, tmp_path: Path
) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    _, before, _ = cli("duty", "list", "--all", "--json", "--as-of", "2023-07-01", database_url=database_url)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SEED_PLAN.read_text(encoding="utf-8")
        .replace('title: "Kế hoạch', 'title: "Sửa')
        .replace("  - code: nnptnt\n", "  - code: ldtbxh\n"),
        encoding="utf-8",
    )
    code, _, err = cli("plan", "load", str(bad), database_url=database_url)
    assert code == 1 and "chưa nạp gì" in err
    _, after, _ = cli("duty", "list", "--all", "--json", "--as-of", "2023-07-01", database_url=database_url)
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("duty", "list", "--as-of", "2023-13-01"), "Ngày không hợp lệ: 2023-13-01"),
        (("duty", "list", "--status", "late"), "Tình hình không hợp lệ: late"),
        (("duty", "list", "--as-of", "2023-06-01"), "Cơ sở dữ liệu chưa có kế hoạch nào"),
        (("funding", "record", "tckh-1", "--amount", "nhiều", "--by", "A"), "Số tiền không hợp lệ"),
    ],
)
def test_bad_input_on_the_command_line_is_refused_clearly(cli: Run, args: tuple[str, ...], message: str) -> None:
    code, _, err = cli(*args)
    assert code == 1 and message in err


def test_an_unreachable_database_is_a_clear_error_with_the_password_masked(cli: Run) -> None:
    url = "postgresql+psycopg://dutyflow:s3cr3t-canary@127.0.0.1:9/nowhere"
    code, out, err = cli("duty", "list", database_url=url)
    assert code == 2 and "Không kết nối được cơ sở dữ liệu" in err
    assert "s3cr3t-canary" not in err + out and "***" in err


def test_the_installed_command_runs_in_its_own_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dutyflow.cli.app", "--lang", "en", "period", "2023-9M"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == "Period 2023-9M: from 15/12/2022 to 14/09/2023"


def test_the_summary_shows_every_body_at_a_glance(cli: Run, database_url: str, db: Session) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    code, out, _ = cli("duty", "summary", "--as-of", "2023-06-19", "--json", database_url=database_url)
    data = json.loads(out)
    assert code == 0 and [b["order"] for b in data["bodies"]] == list(range(1, 18))
    code, out, _ = cli("duty", "summary", "--as-of", "2023-06-19", database_url=database_url)
    assert code == 0 and "Tình hình thực hiện theo cơ quan, ngày 19/06/2023" in out and "Tổng cộng" in out


def test_demo_simulates_once_then_keeps_the_history(
    cli: Run, database_url: str, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo's accounts file is written where it runs
    code, out, _ = cli("demo", str(SEED_PLAN), "--until", "2023-03-31", database_url=database_url)
    assert code == 0 and "Đã mô phỏng 36 ngày" in out and "thất bại 0" in out
    office_password = out.split("Tài khoản thử của Văn phòng Ban Chỉ đạo: vanphong / ", 1)[1].split()[0]
    lines = (tmp_path / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    accounts = [line for line in lines if not line.startswith("#")]
    assert len(accounts) == 19 + 17 and accounts[0].startswith(f"vanphong\t{office_password}\t")  # 17 communes
    assert lines[0].startswith("# Tài khoản thử của cơ sở dữ liệu ")  # which database they belong to
    assert oct((tmp_path / "demo-accounts.txt").stat().st_mode & 0o777) == "0o600"
    code, out, _ = cli("demo", str(SEED_PLAN), "--until", "2023-03-31", database_url=database_url)
    assert code == 0 and "không mô phỏng lại" in out and "vanphong /" not in out  # no new account, no password
    assert (tmp_path / "demo-accounts.txt").read_text(encoding="utf-8").splitlines() == lines


def test_simulate_refuses_a_rate_outside_0_to_1(cli: Run) -> None:
    code, _, err = cli("simulate", "--from", "2023-03-01", "--to", "2023-03-02", "--submit-rate", "1.5")
    assert code == 1 and "Tỷ lệ phải từ 0 đến 1" in err


def test_indicator_and_report_commands(cli: Run, database_url: str, db: Session, tmp_path: Path) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    code, out, _ = cli(
        "indicator",
        "report",
        "jobs-created",
        "450",
        "--period",
        "2023-H1",
        "--unit",
        "xa-ham-giang",
        "--by",
        "Phòng LĐTBXH",
        database_url=database_url,
    )
    assert code == 0 and "phiên bản 1" in out
    code, _, err = cli(
        "indicator", "report", "trained-rate", "120", "--period", "2023-H1", "--by", "A", database_url=database_url
    )
    assert code == 1 and "tỷ lệ 120 % lớn hơn 100 %" in err
    table = tmp_path / "bad.csv"
    table.write_text("target,unit,period,value\njobs-created,xa-kim-son,2023-H1,5\nnope,,2023-H1,1\n", encoding="utf-8")
    code, out, err = cli("indicator", "import", str(table), "--by", "A", database_url=database_url)
    assert code == 1 and 'bad.csv:3:target: không có chỉ tiêu mã "nope"' in out and "không lưu gì" in err
    code, _, err = cli("report", "compile", "--period", "2099-H1", "--out", str(tmp_path), database_url=database_url)
    assert code == 1 and "chưa chốt số liệu" in err
    code, out, _ = cli(
        "report",
        "compile",
        "--period",
        "2023-H1",
        "--format",
        "md,docx",
        "--out",
        str(tmp_path),
        database_url=database_url,
    )
    assert code == 0 and "phiên bản 1" in out and ".docx" in out
    code, out, _ = cli("report", "list", "--json", database_url=database_url)
    (listed,) = json.loads(out)["reports"]
    assert code == 0 and listed["period"] == "2023-H1" and set(listed["files"]) == {"md", "docx"}


def test_the_installed_command_works_from_any_folder(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "dutyflow"
    env = {**os.environ, "DUTYFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [str(command), "report", "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Báo cáo định kỳ" in done.stdout


def test_the_office_sees_who_has_been_told(cli: Run, database_url: str, db: Session) -> None:
    cli("plan", "load", str(SEED_PLAN), database_url=database_url)
    for moment in ("2023-06-21T08:00", "2023-06-23T08:00"):  # escalation steps 1 and 2 for Phòng Tư pháp
        code, _, err = cli("sweep", "--as-of", moment, "--body", "tuphap", database_url=database_url)
        assert code == 0, err
    code, out, _ = cli("duty", "list", "--as-of", "2023-06-23", "--body", "tuphap", "--json", database_url=database_url)
    row = next(r for r in json.loads(out)["occurrences"] if r["key"] == "tuphap-1/2023-H1/tuphap")
    assert row["told_step"] == "escalate-2" and row["told_at"].startswith("2023-06-23")
    code, out, _ = cli("duty", "list", "--as-of", "2023-06-23", "--body", "tuphap", "--wide", database_url=database_url)
    assert code == 0 and "báo quá hạn lần 2" in out
    code, out, _ = cli("duty", "show", "tuphap-1/2023-H1/tuphap", database_url=database_url)
    assert code == 0 and "Thông báo đã gửi" in out
    assert "báo quá hạn lần 1 → Trưởng phòng Tư pháp (đã gửi) inbox://tuphap-head ✓" in out
    assert "báo quá hạn lần 2 → Văn phòng Ban Chỉ đạo giảm nghèo huyện (đã gửi) inbox://van-phong-bcd ✓" in out
