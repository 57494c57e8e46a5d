"""`dutyflow duty list|summary|show|submit|accept|reject|waive|suspend|resume` and `dutyflow funding record`.

The work's modules are imported inside the commands: help is built without the database layer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dutyflow.cli import duty_show, duty_summary
from dutyflow.cli.common import fail, out, parse_date, print_json, settings, transaction
from dutyflow.cli.duty_summary import awaiting_list
from dutyflow.cli.tables import keep_whole, table, unbroken, wide_option
from dutyflow.i18n import t

if TYPE_CHECKING:
    from rich.table import Table

    from tasks.duties.listing import DutyRow

# tasks.duties.statuses.Category and Action, named here so that help needs no database layer
# (tests/test_cli_tables.py keeps them equal).
CATEGORIES = (
    "not_yet_due",
    "in_progress",
    "due_soon",
    "overdue",
    "completed_on_time",
    "completed_late",
    "waived",
    "suspended",
    "not_applicable",
)
CHOICES = ", ".join(CATEGORIES)
ACTIONS = ("submit", "accept", "reject", "waive", "suspend", "resume")

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


def _rows_as_of(day: dt.date, **filters: Any) -> list[DutyRow]:
    """The duty table of `day` from the configured database; a database with no plan is an error."""
    from sqlalchemy import select

    from dutyflow import runtime
    from models.plan import Plan
    from tasks.duties.listing import list_duties

    current = settings()
    with transaction(read_only=True) as session:
        if session.scalar(select(Plan.id).limit(1)) is None:
            fail(t("error.no_plan"))
        return list_duties(
            session,
            as_of=day,
            calendar=runtime.work_calendar(current),
            due_soon_workdays=current.due_soon_workdays,
            **filters,
        )


def _table(rows: list[DutyRow], title: str, *, wide: bool, one_category: bool) -> Table:
    """Every column with `wide`; otherwise what fits 80 columns: the key whole, the body's short name, the due
    date, and the state in a few words (the days left instead, when every row is in the same state)."""
    from reports import labels

    if wide:
        names: tuple[str, ...] = ("body", "unit", "kind", "period", "due", "days", "status", "category", "told")
    else:
        names = ("body", "due", "days") if one_category else ("body", "due", "state")
    headers = [t("list.col." + n) if n != "state" else t("list.col.category") for n in names]
    made = table(t("list.col.key"), *headers, title=title, keep=(t("list.col.key"),))
    keep_whole(made, 0, [row.key for row in rows])
    unbroken(made, *(1 + names.index(n) for n in ("due", "days") if n in names))
    for row in rows:
        style = CATEGORY_STYLE.get(row.category, "")
        cells = {
            "body": row.body_short_name or row.body_name,
            "unit": row.unit_name or "",
            "kind": t("list.input_of", duty=row.duty_code) if row.role == "input" else t("kind." + row.kind),
            "period": row.period,
            "due": f"{row.due_on:%d/%m/%Y}" if wide else f"{row.due_on:%d/%m/%y}",
            "days": str(row.days_left),
            "status": t("status." + row.status),
            "category": f"[{style}]{t('category.' + row.category)}[/]",
            "state": f"[{style}]{t('category.short.' + row.category)}[/]",
            "told": labels.step(row.told_step) if row.told_at else "",
        }
        made.add_row(row.key, *(cells[n] for n in names))
    return made


def register(app: typer.Typer) -> None:
    duty_app = typer.Typer(help=t("duty.help"), no_args_is_help=True)
    app.add_typer(duty_app, name="duty")

    @duty_app.command("list", help=t("duty.list.help"))
    def list_(
        as_of: Annotated[str | None, typer.Option("--as-of", help=t("opt.as_of"))] = None,
        body: Annotated[str | None, typer.Option("--body", help=t("opt.body"))] = None,
        unit: Annotated[str | None, typer.Option("--unit", help=t("opt.unit"))] = None,
        status: Annotated[str | None, typer.Option("--status", help=t("opt.status", choices=CHOICES))] = None,
        include_all: Annotated[bool, typer.Option("--all", help=t("opt.all"))] = False,
        awaiting: Annotated[bool, typer.Option("--awaiting", help=t("opt.awaiting"))] = False,
        plan: str | None = _plan(),
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
        wide: bool = wide_option(),
    ) -> None:
        from tasks.duties.statuses import Category

        if awaiting:
            awaiting_list(plan, as_json=as_json)
            return
        day = parse_date(as_of)
        category = None
        if status is not None:
            try:
                category = Category(status.strip())
            except ValueError:
                fail(t("error.bad_status", value=status, choices=CHOICES))
        filters: dict[str, Any] = {"plan_code": plan, "body_code": body, "unit_code": unit, "category": category}
        rows = _rows_as_of(day, include_all=include_all, with_notices=True, **filters)
        # Without --all or --status only what is live that day is shown; say how much is not, and how to see it.
        hidden = 0 if include_all or category else len(_rows_as_of(day, include_all=True, **filters)) - len(rows)
        if as_json:
            print_json({"as_of": day.isoformat(), "count": len(rows), "occurrences": [r.as_json() for r in rows]})
            return
        if not rows:
            out.print(t("list.empty"), markup=False)
        else:
            title = t("list.title", date=f"{day:%d/%m/%Y}")
            out.print(_table(rows, title, wide=wide, one_category=category is not None))
            counts = {c: sum(r.category == c for r in rows) for c in ("overdue", "due_soon")}
            out.say(t("list.count", count=len(rows), **counts))
        if hidden:
            out.say(t("list.hidden", count=hidden))

    duty_summary.register(duty_app, rows_as_of=_rows_as_of, plan_option=_plan, styles=CATEGORY_STYLE)
    duty_show.register(duty_app)

    for action in ACTIONS:
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
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.actions import record_funding
        from tasks.duties.statuses import TransitionError
        from tasks.plans.numbers import format_vn_number

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
                    now=runtime.business_now(settings()),
                    reference=reference,
                    note=note,
                    plan_code=plan,
                )
            except TransitionError as error:
                fail(explain(error))
        out.print(t("funding.done", amount=format_vn_number(int(cleaned)), duty=duty, count=len(opened)), markup=False)


def _register_action(duty_app: typer.Typer, name: str) -> None:
    def command(
        occurrence: str = _occurrence(), by: str = _by(), note: str | None = _note(), plan: str | None = _plan()
    ) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.actions import act_on_occurrence
        from tasks.duties.statuses import Action, TransitionError
        from tasks.reminders.on_demand import NoticeSetup, queue_submission_notice

        now = runtime.business_now(settings())  # on a demo database, its simulated day (as the dashboard)
        with transaction() as session:
            try:
                occ, event = act_on_occurrence(
                    session, ref=occurrence, action=Action(name), actor=by, now=now, note=note, plan_code=plan
                )
                if name == Action.SUBMIT.value:  # the office learns that a result awaits its decision
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

    duty_app.command(name, help=t(f"duty.{name}.help"))(command)
