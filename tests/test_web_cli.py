"""People, roles and tokens managed from the command line; `dutyflow web` serves the dashboard alone."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.serving import free_port
from models.access import AccessToken, AuditEntry, Person
from tasks.people.accounts import authenticate
from tests.conftest import ROOT, Run
from tests.web_support import make_app, signed_in


def test_people_are_added_listed_and_disabled_from_the_cli(
    cli: Run, database_url: str, db: Session, loaded: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("mot-mat-khau-dai\n"))
    code, out, err = cli(
        "person",
        "add",
        "Lan.Nguyen",
        "--name",
        "Nguyễn Thị Lan",
        "--role",
        "focal",
        "--body",
        "yte",
        "--password-stdin",
        database_url=database_url,
    )
    assert code == 0, err
    assert "Đã tạo tài khoản lan.nguyen" in out and "mot-mat-khau-dai" not in out
    code, out, _ = cli("person", "add", "vp", "--name", "Văn phòng", "--role", "office", database_url=database_url)
    assert code == 0
    shown = out.split("kênh riêng): ", 1)[1].strip()
    person = db.scalars(select(Person).where(Person.login == "vp")).one()
    assert person.password_hash is not None and person.password_hash.startswith("$argon2id$")
    assert shown not in person.password_hash
    assert authenticate(db, login="vp", password=shown) is not None
    db.commit()
    code, out, _ = cli("person", "list", database_url=database_url)
    assert "lan.nguyen" in out and "Cán bộ đầu mối" in out and "Phòng Y tế" in out
    code, out, _ = cli("person", "disable", "lan.nguyen", database_url=database_url)
    assert code == 0 and "Đã khóa" in out
    assert db.scalars(select(Person.active).where(Person.login == "lan.nguyen")).one() is False
    db.commit()
    code, out, _ = cli("person", "disable", "lan.nguyen", "--active", database_url=database_url)
    assert code == 2  # no hidden option turns "disable" into "enable"
    code, out, _ = cli("person", "enable", "lan.nguyen", database_url=database_url)
    assert code == 0 and "Đã mở lại" in out
    assert db.scalars(select(Person.active).where(Person.login == "lan.nguyen")).one() is True
    actions = set(db.scalars(select(AuditEntry.action)))
    db.commit()
    assert {"person:add", "person:disable", "person:enable"} <= actions


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x1", "--name", "X", "--role", "focal"), "phải gắn với một cơ quan"),
        (("x2", "--name", "X", "--role", "office", "--body", "yte"), "không gắn với cơ quan"),
        (("x3", "--name", "X", "--role", "boss"), 'Vai trò "boss" không có'),
        (("x4", "--name", "X", "--role", "focal", "--body", "khong-co"), "Không có cơ quan mã"),
        (("bad login!", "--name", "X", "--role", "viewer"), "không hợp lệ"),
    ],
)
def test_a_wrong_account_is_refused_with_its_reason(
    cli: Run, database_url: str, loaded: object, args: tuple[str, ...], message: str
) -> None:
    code, _, err = cli("person", "add", *args, database_url=database_url)
    assert code == 1 and message in err


def test_a_calendar_address_from_the_cli_opens_until_it_is_revoked(
    cli: Run, database_url: str, db: Session, loaded: object
) -> None:
    code, out, err = cli("token", "calendar", "--body", "yte", database_url=database_url)
    assert code == 0, err
    url = out.split("(chỉ hiện lần này): ", 1)[1].split()[0]
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in "".join(db.scalars(select(AccessToken.token_sha256)))
    token_id = db.scalars(select(AccessToken.id)).one()
    db.commit()
    client = signed_in(make_app(database_url), None).client
    path = url.removeprefix("http://127.0.0.1:8000")
    assert "BEGIN:VCALENDAR" in client.get(path).text
    code, out, _ = cli("token", "list", database_url=database_url)
    assert "lịch ICS" in out and "yte" in out and secret not in out
    code, out, _ = cli("token", "revoke", str(token_id), database_url=database_url)
    assert code == 0 and f"Đã thu hồi mã số {token_id}" in out
    assert client.get(path).status_code == 404


def test_dutyflow_web_serves_the_dashboard_alone(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DUTYFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "DUTYFLOW_WEB_SECRET_FILE": str(tmp_path / "secret"),
    }
    web = subprocess.Popen(
        [sys.executable, "-m", "dutyflow.cli.app", "web", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert web.stdout is not None
        first = web.stdout.readline()
        assert f"Bảng điều khiển đang chạy tại http://127.0.0.1:{port}" in first
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=10) as page:
            assert page.status == 200 and "Đăng nhập" in page.read().decode()
        assert oct((tmp_path / "secret").stat().st_mode & 0o777) == "0o600"
    finally:
        web.terminate()
        web.communicate(timeout=30)
    assert web.returncode == 0
