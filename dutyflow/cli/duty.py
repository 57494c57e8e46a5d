"""`dutyflow duty list|show|submit|accept|reject|waive|suspend|resume` and `dutyflow funding record`."""

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select

from dutyflow import runtime
from dutyflow.cli import duty_show
from dutyflow.cli.common import fail, out, parse_date, print_json, settings, transaction
from dutyflow.i18n import t
from dutyflow.refusals import explain
from models.plan import Plan
from reports import labels
from tasks.duties.actions import act_on_occurrence, record_funding
from tasks.duties.listing import DutyRow, list_duties, summarize_by_body
from tasks.duties.statuses import Action, Category, TransitionError
from tasks.plans.numbers import format_vn_number
from tasks.reminders.on_demand import NoticeSetup, queue_submission_notice

CATEGORY_STYLE = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "completed_late": "magenta",
    "completed_on_time": "green",
    "in_progress": "cyan",
    "not_applicable": "dim",
    "waived": "dim",
    "suspended": "dim",
}


# Shared parameters, made when a command is registered so that their help is in the chosen language.
def _plan() -> Any:
    return typer.Option(None, "--plan", help=t("opt.plan"))


def _by() -> Any:
    return typer.Option(..., "--by", help=t("opt.by"), show_default=False)


def _note() -> Any:
    return typer.Option(None, "--note", help=t("opt.note"))


def _occurrence() -> Any:
    return typer.Argument(..., help=t("arg.occurrence"), show_default=False)


SUMMARY_COLUMNS = (
    "overdue",
    "due_soon",
    "in_progress",
    "not_yet_due",
    "completed_on_time",
    "completed_late",
    "not_applicable",
    "waived",
    "suspended",
)


def _rows_as_of(day: dt.date, **filters: Any) -> list[DutyRow]:
    """The duty table of `day` from the configured database; a database with no plan is an error."""
    current = settings()
    with transaction() as session:
        if session.scalar(select(Plan.id).limit(1)) is None:
            fail(t("error.no_plan"))
        return list_duties(
            session,
            as_of=day,
            calendar=runtime.work_calendar(current),
            due_soon_workdays=current.due_soon_workdays,
            **filters,
        )


def _table(rows: list[DutyRow], title: str) -> Table:
    table = Table(title=title)
    table.add_column(t("list.col.key"), no_wrap=True)  # people copy it into the next command
    for name in ("body", "unit", "kind", "period", "due", "days", "status", "category", "told"):
        table.add_column(t("list.col." + name))
    for row in rows:
        kind = t("kind." + row.kind)
        if row.role == "input":
            kind = t("list.input_of", duty=row.duty_code)
        style = CATEGORY_STYLE.get(row.category, "")
        table.add_row(
            row.key,
            row.body_short_name or row.body_name,
            row.unit_name or "",
            kind,
            row.period,
            f"{row.due_on:%d/%m/%Y}",
            str(row.days_left),
            t("status." + row.status),
            f"[{style}]{t('category.' + row.category)}[/]",
            labels.step(row.told_step) if row.told_at else "",
        )
    return table


