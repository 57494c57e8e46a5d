"""`dutyflow plan validate|load|show`."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dutyflow.cli import importing
from dutyflow.cli.common import err, fail, out, print_json, settings, transaction
from dutyflow.cli.tables import table as make_table
from dutyflow.i18n import has, t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from models.planfile import PlanFile
    from tasks.plans.file import PlanIssue, PlanRead
    from tasks.plans.loading import LoadSummary


def render_issue(issue: "PlanIssue") -> str:
    key = issue.code if has(issue.code) else "schema.other"
    return f"{issue.file}:{issue.line}: {issue.field_path}: {t(key, **issue.params)}"


def read_or_fail(file: Path) -> tuple["PlanRead", "PlanFile"]:
    from tasks.plans.file import read_plan_file

    if not file.exists():  # said plainly, not as a reading error at line 1
        fail(t("plan.missing", file=str(file)))
    if file.is_dir():
        fail(t("plan.is_folder", file=str(file)))
    read = read_plan_file(file, max_bytes=settings().max_plan_bytes)
    if not read.ok or read.plan is None:
        for issue in read.issues:
            err.print(render_issue(issue), markup=False, highlight=False)
        fail(t("validate.failed", file=str(file), count=len(read.issues)))
    return read, read.plan


def load_into(session: "Session", read: "PlanRead", plan: "PlanFile") -> "LoadSummary":
    """Load a checked plan file with the configured calendar, now."""
    from dutyflow import runtime
    from tasks.plans.loading import load_plan

    current = settings()
    return load_plan(
        session,
        plan_file=plan,
        sha256=read.sha256,
        now=runtime.utc_now(),
        calendar=runtime.work_calendar(current),
        support_lead_workdays=current.support_lead_workdays,
    )


def register(app: typer.Typer) -> None:
    plan_app = typer.Typer(help=t("plan.help"), no_args_is_help=True)
    app.add_typer(plan_app, name="plan")
    FileArg = Annotated[Path, typer.Argument(help=t("opt.file"), show_default=False)]

    importing.register(plan_app, read_or_fail)

    @plan_app.command("validate", help=t("plan.validate.help"))
    def validate(file: FileArg) -> None:
        _, plan = read_or_fail(file)
        out.print(
            t(
                "validate.ok",
                file=str(file),
                bodies=len(plan.bodies),
                duties=len(plan.all_duties()),
                targets=len(plan.targets),
            ),
            markup=False,
        )

    @plan_app.command("load", help=t("plan.load.help"))
    def load(file: FileArg) -> None:
        read, plan = read_or_fail(file)
        with transaction() as session:
            summary = load_into(session, read, plan)
        if summary.new_plan:
            state = t("load.state.new")
        elif summary.changed_rows:
            state = t("load.state.changed", changes=summary.changed_rows)
        else:
            state = t("load.state.same")
        out.print(t("load.done", plan=summary.plan_code, state=state, **summary.counts), markup=False)
        out.print(
            t("load.occurrences", created=summary.generation.created, rescheduled=summary.generation.rescheduled),
            markup=False,
        )

    @plan_app.command("show", help=t("plan.show.help"))
    def show(file: FileArg, as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False) -> None:
        from tasks.plans.summary import plan_as_json

        _, plan = read_or_fail(file)
        if as_json:
            print_json(plan_as_json(plan))
            return
        header = plan.plan
        out.print(f"[bold]{header.number}[/] — {header.title}", highlight=False)
        out.print(f"{header.issuer}, {header.place}, {header.issued_on:%d/%m/%Y}", markup=False)
        table = make_table(t("list.col.body"), "#", t("show.duty"))
        for body in plan.bodies:
            duties = ", ".join(
                f"{d.code} ({t('role.' + d.role.value)}, {t('kind.' + d.kind.value)})" for d in body.duties
            )
            table.add_row(body.name, str(body.order), duties)
        out.print(table)
