"""Serving the deployments of prefect.yaml: on a Prefect server started here, or on the one configured."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from dutyflow.settings import PROJECT_ROOT

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"


def deployments_from_yaml(path: Path = PREFECT_YAML) -> list[Any]:
    """RunnerDeployments for every entry of prefect.yaml, so that serve and `prefect deploy` agree."""
    from prefect.schedules import Cron

    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    deployments = []
    for entry in config["deployments"]:
        module_path, name = entry["entrypoint"].split(":")
        flow = getattr(importlib.import_module(module_path.removesuffix(".py").replace("/", ".")), name)
        schedules = [
            Cron(s["cron"], timezone=s.get("timezone", "Asia/Ho_Chi_Minh")) for s in entry.get("schedules", [])
        ]
        deployments.append(
            flow.to_deployment(
                name=entry["name"],
                parameters=entry.get("parameters") or {},
                schedules=schedules,
                description=entry.get("description"),
                concurrency_limit=entry.get("concurrency_limit"),
            )
        )
    return deployments


def sweeps_beyond_yaml(database_url: str) -> list[Any]:
    """RunnerDeployments of the morning sweep for the database's bodies that prefect.yaml does not name (bodies
    of plans loaded later), shaped as its own; none while the database has no tables yet."""
    from sqlalchemy.exc import SQLAlchemyError

    from dutyflow.body_sweeps import bodies_in, missing_sweeps, to_deployment

    try:
        bodies = bodies_in(database_url)
    except SQLAlchemyError:
        return []
    flow = importlib.import_module("flows.body_sweep").body_sweep
    return [to_deployment(flow, spec, on_pool=False) for spec in missing_sweeps(bodies)]


class PortTaken(RuntimeError):
    """Something already listens where this instance would: another dutyflow, another Prefect, anything."""

    def __init__(self, host: str, port: int, setting: str) -> None:
        super().__init__(f"{host}:{port} is taken; set {setting}")
        self.host, self.port, self.setting = host, port, setting


def ensure_free(host: str, port: int, setting: str) -> None:
    """Refuse a port that anything listens on (a socket lingering after a stop does not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise PortTaken(host, port, setting) from None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(api_url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the Prefect server at {api_url} was not healthy within {timeout:.0f} s")


@contextmanager
def prefect_server(*, home: Path, port: int | None = None, timeout: float = 120) -> Iterator[str]:
    """Prefect's own server (SQLite, with its UI) as a child process; yields its API URL, stops it after.

    It must be ours: the port is checked free first, and the process must still be running once the address
    answers, so a server already there is never taken for the one started here.
    """
    port = port or free_port()
    ensure_free("127.0.0.1", port, "DUTYFLOW_PREFECT_PORT")
    home.mkdir(parents=True, exist_ok=True)
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_API_URL": api_url,  # the UI calls this API, whatever port it runs on
    }
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_UI_API_URL", None)
    log = (home / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(api_url, timeout, process)
        time.sleep(0.5)  # a server that lost the port to another exits right after binding fails
        if process.poll() is not None:
            raise PortTaken("127.0.0.1", port, "DUTYFLOW_PREFECT_PORT")
        yield api_url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


@contextmanager
def dashboard_server(app: Any, *, host: str, port: int, timeout: float = 30) -> Iterator[str]:
    """The dashboard on uvicorn in a thread beside Prefect's serve loop; yields its address, stops it after."""
    import threading

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name="dutyflow-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard could not listen on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
