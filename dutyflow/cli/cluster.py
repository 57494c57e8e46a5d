"""`dutyflow cluster up|status|down`: Prefect's scaled shape on this machine's loopback (API server, background
services, PostgreSQL, Redis, a process work pool and its workers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from dutyflow.cli.common import err, fail, out, print_json, settings
from dutyflow.i18n import t

if TYPE_CHECKING:
    from dutyflow.cluster.shape import Shape, ShapeError

cluster_app = typer.Typer(help=t("cluster.help"), no_args_is_help=True)
EXIT_BUSY = 3  # another `cluster up` or `down` holds the folder: try again once it has finished


def _refuse(error: ShapeError) -> NoReturn:
    fail(t(error.key, **error.values), code=EXIT_BUSY if error.key == "cluster.busy" else 2)


def _shape(workers: int | None = None) -> Shape:
    from dutyflow.cluster.shape import ShapeError, shape_of

    try:
        return shape_of(settings(), workers=workers)
    except ShapeError as error:
        _refuse(error)


@cluster_app.command("up", help=t("cluster.up.help"))
def up_command(
    workers: Annotated[int | None, typer.Option("--workers", help=t("cluster.opt.workers"), min=1, max=64)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
) -> None:
    from dataclasses import asdict

    from dutyflow.cluster.lifecycle import up
    from dutyflow.cluster.shape import ShapeError

    shape = _shape(workers)
    try:
        started = up(shape, progress=lambda key: err.print(t(key), markup=False))
    except ShapeError as error:
        _refuse(error)
    except (RuntimeError, TimeoutError, OSError) as error:
        fail(t("cluster.failed", problem=str(error), folder=str(shape.directory)), code=2)
    if as_json:
        shown = asdict(started)
        print_json({key: shown[key] for key in ("api_url", "database", "redis_url", "work_pool", "workers")})
        return
    out.print(
        t(
            "cluster.ready",
            api=started.api_url,
            ui=shape.ui_url,
            database=started.database,
            redis=started.redis_url,
            pool=started.work_pool,
            workers=", ".join(started.workers),
        ),
        markup=False,
    )


@cluster_app.command("status", help=t("cluster.status.help"))
def status_command(as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False) -> None:
    from dutyflow.cluster.lifecycle import status

    found = status(settings().cluster_dir.resolve())
    prefect = found.prefect
    unswept = _unswept(found.api_url) if prefect and prefect.healthy else []
    data = {
        "up": found.up,
        "api_url": found.api_url,
        "processes": found.processes,
        "api_healthy": bool(prefect and prefect.healthy),
        "workers_online": prefect.workers_online if prefect else [],
        "deployments": prefect.deployments if prefect else 0,
        "late_runs": prefect.late_runs if prefect else 0,
        "running_runs": prefect.running if prefect else 0,
        "bodies_without_sweep": unswept,
    }
    if as_json:
        print_json(data)
    elif not found.up:
        out.print(t("cluster.status.down"), markup=False)
    else:
        lines = [t("cluster.status.head", api=found.api_url)]
        for name, running in found.processes.items():
            lines.append(f"  {name}: {t('cluster.status.running' if running else 'cluster.status.stopped')}")
        lines.append(
            t(
                "cluster.status.prefect",
                online=len(data["workers_online"]),  # type: ignore[arg-type]
                deployments=data["deployments"],
                late=data["late_runs"],
                running=data["running_runs"],
            )
        )
        if unswept:
            lines.append(t("cluster.status.unswept", bodies=", ".join(unswept)))
        out.print("\n".join(lines), markup=False)
    if found.up and not all(found.processes.values()):
        raise typer.Exit(1)


def _unswept(api_url: str) -> list[str]:
    """Codes of the database's bodies that have no sweep deployment on the cluster (none when unreadable)."""
    from sqlalchemy.exc import SQLAlchemyError

    from dutyflow.cluster.sweeps import unswept

    try:
        return [spec.body_code for spec in unswept(settings().database_url, api_url)]
    except SQLAlchemyError:
        return []


@cluster_app.command("sync", help=t("cluster.sync.help"))
def sync_command() -> None:
    from dutyflow.cluster.lifecycle import status
    from dutyflow.cluster.sweeps import register_missing_sweeps

    found = status(settings().cluster_dir.resolve())
    if not (found.prefect and found.prefect.healthy):
        fail(t("cluster.sync.not_up"), code=2)
    added = register_missing_sweeps(settings().database_url, found.api_url)
    out.print(t("cluster.sync.added", names=", ".join(added)) if added else t("cluster.sync.none"), markup=False)


@cluster_app.command("down", help=t("cluster.down.help"))
def down_command() -> None:
    from dutyflow.cluster.lifecycle import down
    from dutyflow.cluster.shape import ShapeError

    try:
        left = down(settings().cluster_dir.resolve())
    except ShapeError as error:
        _refuse(error)
    if left:
        fail(t("cluster.down.left", ports=", ".join(map(str, left))))
    out.print(t("cluster.down.done"), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(cluster_app, name="cluster")
