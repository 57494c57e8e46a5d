"""`dutyflow web`: the dashboard alone (pages, JSON API, calendar feeds)."""

from typing import Annotated

import typer

from dutyflow.cli.common import out, settings
from dutyflow.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("web", help=t("web.help"))
    def web(
        host: Annotated[str | None, typer.Option("--host", help=t("opt.web_host"))] = None,
        port: Annotated[int | None, typer.Option("--port", help=t("opt.web_port"))] = None,
    ) -> None:
        import uvicorn

        from web.app import create_app

        current = settings()
        host, port = host or current.web_host, port if port is not None else current.web_port
        application = create_app(current)
        out.print(t("web.ready", url=f"http://{host}:{port}", public=current.dashboard_url), markup=False)
        uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)
        out.print(t("web.stopped"), markup=False)
