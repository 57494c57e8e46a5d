"""The overview, the overdue list, their API and the overdue CSV at province scale, with 20 concurrent clients.

    .venv/bin/python -m bench.web_overdue [--database sqlite|postgresql] [--plans 100] [--occurrences 1000000]
                                          [--clients 20] [--requests 400] [--past 2019-06-30] [--url URL]

Fills a database with `--plans` copies of the seed plan (each with its own code, number, bodies and communes)
and `--occurrences` occurrences spread over them, each with a status history (bench/province_fill.py), starts
`dutyflow web` in its own process, signs in as the steering office, then has `--clients` connections request
each address `--requests` times in all: the overview and the overdue list today and on a past day, the API,
one plan. Prints p50, p95 and p99 per address beside /healthz on the same server as the baseline (the cost of
HTTP alone), the first (uncached) answer of each, the overdue CSV's time and row count, and the first answers
after one submission (what the office waits for after any change).
Goals: p95 <= 100 ms for the pages and the API, the CSV in <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select

from bench.common import ROOT, fresh_database, timed
from bench.province_fill import fill, load_plans, overdue_today
from dutyflow.serving import free_port
from models import Occurrence, Plan
from models.access import Person
from models.db import make_engine, session_factory
from tasks.duties.statuses import Action, transition
from tasks.people.accounts import Role, add_person, issue_token

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
PASSWORD = "bench-password-123"


def people(engine: Engine) -> str:
    """The steering office's account; returns an API token for it."""
    with session_factory(engine).begin() as session:
        office = add_person(
            session, login="office", name="Văn phòng", role=Role.OFFICE, now=NOW, actor="bench", password=PASSWORD
        )
        return issue_token(session, kind="api", now=NOW, actor="bench", person=office)[1]


def session_cookie(base: str) -> dict[str, str]:
    """Sign in through the form as a browser does; returns the session cookie as a request header."""
    with httpx.Client(base_url=base, timeout=120) as client:  # signing in checks a password (argon2): slow on purpose
        form = client.get("/sign-in").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf is not None
        answer = client.post("/sign-in", data={"login": "office", "password": PASSWORD, "csrf": csrf.group(1)})
        assert answer.status_code == 303, answer.text
        return {"Cookie": f"dutyflow_session={client.cookies['dutyflow_session']}"}


