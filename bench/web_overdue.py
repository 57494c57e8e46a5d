"""The overdue page and its API over 1M occurrences, with 20 concurrent clients on loopback.

    .venv/bin/python -m bench.web_overdue [--database sqlite|postgresql] [--occurrences 1000000]
                                          [--clients 20] [--requests 400]

Fills a database with the seed plan and `--occurrences` occurrences spread over the 17 bodies and their
communes (about 3 % of them overdue), starts `dutyflow web` in its own process, signs in as the steering
office, then has `--clients` threads request each address `--requests` times in all. Prints p50, p95 and
p99 per address, and the same for /healthz on the same server as the baseline (the cost of HTTP alone).
Goal: p95 <= 100 ms for the overdue page and its API.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, insert, select, text

from bench.common import ROOT, fresh_database, load_seed, timed
from dutyflow.serving import free_port
from models import Body, Duty, Occurrence, Unit
from models.db import session_factory
from tasks.people.accounts import Role, add_person, issue_token

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)
PASSWORD = "bench-password-123"


def fill(engine: Engine, total: int) -> int:
    """`total` occurrences over 2014 to next year; the past ones mostly done, 3 % still open (overdue)."""
    rng = random.Random(total)
    with session_factory(engine).begin() as session:
        duties = list(session.execute(select(Duty.id, Duty.body_id, Duty.plan_id)))
        units: dict[int, list[int]] = {}
        for unit_id, body_id in session.execute(select(Unit.id, Unit.body_id)):
            units.setdefault(body_id, []).append(unit_id)
        rows = []
        for i in range(total):
            duty_id, body_id, plan_id = duties[i % len(duties)]
            due = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange((TODAY - dt.date(2014, 1, 1)).days + 365))
            roll = rng.random()
            status = "open" if due >= TODAY or roll < 0.03 else "waived" if roll < 0.04 else "accepted"
            rows.append(
                {
                    "plan_id": plan_id,
                    "duty_id": duty_id,
                    "body_id": body_id,
                    "unit_id": rng.choice(units[body_id]) if body_id in units else None,
                    "parent_id": None,
                    "key": f"bench/{i}",
                    "role": "own",
                    "period": f"{due.year}-H1",
                    "period_kind": "H1",
                    "period_start": due - dt.timedelta(days=180),
                    "period_end": due - dt.timedelta(days=6),
                    "due_on": due,
                    "status": status,
                    "submitted_at": None if status != "accepted" else NOW,
                    "status_changed_at": NOW,
                    "created_at": NOW,
                }
            )
            if len(rows) == 20_000:
                session.execute(insert(Occurrence), rows)
                rows = []
        if rows:
            session.execute(insert(Occurrence), rows)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE occurrences"))  # what autovacuum does after a load this size
        return session.scalar(select(func.count()).where(Occurrence.status == "open", Occurrence.due_on < TODAY)) or 0


def people(engine: Engine) -> str:
    """The steering office's account; returns an API token for it."""
    with session_factory(engine).begin() as session:
        office = add_person(
            session, login="office", name="Văn phòng", role=Role.OFFICE, now=NOW, actor="bench", password=PASSWORD
        )
        return issue_token(session, kind="api", now=NOW, actor="bench", person=office)[1]


def session_cookie(base: str) -> dict[str, str]:
    """Sign in through the form as a browser does; returns the session cookie as a request header."""
    with httpx.Client(base_url=base) as client:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--occurrences", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="processes of dutyflow web (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database, Path(folder)) as engine:
        load_seed(engine)
        overdue, seconds = timed(lambda: fill(engine, args.occurrences))
        token = people(engine)
        with session_factory(engine)() as session:
            count = session.scalar(select(func.count()).select_from(Occurrence)) or 0
            commune = session.scalars(select(Body.code).where(Body.code == "ubnd-xa")).one()
        print(f"{args.database}: {count:,} occurrences, {overdue:,} overdue today (filled in {seconds:.0f} s)")
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
            browser = session_cookie(f"http://127.0.0.1:{port}")
            bearer = {"Authorization": f"Bearer {token}"}
            print(f"{args.clients} concurrent clients, {args.requests} requests per address, {args.workers} workers:")
            run = {"clients": args.clients, "requests": args.requests}
            baseline = show("/healthz (baseline)", load(port, "/healthz", {}, **run))
            addresses = [
                ("overdue page", "/overdue", browser),
                ("overdue page, filtered", f"/overdue?body={commune}&days=30", browser),
                ("overdue page, by body", "/overdue?sort=body", browser),
                ("overdue page 100", "/overdue?page=100", browser),
                ("API", "/api/v1/overdue", bearer),
            ]
            wide = ("/api/v1/overdue?per_page=500", bearer)
            for _, path, headers in addresses:  # warm up: every worker thread's connection, every view once
                load(port, path, headers, clients=args.clients, requests=args.clients * 4)
            results = {
                label: show(path, load(port, path, headers, **run), baseline) for label, path, headers in addresses
            }
            print("  beyond the goal (a page of 500 rows instead of 50):")
            show(wide[0], load(port, wide[0], wide[1], **run), baseline)
        finally:
            server.terminate()
            server.wait(timeout=30)
    worst = max(results, key=lambda k: results[k])
    verdict = "met" if results[worst] <= 100 else "NOT met"
    print(f"goal p95 <= 100 ms: {verdict} (slowest: {worst}, p95 {results[worst]:.1f} ms)")


if __name__ == "__main__":
    main()
