"""Every plan's periodic report compiled on the cluster: with 1 worker, then with 2, in the same run.

    .venv/bin/python -m bench.cluster [--plans 100] [--period 2023] [--runs-per-worker 1]

Needs the local PostgreSQL (127.0.0.1:5432, database `test`) and Debian's redis-server. Fills a fresh schema with
`--plans` plans of the seed's shape and a year of history (bench.report_compile's province), then for 1 and 2
workers: `dutyflow cluster up --workers N` on a Prefect database of its own, one `compile-report` run for the
period (it fans out a `compile-plan-report` child run per batch of plans through the work pool, a batch per run
slot online, then compiles the province roll-up), timed from its creation to its end, and `cluster down`. Prints
both wall times, the time per plan, the child runs (batches) and their sizes, the ratio, and, as the baseline, one
plan's report per format compiled in this process (no Prefect at all). Each worker runs `--runs-per-worker` flow
runs at once (each a process of its own); `--batch-plans` is DUTYFLOW_REPORT_BATCH_PLANS (1: a child per plan, as
before batches).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import ROOT, fresh_database, timed
from bench.report_compile import per_format, province
from dutyflow.serving import free_port
from flows.report_fan_out import DEPLOYMENT

AS_OF = "2023-12-15T08:00:00+07:00"  # the day after the year's cut-off, when the scheduled run would go


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "dutyflow.cli.app", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"dutyflow {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def drop_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def compile_on_cluster(
    database_url: str, workers: int, runs_per_worker: int, period: str, folder: Path, batch_plans: int
) -> tuple[float, list[str]]:
    """Seconds from the compile-report run's creation to its end, on a fresh cluster of `workers` workers, and
    its child runs' names with their seconds, in the order they were created."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    prefect_db = make_url(database_url).set(database=f"prefect_bench_{uuid.uuid4().hex[:8]}", query={})
    env = {
        **os.environ,
        "DUTYFLOW_DATABASE_URL": database_url,
        "DUTYFLOW_PREFECT_DATABASE_URL": prefect_db.render_as_string(hide_password=False),
        "DUTYFLOW_PREFECT_PORT": str(free_port()),
        "DUTYFLOW_CLUSTER_REDIS_PORT": str(free_port()),
        "DUTYFLOW_CLUSTER_DIR": str(folder / f"cluster-{workers}"),
        "DUTYFLOW_WORKER_RUNS": str(runs_per_worker),
        "DUTYFLOW_REPORT_BATCH_PLANS": str(batch_plans),
        "DUTYFLOW_REPORTS_DIR": str(folder / f"reports-{workers}"),
    }
    env.pop("PREFECT_API_URL", None)
    try:
        started, up_seconds = timed(lambda: cli(env, "cluster", "up", "--workers", str(workers), "--json"))
        api = json.loads(started.stdout)["api_url"]
        print(f"  cluster of {workers} worker(s) up in {up_seconds:.1f} s", flush=True)
        with temporary_settings({PREFECT_API_URL: api}):
            run = run_deployment(
                "compile-report/report-year",
                parameters={"kind": "year", "period": period, "as_of": AS_OF, "poll_seconds": 1},
                timeout=0,
            )
        with SyncPrefectClient(api) as prefect:
            while True:
                found = prefect.read_flow_run(run.id)  # type: ignore[union-attr]
                if found.state is not None and found.state.is_final():
                    break
                time.sleep(0.5)
            if found.state_name != "Completed":
                raise SystemExit(f"compile-report ended {found.state_name}: {found.state.message}")
            assert found.start_time is not None and found.end_time is not None
            batch = DeploymentFilter(id=DeploymentFilterId(any_=[prefect.read_deployment_by_name(DEPLOYMENT).id]))
            children = [r for r in prefect.read_flow_runs(deployment_filter=batch) if r.created is not None]
            shown = [f"{r.name} [{r.state_name}, {r.total_run_time.total_seconds():.1f} s]"
                     for r in sorted(children, key=lambda r: r.created)]  # type: ignore[arg-type,return-value]  # fmt: skip
            return float((found.end_time - found.created).total_seconds()), shown  # type: ignore[operator]
    finally:
        subprocess.run([sys.executable, "-m", "dutyflow.cli.app", "cluster", "down"], cwd=ROOT, env=env)
        drop_database(env["DUTYFLOW_PREFECT_DATABASE_URL"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--period", default="2023")
    parser.add_argument("--runs-per-worker", type=int, default=1)
    parser.add_argument("--batch-plans", type=int, default=50, help="DUTYFLOW_REPORT_BATCH_PLANS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with fresh_database("postgresql", folder) as engine:
            _, seconds = timed(lambda: province(engine, args.plans))
            print(f"{args.plans} plans with a year of history loaded in {seconds:.1f} s", flush=True)
            one = per_format(engine, "huyen-000", folder)
            one = per_format(engine, "huyen-000", folder)  # the second: imports and caches paid by the first
            total = sum(one.values())
            steps = ", ".join(f"{step} {value:.3f} s" for step, value in one.items())
            print(f"one plan's report in this process: {steps}; {total:.3f} s in all", flush=True)
            url = engine.url.render_as_string(hide_password=False)
            times = {}
            for workers in (1, 2):
                times[workers], children = compile_on_cluster(
                    url, workers, args.runs_per_worker, args.period, folder, args.batch_plans
                )
                print(
                    f"{args.plans} plans' reports and the roll-up on {workers} worker(s) "
                    f"({args.runs_per_worker} run(s) at once each): {times[workers]:.1f} s, "
                    f"{times[workers] / args.plans:.2f} s a plan, in {len(children)} child run(s):",
                    flush=True,
                )
                for child in children:
                    print(f"    {child}", flush=True)
            print(
                f"2 workers against 1: x{times[1] / times[2]:.2f} faster; "
                f"in-process compile of all plans would take about {total * args.plans:.0f} s (one process)"
            )


if __name__ == "__main__":
    started = dt.datetime.now()
    main()
    print(f"bench.cluster took {(dt.datetime.now() - started).total_seconds():.0f} s")
