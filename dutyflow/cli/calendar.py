"""`dutyflow period` and `dutyflow workdays add`."""

from typing import Annotated

import typer

from dutyflow.cli.common import fail, out, parse_date, print_json, settings
from dutyflow.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("period", help=t("period.help"))
    def period(
        token: Annotated[str, typer.Argument(help=t("arg.period"), show_default=False)],
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from tasks.calendar.periods import PeriodError, parse_period

        try:
            found = parse_period(token)
        except PeriodError:
            fail(t("period.invalid", token=token))
        data = {"period": found.token, "start": found.start.isoformat(), "end": found.end.isoformat()}
        if as_json:
            print_json(data)
        else:
            out.print(
                t("period.line", period=found.token, start=f"{found.start:%d/%m/%Y}", end=f"{found.end:%d/%m/%Y}"),
                markup=False,
            )

    workdays_app = typer.Typer(help=t("workdays.help"), no_args_is_help=True)
    app.add_typer(workdays_app, name="workdays")

    # ignore_unknown_options lets a negative N through instead of reading it as an option.
    @workdays_app.command("add", help=t("workdays.add.help"), context_settings={"ignore_unknown_options": True})
    def add(
        date: Annotated[str, typer.Argument(help=t("arg.date"), show_default=False)],
        n: Annotated[int, typer.Argument(help=t("arg.n"), show_default=False)],
    ) -> None:
        from dutyflow import runtime

        start = parse_date(date)
        out.print(runtime.work_calendar(settings()).add_workdays(start, n).isoformat(), markup=False)
