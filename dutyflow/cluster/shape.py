"""What a cluster is made of, from the settings: its addresses, its databases, the environment of each process."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from dutyflow.runtime import masked_url
from dutyflow.settings import Settings

WORK_POOL = "dutyflow"
QUEUE = "default"  # sweeps and each plan's report: the workers' queue, `worker_runs` at once on each
ORCHESTRATION_QUEUE = "orchestration"  # the reports' parent runs, which only wait for their children
ORCHESTRATOR = "dutyflow-orchestrator"


class ShapeError(ValueError):
    """Settings that cannot make a cluster (said in words by the CLI)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Shape:
    """One cluster: where its API listens, which databases and Redis it uses, how many workers it runs."""

    api_port: int
    prefect_database_url: str  # async driver, as Prefect's server takes it
    redis_url: str
    own_redis: bool  # True: the cluster starts and stops this redis-server itself
    workers: int
    worker_runs: int  # flow runs at once per worker
    directory: Path
    heartbeat_seconds: int
    database_url: str = ""  # dutyflow's own database: which bodies need a morning sweep

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def redis_port(self) -> int:
        return urlsplit(self.redis_url).port or 6379

    def shown_database(self) -> str:
        """The Prefect database's address without its password."""
        return masked_url(self.prefect_database_url)

    def shown_redis(self) -> str:
        """Redis's address without its password (DUTYFLOW_REDIS_URL may carry one)."""
        return masked_url(self.redis_url)

    def server_env(self) -> dict[str, str]:
        """Prefect's documented scaled set-up: PostgreSQL for its database, Redis for messaging, leases, docket."""
        return {
            "PREFECT_API_DATABASE_CONNECTION_URL": self.prefect_database_url,
            "PREFECT_MESSAGING_BROKER": "prefect_redis.messaging",
            "PREFECT_MESSAGING_CACHE": "prefect_redis.messaging",
            "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING": "prefect_redis.ordering",
            "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE": "prefect_redis.lease_storage",
            "PREFECT_REDIS_MESSAGING_URL": self.redis_url,
            "PREFECT_SERVER_DOCKET_URL": self.redis_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_API_URL": self.api_url,
            "PREFECT_API_URL": self.api_url,
        }

    def worker_env(self, name: str) -> dict[str, str]:
        """A worker and the flow runs it starts: the API to poll, heartbeats on, its name for the records."""
        return {
            "PREFECT_API_URL": self.api_url,
            "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(self.heartbeat_seconds),
            # A worker asks for runs every 2 s instead of 10: a busy worker takes its next run as soon as it
            # has room, instead of idling until the next poll.
            "PREFECT_WORKER_QUERY_SECONDS": "2",
            "DUTYFLOW_WORKER_NAME": name,
        }


def prefect_database(settings: Settings) -> str:
    """`prefect_database_url`, else a `prefect` database on the server of `database_url`; asyncpg either way."""
    chosen = settings.prefect_database_url.strip()
    if not chosen:
        base = make_url(settings.database_url)
        if not base.drivername.startswith("postgresql"):
            raise ShapeError("cluster.needs_postgresql", url=base.drivername)
        chosen = base.set(database="prefect").render_as_string(hide_password=False)
    url = make_url(chosen)
    if not url.drivername.startswith("postgresql"):
        raise ShapeError("cluster.needs_postgresql", url=url.drivername)
    return url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def shape_of(settings: Settings, *, workers: int | None = None) -> Shape:
    redis_url = settings.redis_url.strip()
    return Shape(
        api_port=settings.prefect_port,
        prefect_database_url=prefect_database(settings),
        redis_url=redis_url or f"redis://127.0.0.1:{settings.cluster_redis_port}/0",
        own_redis=not redis_url,
        workers=workers if workers is not None else settings.cluster_workers,
        worker_runs=settings.worker_runs,
        directory=settings.cluster_dir.resolve(),
        heartbeat_seconds=settings.heartbeat_seconds,
        database_url=settings.database_url,
    )


@dataclass
class Started:
    """What `cluster up` started, kept in the cluster's folder so that `status` and `down` find it."""

    api_url: str
    database: str
    redis_url: str
    work_pool: str
    workers: list[str]
    processes: dict[str, int] = field(default_factory=dict)  # name -> pid (each leads its own process group)
    ports: list[int] = field(default_factory=list)
    # False until `up` has finished: a record left unready by an `up` that died lists what it had started,
    # for the next `up` or `down` to stop.
    ready: bool = True

    def record(self, name: str, pid: int, directory: Path) -> None:
        """Add a process and save at once, before it is let run (see processes.spawn)."""
        self.processes[name] = pid
        self.save(directory)

    def save(self, directory: Path) -> None:
        path = directory / "cluster.json"
        temporary = path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(self), indent=2))
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)  # never half-written

    @classmethod
    def load(cls, directory: Path) -> Started | None:
        path = directory / "cluster.json"
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    @staticmethod
    def forget(directory: Path) -> None:
        (directory / "cluster.json").unlink(missing_ok=True)
