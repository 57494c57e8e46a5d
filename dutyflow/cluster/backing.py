"""What the Prefect server stands on: its PostgreSQL database (created if missing) and Redis (ours or given)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dutyflow.cluster.processes import spawn, wait_for
from dutyflow.cluster.shape import Shape, ShapeError


def ensure_database(async_url: str) -> bool:
    """Create Prefect's database if the server lacks it; True when it was created now."""
    url = make_url(async_url).set(drivername="postgresql+psycopg")
    name = url.database or "prefect"
    errors: list[str] = []
    for maintenance in ("postgres", "template1"):
        engine = create_engine(url.set(database=maintenance), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                version = int(connection.scalar(text("SHOW server_version_num")) or 0)
                if version < 140009:  # Prefect's scaled set-up needs 14.9 or newer
                    raise ShapeError("cluster.postgresql_too_old", version=f"{version // 10000}.{version % 100}")
                exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
                if not exists:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                return not exists
        except OperationalError as error:
            errors.append(str(error.orig).strip().splitlines()[0])
        finally:
            engine.dispose()
    raise ShapeError("cluster.database_unreachable", url=url.render_as_string(hide_password=True), problem=errors[-1])


def redis_answers(redis_url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def start_redis(shape: Shape, directory: Path, record: Callable[[int], None]) -> int | None:
    """Our own redis-server (nothing kept on disk) unless the settings name one; its pid, or None."""
    if not shape.own_redis:
        if not redis_answers(shape.redis_url):
            raise ShapeError("cluster.redis_unreachable", url=shape.shown_redis())
        return None
    binary = shutil.which("redis-server")
    if binary is None:
        raise ShapeError("cluster.redis_missing")
    command = [binary, "--port", str(shape.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    pid = spawn("redis", [*command, "--dir", str(directory)], env={}, directory=directory, record=record).pid
    wait_for(lambda: redis_answers(shape.redis_url), timeout=20, what="redis-server", pids=[pid])
    return pid
