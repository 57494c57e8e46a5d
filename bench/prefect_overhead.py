"""Prefect's overhead: one day's 17 body sweeps through the flows versus the same functions called directly.

    .venv/bin/python -m bench.prefect_overhead

Both do the same work (the outbox is emptied between runs): 2023-06-20 08:00, the H1 deadline, on the seed
plan in a fresh SQLite file. The flows run on Prefect's test server; its start-up is timed apart.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from sqlalchemy import delete, select

from bench.common import load_seed, timed
from dutyflow.settings import get_settings
from models import Body, DeliveryAttempt, InboxMessage, OutboxMessage
from models.db import make_engine, session_factory
from models.migrate import upgrade

AS_OF = "2023-06-20T08:00:00+07:00"


def reset(engine: object) -> None:
    with session_factory(engine).begin() as session:  # type: ignore[arg-type]
        for model in (InboxMessage, DeliveryAttempt, OutboxMessage):
            session.execute(delete(model))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        os.environ["DUTYFLOW_DATABASE_URL"] = url
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        get_settings.cache_clear()
        engine = make_engine(url)
        upgrade(engine)
        load_seed(engine)
        with session_factory(engine)() as session:
            bodies = list(session.scalars(select(Body.code).order_by(Body.order)))

        from flows.body_sweep import body_sweep
        from flows.sweep_task import run_sweep

        now = dt.datetime.fromisoformat(AS_OF).astimezone(dt.UTC)
        run_sweep.fn(bodies[0], now)  # warm imports, templates and the engine for both sides
        reset(engine)
        sent_direct, direct = timed(lambda: sum(run_sweep.fn(code, now)["sent"] for code in bodies))
        reset(engine)

        from prefect.testing.utilities import prefect_test_harness

        harness = prefect_test_harness(server_startup_timeout=180)
        _, startup = timed(harness.__enter__)
        try:
            body_sweep(bodies[0], as_of=AS_OF)  # the first flow run pays for Prefect's own warm-up
            reset(engine)
            sent_flows, flows = timed(lambda: sum(body_sweep(code, as_of=AS_OF)["sent"] for code in bodies))
        finally:
            harness.__exit__(None, None, None)
    print(f"{len(bodies)} body sweeps, direct calls: {direct:6.2f} s ({sent_direct} messages)")
    print(
        f"{len(bodies)} body sweeps, through Prefect flows: {flows:6.2f} s ({sent_flows} messages); "
        f"overhead {flows - direct:+.2f} s, {(flows - direct) / len(bodies) * 1000:.0f} ms per flow run; "
        f"ratio {flows / direct:.2f}"
    )
    print(f"Prefect test server start-up (paid once per process): {startup:.1f} s")


if __name__ == "__main__":
    main()
