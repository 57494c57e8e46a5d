"""`dutyflow report rollup`: the province roll-up of a period, per plan and per body, in the four formats."""

from pathlib import Path
from typing import Annotated

import typer

from dutyflow.cli.common import fail, out, print_json, settings, transaction
from dutyflow.i18n import t

PROVINCE_DIR = "_province"  # as flows/compile_report.py writes it: beside each plan's folder


def register(report_app: typer.Typer) -> None:
    @report_app.command("rollup", help=t("report.rollup.help"))
    def rollup_command(
        period: Annotated[str, typer.Option("--period", help=t("arg.period"), show_default=False)],
        formats: Annotated[str, typer.Option("--format", help=t("opt.formats"))] = "md,html,docx,xlsx",
        out_dir: Annotated[Path | None, typer.Option("--out", help=t("opt.out"), show_default=False)] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from dutyflow import runtime
        from reports.labels import period_label
        from reports.rollup_render import FORMATS, render_rollup  # docx and openpyxl: only when compiling
        from tasks.calendar.periods import PeriodError, parse_period
        from tasks.reports.rollup import compute_rollup

        try:
            found = parse_period(period)
        except PeriodError:
            fail(t("period.invalid", token=period))
        wanted = [f.strip() for f in formats.split(",") if f.strip()]
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown or not wanted:
            fail(t("report.bad_format", formats=", ".join(unknown) or "-", allowed=", ".join(FORMATS)))
        current = settings()
        label = period_label({"kind": found.kind.value, "token": found.token, "year": found.year})
        with transaction(read_only=True) as session:
            rollup = compute_rollup(
                session,
                period=found,
                now=runtime.business_now(current),
                calendar=runtime.work_calendar(current),
                due_soon_workdays=current.due_soon_workdays,
            )
        if not rollup["plans"]:
            fail(t("report.rollup.nothing", period=label))
        files = render_rollup(rollup, formats=wanted, out_dir=out_dir or current.reports_dir / PROVINCE_DIR)
        if as_json:
            print_json({"rollup": rollup, "files": files})
            return
        totals = rollup["totals"]
        out.print(
            t("report.rollup.compiled", period=label, plans=len(rollup["plans"]), due=totals["due"],
              on_time=totals["on_time"], late=totals["late"], overdue=totals["overdue"]),
            markup=False,
        )  # fmt: skip
        for path in files.values():
            out.print(f"  {path}", markup=False)
