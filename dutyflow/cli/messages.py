"""`dutyflow sweep`, `inbox PERSON` and `outbox list`."""

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select

from dutyflow import runtime
from dutyflow.cli.common import fail, out, print_json, settings, transaction
from dutyflow.i18n import t
from models.db import session_factory
from models.outbox import DeliveryAttempt, InboxMessage, OutboxMessage
from models.plan import Contact
from notifications.channels import ChannelBook
from notifications.outbox import UNDELIVERED
from notifications.outbox import stuck as stuck_messages
from reports import labels
from tasks.calendar.clock import VN_TZ, read_moment
from tasks.reminders.sweep import sweep


def parse_moment(value: str | None) -> dt.datetime:
    """`2023-06-19T08:00` (Vietnam time unless an offset is given), a date (08:00 that day), or now."""
    if value is None:
        return runtime.utc_now()
    try:
        return read_moment(value)
    except ValueError:
        fail(t("error.bad_moment", value=value))


def checked_book() -> ChannelBook:
    current = settings()
    with transaction() as session:
        try:
            return runtime.channel_book(current, session)
        except runtime.ConfigurationError as error:
            for code, params in error.problems:
                out.print(t(code, **params), markup=False)
            fail(t("error.configuration", count=len(error.problems)))


def register(app: typer.Typer) -> None:
    @app.command("sweep", help=t("sweep.help"))
    def sweep_command(
        as_of: Annotated[str | None, typer.Option("--as-of", help=t("opt.as_of_moment"))] = None,
        body: Annotated[str | None, typer.Option("--body", help=t("opt.body"))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        now = parse_moment(as_of)
        current = settings()
        book = checked_book()
        report = sweep(
            session_factory(runtime.database(current)),
            now=now,
            book=book,
            config=runtime.sweep_config(current),
            worker=runtime.worker_id(),
            body_code=body,
        )
        summary = report.summary()
        if as_json:
            print_json(summary)
            return
        out.print(
            t(
                "sweep.done",
                when=f"{now.astimezone(VN_TZ):%d/%m/%Y %H:%M}",
                **{k: summary[k] for k in ("queued", "digests", "sent", "partial", "retrying", "failed", "held")},
            ),
            markup=False,
        )
        if report.lines:
            table = Table(
                t("outbox.col.step"),
                t("outbox.col.recipient"),
                t("outbox.col.channels"),
                t("outbox.col.status"),
                t("outbox.col.subject"),
            )
            for line in report.lines:
                table.add_row(
                    labels.step_name(line["step"]),
                    line["recipient"],
                    ", ".join(line["channels"]),
                    labels.delivery_status(line["status"]),
                    line["subject"],
                )
            out.print(table)

    @app.command("inbox", help=t("inbox.help"))
    def inbox_command(
        person: Annotated[str, typer.Argument(help=t("arg.person"), show_default=False)],
        limit: Annotated[int, typer.Option("--limit", help=t("opt.limit"))] = 20,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        with transaction() as session:
            rows = list(
                session.scalars(
                    select(InboxMessage)
                    .where(InboxMessage.person == person)
                    .order_by(InboxMessage.id.desc())
                    .limit(limit)
                )
            )
            data: list[dict[str, Any]] = [
                {"id": m.id, "received_at": m.received_at.isoformat(), "title": m.title, "body": m.body} for m in rows
            ]
        if as_json:
            print_json({"person": person, "messages": data})
            return
        if not data:
            out.print(t("inbox.empty", person=person), markup=False)
        for item in data:
            when = dt.datetime.fromisoformat(item["received_at"]).astimezone(VN_TZ)
            out.print(f"[bold]#{item['id']} {when:%d/%m/%Y %H:%M} — {item['title']}[/]")
            out.print(item["body"], markup=False)

    outbox_app = typer.Typer(help=t("outbox.help"), no_args_is_help=True)
    app.add_typer(outbox_app, name="outbox")

    @outbox_app.command("list", help=t("outbox.list.help"))
    def outbox_list(
        failed: Annotated[bool, typer.Option("--failed", help=t("opt.failed"))] = False,
        stuck: Annotated[bool, typer.Option("--stuck", help=t("opt.stuck"))] = False,
        limit: Annotated[int, typer.Option("--limit", help=t("opt.limit"))] = 50,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        lease = dt.timedelta(seconds=settings().claim_lease_seconds)
        with transaction() as session:
            query = select(OutboxMessage, Contact.code).join(Contact, Contact.id == OutboxMessage.contact_id)
            if stuck:  # held by a sweep past its lease, on the real clock whatever moment sweeps replay
                query = (
                    stuck_messages(wall=runtime.utc_now(), lease=lease)
                    .join(Contact, Contact.id == OutboxMessage.contact_id)
                    .add_columns(Contact.code)
                )
            elif failed:
                query = query.where(OutboxMessage.status.in_(UNDELIVERED))
            rows = session.execute(query.order_by(OutboxMessage.id.desc()).limit(limit)).all()
            data: list[dict[str, Any]] = []
            for message, code in rows:
                tries = session.scalars(
                    select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == message.id).order_by(DeliveryAttempt.id)
                ).all()
                data.append(
                    {
                        "id": message.id,
                        "step": message.step,
                        "step_name": labels.step_name(message.step),
                        "recipient": code,
                        "status": message.status,
                        "status_name": labels.delivery_status(message.status),
                        "attempts": message.attempts,
                        "claimed_by": message.claimed_by,
                        "claimed_at": _vn(message.claimed_at),
                        "subject": message.subject,
                        "last_error": message.last_error,
                        "deliveries": [{"url": d.url_masked, "ok": d.ok, "error": d.error} for d in tries],
                    }
                )
        if as_json:
            print_json({"messages": data})
            return
        if not data:
            out.print(t("outbox.empty_stuck" if stuck else "outbox.empty_failed" if failed else "outbox.empty"))
            return
        table = Table(
            "#",
            t("outbox.col.step"),
            t("outbox.col.recipient"),
            t("outbox.col.status"),
            t("outbox.col.attempts"),
            t("outbox.col.error"),
        )
        for item in data:
            table.add_row(
                str(item["id"]),
                item["step_name"],
                item["recipient"],
                item["status_name"],
                str(item["attempts"]),
                item["last_error"] or "",
            )
        out.print(table)


def _vn(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VN_TZ).isoformat(timespec="minutes") if moment else None
