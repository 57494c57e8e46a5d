"""`dutyflow serve` on the embedded default, and `prefect deploy --all` accepted by that local server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from dutyflow.serving import free_port

from .conftest import ROOT

DEPLOYMENTS = len(yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"])


def _deployments(api: str) -> list[dict[str, object]]:
    request = urllib.request.Request(
        f"{api}/deployments/filter", data=b"{}", method="POST", headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return list(json.load(answer))


def _is_up(api: str) -> bool:
    try:
        urllib.request.urlopen(f"{api}/health", timeout=2)
    except OSError:
        return False
    return True


def _deploy_all(env: dict[str, str], api: str, names: set[str]) -> None:
    prefect = {**env, "PREFECT_API_URL": api}
    pool = subprocess.run(
        [sys.executable, "-m", "prefect", "work-pool", "create", "dutyflow", "--type", "process"],
        cwd=ROOT,
        env=prefect,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pool.returncode == 0, pool.stdout + pool.stderr
    deployed = subprocess.run(
        [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"],
        cwd=ROOT,
        env=prefect,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-2000:]
    assert {str(d["name"]) for d in _deployments(api)} == names


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DUTYFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'dutyflow.db'}",
        "DUTYFLOW_WEB_SECRET_FILE": str(tmp_path / "web-secret"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    return env


def _serve_and_stop(tmp_path: Path, stop: signal.Signals, *, deploy: bool, ignore_sigint: bool = False) -> None:
    port, web_port = free_port(), free_port()
    env = _env(tmp_path)
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dutyflow.cli.app",
            "serve",
            "--port",
            str(port),
            "--prefect-home",
            str(tmp_path / "pf"),
            "--web-port",
            str(web_port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A shell starts background jobs with SIGINT ignored; serve must still stop on the signal it gets.
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        assert serve.stdout is not None
        lines = [serve.stdout.readline() for _ in range(4)]  # blocks until the start-up message
        started = "".join(lines)
        assert f"Giao diện Prefect: http://127.0.0.1:{port}" in started and "Ctrl-C" in started
        assert f"Bảng điều khiển: http://127.0.0.1:{web_port}" in started
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/sign-in", timeout=10) as page:
            assert page.status == 200 and "Đăng nhập" in page.read().decode()
        deadline = time.monotonic() + 60
        served: list[dict[str, object]] = []
        while time.monotonic() < deadline and len(served) < DEPLOYMENTS:
            served = _deployments(api)
            time.sleep(0.5)
        by_name = {str(d["name"]): d for d in served}
        assert len(by_name) == DEPLOYMENTS == 25 and {"sweep-all", "report-h1", "report-plan"} <= set(by_name)
        schedule = by_name["sweep-tuphap"]["schedules"][0]["schedule"]  # type: ignore[index]
        assert schedule["cron"] == "30 7 * * *" and schedule["timezone"] == "Asia/Ho_Chi_Minh"
        if deploy:
            _deploy_all(env, api, set(by_name))
    finally:
        serve.send_signal(stop)
        rest, _ = serve.communicate(timeout=60)
    assert serve.returncode == 0 and "Đã dừng dutyflow và Prefect server." in rest
    assert not _is_up(api)


def test_serve_starts_prefect_serves_every_deployment_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    _serve_and_stop(tmp_path, signal.SIGINT, deploy=True)


def test_serve_also_stops_cleanly_on_sigterm_even_with_sigint_ignored(tmp_path: Path) -> None:
    _serve_and_stop(tmp_path, signal.SIGTERM, deploy=False, ignore_sigint=True)


def _second_serve(tmp_path: Path, **ports: str) -> subprocess.CompletedProcess[str]:
    env = {**_env(tmp_path), **ports}
    return subprocess.run(
        [sys.executable, "-m", "dutyflow.cli.app", "serve", "--prefect-home", str(tmp_path / "pf2")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_second_serve_on_a_taken_port_is_refused_and_the_first_keeps_its_schedules(tmp_path: Path) -> None:
    port, web_port = free_port(), free_port()
    first = subprocess.Popen(
        [sys.executable, "-m", "dutyflow.cli.app", "serve", "--prefect-home", str(tmp_path / "pf")],
        cwd=ROOT,
        env={**_env(tmp_path), "DUTYFLOW_PREFECT_PORT": str(port), "DUTYFLOW_WEB_PORT": str(web_port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        assert first.stdout is not None
        started = "".join(first.stdout.readline() for _ in range(4))
        assert f"Giao diện Prefect: http://127.0.0.1:{port}" in started, started
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_deployments(api)) < DEPLOYMENTS:
            time.sleep(0.5)
        # The UI asks this address which API to call: the port it runs on, not 4200.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings", timeout=10) as answer:
            assert json.load(answer)["api_url"] == api

        for taken, setting in ((str(port), "DUTYFLOW_PREFECT_PORT"), (str(web_port), "DUTYFLOW_WEB_PORT")):
            others = {"DUTYFLOW_PREFECT_PORT": str(free_port()), "DUTYFLOW_WEB_PORT": str(free_port())}
            started_at = time.monotonic()
            second = _second_serve(tmp_path, **{**others, setting: taken})
            lines = [line for line in (second.stdout + second.stderr).splitlines() if line.strip()]
            assert second.returncode == 2, second.stdout + second.stderr
            assert len(lines) == 1 and taken in lines[0] and setting in lines[0], lines
            assert "Traceback" not in second.stderr and time.monotonic() - started_at < 30

        served = _deployments(api)
        assert len(served) == DEPLOYMENTS and not any(d["paused"] for d in served)
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    assert first.returncode == 0 and not _is_up(api)
