"""`dutyflow indicator report|import` and `dutyflow report compile|list`."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dutyflow.cli.common import fail, out, print_json, settings, transaction
from dutyflow.cli.report_rollup import register as register_rollup
from dutyflow.cli.tables import table, wide_option
from dutyflow.i18n import t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from models.plan import Plan
    from tasks.reports.indicators import ValuesRefused


def _plan(session: "Session", code: str | None) -> "Plan":
    from sqlalchemy import select

    from models.plan import Plan

    query = select(Plan).order_by(Plan.code)
    if code:
        query = query.where(Plan.code == code)
    plans = list(session.scalars(query))
    if not plans:
        fail(t("error.no_plan") if not code else t("report.unknown_plan", plan=code))
    if len(plans) > 1:
        fail(t("report.which_plan", plans=", ".join(p.code for p in plans)))
    return plans[0]


def _refused(error: "ValuesRefused", file: str | None = None) -> None:
    if file is None:  # one value: its problems are the error
        fail("; ".join(t(issue.code, **issue.params) for issue in error.issues) or t("indicator.refused", count=0))
    for issue in error.issues:
        where = ":".join(str(p) for p in (file, issue.row, issue.column) if p is not None)
        out.print(f"{where + ': ' if where else ''}{t(issue.code, **issue.params)}", markup=False)
    fail(t("indicator.refused", count=len(error.issues)))


def register(app: typer.Typer) -> None:
    indicator_app = typer.Typer(help=t("indicator.help"), no_args_is_help=True)
    app.add_typer(indicator_app, name="indicator")

    @indicator_app.command("report", help=t("indicator.report.help"))
    def report_value(
        target: Annotated[str, typer.Argument(help=t("arg.target"), show_default=False)],
        value_text: Annotated[str, typer.Argument(metavar="VALUE", help=t("arg.value"), show_default=False)],
        period: Annotated[str, typer.Option("--period", help=t("arg.period"), show_default=False)],
        by: Annotated[str, typer.Option("--by", help=t("opt.by"), show_default=False)],
        unit: Annotated[str | None, typer.Option("--unit", help=t("opt.unit"))] = None,
        note: Annotated[str | None, typer.Option("--note", help=t("opt.note"))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=t("opt.plan"))] = None,
    ) -> None:
        from dutyflow import runtime
        from tasks.plans.numbers import format_vn_number
        from tasks.reports.indicators import PlanVocabulary, ValueIssue, ValuesRefused, check_value, save_value
        from tasks.reports.tables import number_cell

        value = number_cell(value_text)  # read as the web form and a table read it: 1.234,5 or 1234.5
        if value is None:
            _refused(ValuesRefused([ValueIssue("indicator.not_a_number", {"value": value_text[:40]}, None, "value")]))
            return
        with transaction() as session:
            found = _plan(session, plan)
            checked, issues = check_value(
                PlanVocabulary(session, found), target=target, unit=unit, period=period, value=value
            )
            if issues or checked is None:
                _refused(ValuesRefused(issues))
                return
            row = save_value(
                session,
                plan=found,
                checked=checked,
                by=by,
                now=runtime.business_now(settings()),
                source="cli",
                note=note,
            )
            out.print(
                t(
                    "indicator.saved",
                    target=target,
                    period=row.period,
                    scope=row.scope,
                    value=format_vn_number(value),
                    version=row.version,
                ),
                markup=False,
            )

    @indicator_app.command("import", help=t("indicator.import.help"))
    def import_values(
        file: Annotated[Path, typer.Argument(help=t("arg.table"), show_default=False)],
        by: Annotated[str, typer.Option("--by", help=t("opt.by"), show_default=False)],
        allocations: Annotated[bool, typer.Option("--allocations", help=t("opt.allocations"))] = False,
        plan: Annotated[str | None, typer.Option("--plan", help=t("opt.plan"))] = None,
    ) -> None:
        from dutyflow import runtime
        from tasks.reports.indicators import ValuesRefused
        from tasks.reports.tables import import_table

        with transaction() as session:
            found = _plan(session, plan)
            try:
                count = import_table(
                    session, plan=found, path=file, by=by, now=runtime.business_now(settings()), allocations=allocations
                )
            except ValuesRefused as error:
                session.rollback()
                _refused(error, file.name)
                return
        out.print(t("indicator.imported", count=count, file=file.name), markup=False)

    report_app = typer.Typer(help=t("report.help"), no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @report_app.command("compile", help=t("report.compile.help"))
    def compile_command(
        period: Annotated[str, typer.Option("--period", help=t("arg.period"), show_default=False)],
        formats: Annotated[str, typer.Option("--format", help=t("opt.formats"))] = "md,html,docx,xlsx",
        out_dir: Annotated[Path, typer.Option("--out", help=t("opt.out"))] = Path("reports-out"),
        draft: Annotated[bool, typer.Option("--draft", help=t("opt.draft"))] = False,
        by: Annotated[str, typer.Option("--by", help=t("opt.by"))] = "dutyflow",
        plan: Annotated[str | None, typer.Option("--plan", help=t("opt.plan"))] = None,
    ) -> None:
        from dutyflow import runtime
        from tasks.calendar.periods import PeriodError, parse_period
        from tasks.reports.compiling import ReportRefused, compile_report  # matplotlib and docx: only when compiling

        try:
            found_period = parse_period(period)
        except PeriodError:
            fail(t("period.invalid", token=period))
        current = settings()
        with transaction() as session:
            found = _plan(session, plan)
            try:
                compiled = compile_report(
                    session,
                    plan=found,
                    period=found_period,
                    now=runtime.utc_now(),
                    calendar=runtime.work_calendar(current),
                    due_soon_workdays=current.due_soon_workdays,
                    formats=[f.strip() for f in formats.split(",") if f.strip()],
                    out_dir=out_dir,
                    by=by,
                    draft=draft,
                )
            except ReportRefused as error:
                fail(t(error.code, **error.params))
            report = compiled.report
            out.print(
                t("report.compiled", period=report.period, version=report.version, hash=report.content_sha256[:12]),
                markup=False,
            )
            for path in compiled.files.values():
                out.print(f"  {path}", markup=False)

    @report_app.command("list", help=t("report.list.help"))
    def list_command(
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False, wide: bool = wide_option()
    ) -> None:
        from sqlalchemy import select

        from models.report import Report
        from reports import labels

        with transaction(read_only=True) as session:
            rows: list[dict[str, Any]] = [
                {
                    "id": r.id,
                    "period": r.period,
                    "version": r.version,
                    "draft": r.draft,
                    "as_of": r.as_of.isoformat(),
                    "compiled_at": r.compiled_at.isoformat(),
                    "compiled_at_words": labels.vn_time(r.compiled_at),
                    "by": r.compiled_by,
                    "sha256": r.content_sha256,
                    "files": r.files,
                }
                for r in session.scalars(select(Report).order_by(Report.period, Report.version))
            ]
        if as_json:
            print_json({"reports": rows})
            return
        names = ("period", "version", "draft", "as_of", "compiled", "sha", "files")
        shown = names if wide else ("period", "version", "draft", "as_of", "compiled")
        made = table("#", *(t("report.cli.col." + n) for n in shown))
        for row in rows:
            cells = {
                "period": row["period"],
                "version": str(row["version"]),
                "draft": t("person.yes") if row["draft"] else "",
                "as_of": labels.day(row["as_of"]),
                "compiled": row["compiled_at_words"],
                "sha": row["sha256"][:12],
                "files": "\n".join(row["files"].values()),
            }
            made.add_row(str(row["id"]), *(cells[n] for n in shown))
        out.print(made)

    register_rollup(report_app)
