"""`dutyflow simulate` and `dutyflow demo`: play days of the plan with a progress bar."""

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dutyflow.cli.common import fail, out, parse_date, settings, transaction
from dutyflow.cli.messages import checked_book
from dutyflow.cli.plan import load_into, read_or_fail
from dutyflow.i18n import t

if TYPE_CHECKING:
    from tasks.reports.demo_figures import DemoFigures


def simulate_with_progress(first: dt.date, last: dt.date, *, submit_rate: float, seed: int) -> None:
    """Play the days from `first` to `last` on the configured database, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from dutyflow import runtime
    from models.db import session_factory
    from tasks.reminders.simulate import simulate

    current = settings()
    book = checked_book()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=out.console) as bar:
        job = bar.add_task(t("simulate.progress"), total=(last - first).days + 1)
        result = simulate(
            session_factory(runtime.database(current)),
            start=first,
            end=last,
            submit_rate=submit_rate,
            seed=seed,
            book=book,
            config=runtime.sweep_config(current),
            worker=runtime.worker_id(),
            progress=lambda day: bar.update(job, advance=1, description=t("simulate.day", day=f"{day:%d/%m/%Y}")),
        )
    out.print(
        t(
            "simulate.done",
            days=result.days,
            sweeps=result.sweeps,
            sent=result.sent,
            failed=result.failed,
            submitted=result.submitted,
            accepted=result.accepted,
        ),
        markup=False,
    )


ACCOUNTS_FILE = Path("demo-accounts.txt")
DEMO_PLAN = Path("plans/tra-cu-2023.yaml")


def show_accounts(created: list[tuple[str, str, str]], now: dt.datetime) -> None:
    """New demo accounts go to a private file (their passwords exist nowhere else), in a block that names their
    database and the time they were made; the office's is shown."""
    from dutyflow import runtime
    from reports import labels
    from tasks.people.demo_accounts import OFFICE_LOGIN, accounts_block

    database = runtime.masked_url(settings().database_url)
    if created:
        heading = t("demo.accounts_heading", database=database, at=labels.vn_time(now))
        descriptor = os.open(ACCOUNTS_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write(accounts_block(created, heading=heading))
        office = next((c for c in created if c[0] == OFFICE_LOGIN), None)
        if office:
            out.print(t("demo.office_account", login=office[0], password=office[2]), markup=False)
    out.print(t("demo.accounts", file=str(ACCOUNTS_FILE.resolve())), markup=False)
    out.print(t("demo.accounts_of", database=database), markup=False)


def register(app: typer.Typer) -> None:
    @app.command("simulate", help=t("simulate.help"))
    def simulate_command(
        start: Annotated[str, typer.Option("--from", help=t("opt.from"), show_default=False)],
        end: Annotated[str, typer.Option("--to", help=t("opt.to"), show_default=False)],
        submit_rate: Annotated[float, typer.Option("--submit-rate", help=t("opt.submit_rate"))] = 0.2,
        seed: Annotated[int, typer.Option("--seed", help=t("opt.seed"))] = 2023,
    ) -> None:
        first, last = parse_date(start), parse_date(end)
        if last < first:
            fail(t("error.range", start=start, end=end))
        if not 0 <= submit_rate <= 1:
            fail(t("error.rate", value=submit_rate))
        simulate_with_progress(first, last, submit_rate=submit_rate, seed=seed)
        _extend_demo(last)

    @app.command("demo", help=t("demo.help"))
    def demo(
        plan_file: Annotated[Path, typer.Argument(help=t("opt.file"))] = DEMO_PLAN,
        until: Annotated[str, typer.Option("--until", help=t("opt.until"))] = "2023-06-30",
        live: Annotated[bool, typer.Option("--live", help=t("opt.live"))] = False,
        province: Annotated[int | None, typer.Option("--province", help=t("opt.province"), show_default=False)] = None,
    ) -> None:
        from sqlalchemy import select

        if province is not None:
            from dutyflow.cli.demo_province import province_demo

            if plan_file != DEMO_PLAN:
                fail(t("demo.province.with_file", file=str(plan_file)))
            province_demo(province, until, live=live)
            return

        from dutyflow import runtime
        from models.outbox import OutboxMessage
        from models.plan import Plan
        from tasks.people.demo_accounts import ensure_demo_accounts

        read, plan = read_or_fail(plan_file)
        now = runtime.utc_now()
        with transaction() as session:
            load_into(session, read, plan)
            has_history = session.scalar(select(OutboxMessage.id).limit(1)) is not None
            loaded = session.scalars(select(Plan).where(Plan.code == plan.plan.code)).one()
            accounts = ensure_demo_accounts(session, plan=loaded, now=now)
        out.print(t("demo.loaded", plan=plan.plan.number, title=plan.plan.title), markup=False)
        show_accounts(accounts, now)
        if live or has_history:
            out.print(t("demo.live" if live else "demo.kept"), markup=False)
            return
        last = parse_date(until)
        simulate_with_progress(plan.plan.issued_on, last, submit_rate=0.2, seed=2023)
        _figures_and_mark(plan.plan.code, last)
        out.print(t("demo.next", until=last.isoformat()), markup=False)


def figures_and_mark(plan_code: str, last: dt.date, now: dt.datetime) -> "DemoFigures":
    """Indicator values and the reports of the periods that ended, so that every page has something to show;
    and a mark in the audit log that this database holds a demo simulated up to `last` (the dashboard opens
    on that day). One plan, in one transaction."""
    from sqlalchemy import select

    from dutyflow import runtime
    from models.plan import Plan
    from tasks.people.demo_mark import mark_demo
    from tasks.reports.demo_figures import make_demo_figures

    current = settings()
    with transaction() as session:
        plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
        made = make_demo_figures(
            session,
            plan=plan,
            until=last,
            now=now,
            calendar=runtime.work_calendar(current),
            due_soon_workdays=current.due_soon_workdays,
            out_dir=current.reports_dir,
        )
        mark_demo(session, plan_code=plan_code, until=last, now=now)
    return made


def _figures_and_mark(plan_code: str, last: dt.date) -> None:
    from dutyflow import runtime

    made = figures_and_mark(plan_code, last, runtime.utc_now())
    out.print(t("demo.figures", values=made.values, reports=", ".join(made.reports) or "—"), markup=False)


def _extend_demo(last: dt.date) -> None:
    """On a demo database, today moves on to the last day simulated, for the dashboard and the CLI alike."""
    from dutyflow import runtime
    from tasks.people.demo_mark import extend_demo

    with transaction() as session:
        moved = extend_demo(session, until=last, now=runtime.utc_now())
    if moved:
        out.print(t("demo.moved", date=f"{last:%d/%m/%Y}"), markup=False)
