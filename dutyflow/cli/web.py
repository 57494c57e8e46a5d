"""`dutyflow web`: the dashboard alone (pages, JSON API, calendar feeds)."""

import time
from typing import Annotated

import typer

from dutyflow.cli.common import fail, out, settings, stop_on_signals
from dutyflow.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("web", help=t("web.help"))
    def web(
        host: Annotated[str | None, typer.Option("--host", help=t("opt.web_host"))] = None,
        port: Annotated[int | None, typer.Option("--port", help=t("opt.web_port"), min=1, max=65535)] = None,
        workers: Annotated[int | None, typer.Option("--workers", help=t("opt.web_workers"), min=1, max=64)] = None,
    ) -> None:
        from dutyflow.serving import dashboard_server
        from web.app import create_app

        current = settings()
        host, port = host or current.web_host, port if port is not None else current.web_port
        processes = workers or current.web_workers
        if processes > 1:  # uvicorn starts and supervises the worker processes, and stops them on Ctrl-C
            import uvicorn

            create_app(current)  # the database is migrated and checked once, before the workers start
            out.print(t("web.ready_workers", url=f"http://{host}:{port}", workers=processes), markup=False)
            uvicorn.run(
                "web.app:app_from_environment",
                factory=True,
                host=host,
                port=port,
                workers=processes,
                log_level="warning",
                access_log=False,
            )
            out.print(t("web.stopped"), markup=False)
            return
        stop_on_signals()
        try:
            with dashboard_server(create_app(current), host=host, port=port) as url:
                out.print(t("web.ready", url=url, public=current.dashboard_url), markup=False)
                while True:
                    time.sleep(1)
        except KeyboardInterrupt:
            pass
        except RuntimeError as error:
            fail(t("web.failed", problem=str(error)), code=2)
        out.print(t("web.stopped"), markup=False)
