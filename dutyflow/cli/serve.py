"""`dutyflow serve`: every deployment of prefect.yaml, on the embedded Prefect server unless one is configured."""

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from dutyflow.cli.common import fail, out, settings, stop_on_signals
from dutyflow.cli.messages import checked_book
from dutyflow.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("serve", help=t("serve.help"))
    def serve(
        port: Annotated[int | None, typer.Option("--port", help=t("opt.port"), min=1, max=65535)] = None,
        prefect_home: Annotated[Path, typer.Option("--prefect-home", help=t("opt.prefect_home"))] = Path(".prefect"),
        web_port: Annotated[int | None, typer.Option("--web-port", help=t("opt.web_port"))] = None,
    ) -> None:
        from dutyflow.serving import (
            PortTaken,
            dashboard_server,
            deployments_from_yaml,
            ensure_free,
            prefect_server,
            sweeps_beyond_yaml,
        )

        current = settings()
        prefect_port = port if port is not None else current.prefect_port
        web_port = web_port if web_port is not None else current.web_port
        from prefect.settings import PREFECT_API_URL

        configured = PREFECT_API_URL.value()  # Prefect's own setting, read as Prefect reads it
        try:  # refused within a second, before anything starts: this instance's ports are its own
            if not configured:
                ensure_free("127.0.0.1", prefect_port, "DUTYFLOW_PREFECT_PORT")
            ensure_free(current.web_host, web_port, "DUTYFLOW_WEB_PORT")
        except PortTaken as taken:
            fail(t("serve.port_taken", port=taken.port, host=taken.host, setting=taken.setting), code=2)
        checked_book()  # channels and templates are refused now, not at 07:30
        stop_on_signals()
        server = (
            nullcontext(configured) if configured else prefect_server(home=prefect_home.resolve(), port=prefect_port)
        )
        try:
            from web.app import create_app

            dashboard = dashboard_server(create_app(current), host=current.web_host, port=web_port)
            with server as api_url, dashboard as web_url:
                from prefect import serve as prefect_serve
                from prefect.settings import temporary_settings

                deployments = [*deployments_from_yaml(), *sweeps_beyond_yaml(current.database_url)]
                ui = str(api_url).removesuffix("/api")
                out.print(
                    t(
                        "serve.ready",
                        ui=ui,
                        web=web_url,
                        count=len(deployments),
                        db=current.database_url.split("://")[0],
                    ),
                    markup=False,
                )
                with temporary_settings({PREFECT_API_URL: api_url}):
                    # Never pause on the way out: on a shared server the schedules belong to whoever else serves
                    # them, and an embedded server stops with this process anyway.
                    prefect_serve(*deployments, print_starting_message=False, pause_on_shutdown=False)
        except KeyboardInterrupt:
            pass
        except SystemExit as stop:
            # Prefect's runner answers a SIGTERM that comes before it has started with sys.exit(0): that is a
            # stop asked for too, and gets the same clean ending.
            if stop.code not in (0, None):
                raise
        except PortTaken as taken:
            fail(t("serve.port_taken", port=taken.port, host=taken.host, setting=taken.setting), code=2)
        except (RuntimeError, TimeoutError) as error:
            fail(t("serve.failed", problem=str(error)), code=2)
        out.print(t("serve.stopped"), markup=False)