async def _client(port: int, request: bytes, count: int, latencies: list[float]) -> None:
    """One kept-alive connection sending `count` requests one after another, timing each answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for n in range(count + 1):
        start = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        body = await reader.readexactly(length)
        if status != 200:
            raise RuntimeError(f"{status}: {body[:200]!r}")
        if n:  # the first request only opens the connection
            latencies.append((time.perf_counter() - start) * 1000)
    writer.close()
    await writer.wait_closed()


def load(port: int, path: str, headers: dict[str, str], *, clients: int, requests: int) -> list[float]:
    """Latencies (ms) of `requests` GETs of `path` from `clients` concurrent connections. The clients are
    asyncio tasks in one thread: the lightest load generator Python has, so that the server keeps the cores."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []

    async def everyone() -> None:
        per_client = max(1, requests // clients)
        await asyncio.gather(*(_client(port, request, per_client, latencies) for _ in range(clients)))

    asyncio.run(everyone())
    return latencies


def _wait_listening(port: int) -> None:
    for _ in range(600):
        try:
            with httpx.Client() as client:
                if client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError("the dashboard did not start")


def show(label: str, latencies: list[float], baseline: float | None = None) -> float:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    ratio = f"  p95 {p95 / baseline:5.1f}x the baseline" if baseline else ""
    print(
        f"  {label:38} n={len(ordered):4}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms{ratio}", flush=True
    )
    return p95


def first_answer(port: int, path: str, headers: dict[str, str]) -> float:
    """The time of one request alone (ms): on a fresh server, the view computed rather than reused."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=600) as client:
        start = time.perf_counter()
        answer = client.get(path)
        assert answer.status_code == 200, answer.text[:200]
        return (time.perf_counter() - start) * 1000


def csv_download(port: int, path: str, headers: dict[str, str]) -> tuple[float, int]:
    """(seconds, data rows) of one CSV download, read to its end."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=600) as client:
        start = time.perf_counter()
        with client.stream("GET", path) as answer:
            assert answer.status_code == 200
            lines = sum(chunk.count("\n") for chunk in answer.iter_text())
        return time.perf_counter() - start, lines - 1


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", help="a database filled by an earlier run (kept): measured as it is, not filled")
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--occurrences", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="processes of dutyflow web")
    parser.add_argument("--past", type=dt.date.fromisoformat, default=dt.date(2019, 6, 30))
    return parser.parse_args()


@contextmanager
def prepared(args: argparse.Namespace, folder: Path) -> Iterator[tuple[Engine, str]]:
    """The database to measure and an API token of the office: a new one filled here, or with `--url` one filled
    by an earlier run and kept (filling a million occurrences takes minutes)."""
    if args.url:
        engine = make_engine(args.url, immediate=False)
        try:
            yield engine, office_token(engine)
        finally:
            engine.dispose()
        return
    with fresh_database(args.database, folder) as engine:
        (_, loading) = timed(lambda: load_plans(engine, args.plans))
        (count, events), seconds = timed(lambda: fill(engine, args.occurrences, TODAY))
        print(
            f"{args.database}: {args.plans} plans (loaded in {loading:.0f} s), {count:,} occurrences and "
            f"{events:,} status events (filled in {seconds:.0f} s)",
            flush=True,
        )
        yield engine, people(engine)


def office_token(engine: Engine) -> str:
    """A new API token of the bench's office account, made if the database has none."""
    with session_factory(engine).begin() as session:
        office = session.scalars(select(Person).where(Person.login == "office")).first()
        if office is None:
            session.rollback()
            return people(engine)
        return issue_token(session, kind="api", now=NOW, actor="bench", person=office)[1]


def main() -> None:
    args = arguments()
    with tempfile.TemporaryDirectory() as folder, prepared(args, Path(folder)) as (engine, token):
        with session_factory(engine)() as session:
            one_plan = session.scalars(select(Plan.code).order_by(Plan.id).limit(1)).one()
            occurrences = session.scalar(select(func.count()).select_from(Occurrence))
        print(f"{engine.dialect.name}: {occurrences:,} occurrences, {overdue_today(engine, TODAY):,} overdue today")
        port = free_port()
        env = {
            **os.environ,
            "DUTYFLOW_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "DUTYFLOW_WEB_SECRET_FILE": str(Path(folder) / "secret"),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "dutyflow.cli.app", "web", "--port", str(port), "--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            server.stdout.readline()  # ready
            _wait_listening(port)
            results = measure(port, args, one_plan=one_plan, token=token)
            after_a_write(engine, port, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    worst = max(results, key=lambda k: results[k])
    verdict = "met" if results[worst] <= 100 else "NOT met"
    print(f"goal p95 <= 100 ms: {verdict} (slowest: {worst}, p95 {results[worst]:.1f} ms)")


def after_a_write(engine: Engine, port: int, args: argparse.Namespace) -> None:
    """One submission, as a focal point makes all day, then the first answer of each view that shows it: what
    the office waits for after any change (each view recomputed for the new state of the data)."""
    with session_factory(engine).begin() as session:
        occurrence = session.scalars(
            select(Occurrence).where(Occurrence.status == "open", Occurrence.due_on < TODAY).limit(1)
        ).one()
        transition(session, occurrence=occurrence, action=Action.SUBMIT, actor="bench", now=NOW)
    browser = session_cookie(f"http://127.0.0.1:{port}")
    print("after one submission, the first answer of each view (ms; each worker process recomputes once):")
    for path in ("/", "/overdue", f"/?as_of={args.past.isoformat()}", f"/overdue?as_of={args.past.isoformat()}"):
        print(f"  {path:38} {first_answer(port, path, browser):8.1f} ms", flush=True)


def measure(port: int, args: argparse.Namespace, *, one_plan: str, token: str) -> dict[str, float]:
    browser = session_cookie(f"http://127.0.0.1:{port}")
    bearer = {"Authorization": f"Bearer {token}"}
    past = args.past.isoformat()
    addresses = [
        ("overview today", "/", browser),
        ("overdue today", "/overdue", browser),
        (f"overdue at {past}", f"/overdue?as_of={past}", browser),
        (f"overview at {past}", f"/?as_of={past}", browser),
        ("overview, one plan", f"/?plan={one_plan}", browser),
        ("overdue, one plan", f"/overdue?plan={one_plan}", browser),
        ("overdue page 100", "/overdue?page=100", browser),
        ("API overdue", "/api/v1/overdue", bearer),
        (f"API overdue at {past}", f"/api/v1/overdue?as_of={past}", bearer),
        (f"API overview at {past}", f"/api/v1/overview?as_of={past}", bearer),
    ]
    print("first answer of each address (computed, not yet reused; /healthz first):", flush=True)
    print(f"  {'/healthz':38} {first_answer(port, '/healthz', {}):8.1f} ms", flush=True)
    for _, path, headers in addresses:
        print(f"  {path:38} {first_answer(port, path, headers):8.1f} ms", flush=True)
    print(f"{args.clients} concurrent clients, {args.requests} requests per address, {args.workers} workers:")
    run = {"clients": args.clients, "requests": args.requests}
    baseline = show("/healthz (baseline)", load(port, "/healthz", {}, **run))
    for _, path, headers in addresses:  # warm up: every worker thread's connection, every view once
        load(port, path, headers, clients=args.clients, requests=args.clients * 4)
    results = {label: show(path, load(port, path, headers, **run), baseline) for label, path, headers in addresses}
    print("the overdue CSV (one download at a time, read to the end):")
    for path in ("/overdue.csv", f"/overdue.csv?as_of={past}"):
        timings = [csv_download(port, path, browser) for _ in range(3)]
        best = min(seconds for seconds, _ in timings)
        worst = max(seconds for seconds, _ in timings)
        print(
            f"  {path:38} {timings[0][1]:7,} rows  best {best:5.2f} s  worst {worst:5.2f} s  "
            f"({worst * 1000 / baseline:.0f}x the /healthz p95)",
            flush=True,
        )
    return results


if __name__ == "__main__":
    main()
