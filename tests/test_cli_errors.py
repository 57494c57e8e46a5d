"""An operational error in the CLI is one clear line, secrets masked, exit code 2; `--debug` shows the traceback:
a database out of reach, connections killed mid-run, a full disk, an id no row can have."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tasks.plans.loading import LoadSummary
from tests.conftest import PG_URL, Run

ROOT = Path(__file__).resolve().parent.parent
SECRET = "mat-khau-bi-mat"


def dutyflow(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dutyflow.cli.app", *args],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr + done.stdout and SECRET not in done.stderr + done.stdout
    return lines[0]


@pytest.mark.parametrize(
    "url",
    [f"postgresql+psycopg://dutyflow:{SECRET}@127.0.0.1:1/khong-co", "sqlite:////thu-muc-khong-co/dutyflow.db"],
    ids=["postgresql", "sqlite"],
)
def test_a_database_out_of_reach_is_one_line_for_web_and_list(url: str, tmp_path: Path) -> None:
    for args in (["web", "--port", "1"], ["duty", "list"], ["--lang", "en", "duty", "list"]):
        line = one_clear_line(dutyflow(*args, DUTYFLOW_DATABASE_URL=url, DUTYFLOW_WEB_SECRET_FILE=str(tmp_path / "k")))
        assert ("database" in line) if "en" in args else ("cơ sở dữ liệu" in line), line
    debug = dutyflow("--debug", "duty", "list", DUTYFLOW_DATABASE_URL=url)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    document = ROOT / "plans" / "sources" / "tra-cu-2023.txt"
    line = one_clear_line(dutyflow("plan", "import", str(document), "--out", "/dev/full"))
    assert "ổ đĩa đã đầy" in line, line


def test_an_id_no_row_can_have_is_a_clear_refusal(
    cli: Run, database_url: str, db: Session, loaded: LoadSummary
) -> None:
    db.commit()
    code, _out, err = cli("duty", "submit", "99999999999999999999", "--by", "A", database_url=database_url)
    assert code == 1 and "Traceback" not in err and "99999999999999999999" in err, err


@pytest.fixture
def own_schema() -> Iterator[str]:
    """A PostgreSQL schema of this test's own, the seed plan loaded into it by the CLI: the server is the point
    here (its connections are killed), so this test runs on PostgreSQL only, never skipped."""
    assert PG_URL, "this test needs PostgreSQL: set DUTYFLOW_TEST_DATABASE_URL (make test and .ci/run do)"
    schema = f"dutyflow_kill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )
    try:
        loaded = dutyflow("plan", "load", str(ROOT / "plans" / "tra-cu-2023.yaml"), DUTYFLOW_DATABASE_URL=url)
        assert loaded.returncode == 0, loaded.stderr
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_connections_killed_mid_run_end_in_one_line(own_schema: str) -> None:
    database_url = own_schema
    victim = make_url(database_url).update_query_dict({"application_name": "dutyflow-victim"})
    run = subprocess.Popen(
        [sys.executable, "-m", "dutyflow.cli.app", "simulate", "--from", "2023-01-01", "--to", "2023-12-31"],
        cwd=ROOT,
        env={**os.environ, "DUTYFLOW_DATABASE_URL": victim.render_as_string(hide_password=False)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    admin = create_engine(make_url(database_url).set(query={}), isolation_level="AUTOCOMMIT")
    killed = 0
    try:
        deadline = time.monotonic() + 60
        while run.poll() is None and time.monotonic() < deadline:
            with admin.connect() as conn:
                killed += conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = 'dutyflow-victim'"
                    )
                ).scalar_one()
            time.sleep(0.05)
        out, err = run.communicate(timeout=60)
    finally:
        admin.dispose()
        if run.poll() is None:
            run.kill()
    assert killed, "the run ended before any connection could be killed"
    done = subprocess.CompletedProcess(run.args, run.returncode, out, err)
    line = one_clear_line(done)
    assert "kết nối" in line, line