def register(app: typer.Typer) -> None:
    duty_app = typer.Typer(help=t("duty.help"), no_args_is_help=True)
    app.add_typer(duty_app, name="duty")
    choices = ", ".join(c.value for c in Category)

    @duty_app.command("list", help=t("duty.list.help"))
    def list_(
        as_of: Annotated[str | None, typer.Option("--as-of", help=t("opt.as_of"))] = None,
        body: Annotated[str | None, typer.Option("--body", help=t("opt.body"))] = None,
        unit: Annotated[str | None, typer.Option("--unit", help=t("opt.unit"))] = None,
        status: Annotated[str | None, typer.Option("--status", help=t("opt.status", choices=choices))] = None,
        include_all: Annotated[bool, typer.Option("--all", help=t("opt.all"))] = False,
        plan: str | None = _plan(),
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        day = parse_date(as_of)
        category = None
        if status is not None:
            try:
                category = Category(status.strip())
            except ValueError:
                fail(t("error.bad_status", value=status, choices=choices))
        rows = _rows_as_of(
            day,
            plan_code=plan,
            body_code=body,
            unit_code=unit,
            category=category,
            include_all=include_all,
            with_notices=True,
        )
        if as_json:
            print_json({"as_of": day.isoformat(), "count": len(rows), "occurrences": [r.as_json() for r in rows]})
            return
        if not rows:
            out.print(t("list.empty"), markup=False)
            return
        out.print(_table(rows, t("list.title", date=f"{day:%d/%m/%Y}")))
        counts = {c: sum(r.category == c for r in rows) for c in ("overdue", "due_soon")}
        out.print(t("list.count", count=len(rows), **counts), markup=False)

    @duty_app.command("summary", help=t("duty.summary.help"))
    def summary(
        as_of: Annotated[str | None, typer.Option("--as-of", help=t("opt.as_of"))] = None,
        plan: str | None = _plan(),
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        day = parse_date(as_of)
        rows = _rows_as_of(day, plan_code=plan, include_all=True)
        summaries = summarize_by_body(rows)
        if as_json:
            print_json(
                {
                    "as_of": day.isoformat(),
                    "bodies": [
                        {"code": s.body_code, "name": s.body_name, "order": s.body_order, "counts": s.counts}
                        for s in summaries
                    ],
                }
            )
            return
        shown = SUMMARY_COLUMNS
        table = Table(title=t("summary.title", date=f"{day:%d/%m/%Y}"))
        table.add_column("#", justify="right")
        table.add_column(t("list.col.body"))
        for category in shown:
            table.add_column(t("category." + category), justify="right", style=CATEGORY_STYLE.get(category, ""))
        for item in summaries:
            table.add_row(str(item.body_order), item.body_name, *(str(item.counts[c] or "") for c in shown))
        totals = [sum(s.counts[c] for s in summaries) for c in shown]
        table.add_row("", t("summary.total"), *(str(n) for n in totals), style="bold")
        out.print(table)
        out.print(t("summary.next", date=day.isoformat()), markup=False)

    duty_show.register(duty_app)

    for action in (Action.SUBMIT, Action.ACCEPT, Action.REJECT, Action.WAIVE, Action.SUSPEND, Action.RESUME):
        _register_action(duty_app, action)

    funding_app = typer.Typer(help=t("funding.help"), no_args_is_help=True)
    app.add_typer(funding_app, name="funding")

    @funding_app.command("record", help=t("funding.record.help"))
    def record(
        duty: Annotated[str, typer.Argument(help=t("arg.duty"), show_default=False)],
        amount: Annotated[str, typer.Option("--amount", help=t("opt.amount"), show_default=False)],
        by: str = _by(),
        note: str | None = _note(),
        plan: str | None = _plan(),
        reference: Annotated[str | None, typer.Option("--reference", help=t("opt.reference"))] = None,
    ) -> None:
        cleaned = amount.replace(".", "").replace(",", "").replace(" ", "").replace("_", "")
        if not cleaned.lstrip("-").isdigit():
            fail(t("error.bad_amount", value=amount))
        with transaction() as session:
            try:
                _, opened = record_funding(
                    session,
                    duty_code=duty,
                    amount=int(cleaned),
                    actor=by,
                    now=runtime.utc_now(),
                    reference=reference,
                    note=note,
                    plan_code=plan,
                )
            except TransitionError as error:
                fail(explain(error))
        out.print(t("funding.done", amount=format_vn_number(int(cleaned)), duty=duty, count=len(opened)), markup=False)


def _register_action(duty_app: typer.Typer, action: Action) -> None:
    def command(
        occurrence: str = _occurrence(), by: str = _by(), note: str | None = _note(), plan: str | None = _plan()
    ) -> None:
        now = runtime.utc_now()
        with transaction() as session:
            try:
                occ, event = act_on_occurrence(
                    session, ref=occurrence, action=action, actor=by, now=now, note=note, plan_code=plan
                )
                if action is Action.SUBMIT:  # the office learns that a result awaits its decision
                    session.flush()
                    current = settings()
                    setup = NoticeSetup(dashboard_url=current.dashboard_url, locale=current.lang)
                    queue_submission_notice(
                        session, occurrence=occ, event_id=event.id, actor=by, note=note, now=now, setup=setup
                    )
            except TransitionError as error:
                fail(explain(error))
            key = occ.key
        out.print(
            t(
                "action.done",
                key=key,
                from_status=t("status." + event.from_status),
                to_status=t("status." + event.to_status),
                actor=event.actor,
            ),
            markup=False,
        )

    duty_app.command(action.value, help=t(f"duty.{action.value}.help"))(command)
