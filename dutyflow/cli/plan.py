"""`dutyflow plan validate|load|show`."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from dutyflow import runtime
from dutyflow.cli import importing
from dutyflow.cli.common import err, fail, out, print_json, settings, transaction
from dutyflow.i18n import has, t
from models.planfile import PlanFile
from tasks.plans.file import PlanIssue, PlanRead, read_plan_file
from tasks.plans.loading import LoadSummary, load_plan
from tasks.plans.summary import plan_as_json


def render_issue(issue: PlanIssue) -> str:
    key = issue.code if has(issue.code) else "schema.other"
    return f"{issue.file}:{issue.line}: {issue.field_path}: {t(key, **issue.params)}"


def read_or_fail(file: Path) -> tuple[PlanRead, PlanFile]:
    read = read_plan_file(file, max_bytes=settings().max_plan_bytes)
    if not read.ok or read.plan is None:
        for issue in read.issues:
            err.print(render_issue(issue), markup=False, highlight=False)
        fail(t("validate.failed", file=str(file), count=len(read.issues)))
    return read, read.plan


def load_into(session: Session, read: PlanRead, plan: PlanFile) -> LoadSummary:
    """Load a checked plan file with the configured calendar, now."""
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
        _, plan = read_or_fail(file)
        if as_json:
            print_json(plan_as_json(plan))
            return
        header = plan.plan
        out.print(f"[bold]{header.number}[/] — {header.title}", highlight=False)
        out.print(f"{header.issuer}, {header.place}, {header.issued_on:%d/%m/%Y}", markup=False)
        table = Table(t("list.col.body"), "#", t("show.duty"), show_lines=False)
        for body in plan.bodies:
            duties = ", ".join(
                f"{d.code} ({t('role.' + d.role.value)}, {t('kind.' + d.kind.value)})" for d in body.duties
            )
            table.add_row(body.name, str(body.order), duties)
        out.print(table)
