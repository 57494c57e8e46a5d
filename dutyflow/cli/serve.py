"""`dutyflow serve`: every deployment of prefect.yaml, on the embedded Prefect server unless one is configured."""

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from dutyflow.cli.common import fail, out, settings, stop_on_signals
from dutyflow.cli.messages import checked_book
from dutyflow.i18n import t
from dutyflow.serving import dashboard_server, deployments_from_yaml, prefect_server


def register(app: typer.Typer) -> None:
    @app.command("serve", help=t("serve.help"))
    def serve(
        port: Annotated[int, typer.Option("--port", help=t("opt.port"))] = 4200,
        prefect_home: Annotated[Path, typer.Option("--prefect-home", help=t("opt.prefect_home"))] = Path(".prefect"),
        web_port: Annotated[int | None, typer.Option("--web-port", help=t("opt.web_port"))] = None,
    ) -> None:
        checked_book()  # channels and templates are refused now, not at 07:30
        stop_on_signals()
        from prefect.settings import PREFECT_API_URL

        configured = PREFECT_API_URL.value()  # Prefect's own setting, read as Prefect reads it
        server = nullcontext(configured) if configured else prefect_server(home=prefect_home.resolve(), port=port)
        current = settings()
        try:
            from web.app import create_app

            dashboard = dashboard_server(
                create_app(current),
                host=current.web_host,
                port=web_port if web_port is not None else current.web_port,
            )
            with server as api_url, dashboard as web_url:
                from prefect import serve as prefect_serve
                from prefect.settings import temporary_settings

                deployments = deployments_from_yaml()
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
                    prefect_serve(*deployments, print_starting_message=False)
        except KeyboardInterrupt:
            pass
        except (RuntimeError, TimeoutError) as error:
            fail(t("serve.failed", problem=str(error)), code=2)
        out.print(t("serve.stopped"), markup=False)
