"""`dutyflow sweep`, `inbox PERSON` and `outbox list`; steps, states and times in words and Vietnam time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dutyflow.cli.common import fail, out, print_json, settings, transaction
from dutyflow.cli.tables import keep_whole, table, unbroken, wide_option
from dutyflow.i18n import t
from reports import labels
from tasks.calendar.clock import VN_TZ

if TYPE_CHECKING:
    from notifications.channels import ChannelBook


def parse_moment(value: str | None) -> dt.datetime:
    """`2023-06-19T08:00` (Vietnam time unless an offset is given), a date (08:00 that day), or now."""
    from dutyflow import runtime
    from tasks.calendar.clock import read_moment

    if value is None:
        return runtime.business_now(settings())  # on a demo database, its simulated day
    try:
        return read_moment(value)
    except ValueError:
        fail(t("error.bad_moment", value=value))


def checked_book() -> ChannelBook:
    from dutyflow import runtime

    current = settings()
    with transaction() as session:
        try:
            return runtime.channel_book(current, session)
        except runtime.ConfigurationError as error:
            for code, params in error.problems:
                out.print(t(code, **params), markup=False)
            fail(t("error.configuration", count=len(error.problems)))


def _vn(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VN_TZ).isoformat(timespec="minutes") if moment else None


def _outbox_rows(*, failed: bool, stuck: bool, limit: int) -> list[dict[str, Any]]:
    """The newest messages of the outbox (or those failed, or held past their lease), with each try."""
    from sqlalchemy import select

    from dutyflow import runtime
    from models.outbox import DeliveryAttempt, OutboxMessage
    from models.plan import Contact
    from notifications.outbox import UNDELIVERED
    from notifications.outbox import stuck as stuck_messages

    lease = dt.timedelta(seconds=settings().claim_lease_seconds)
    with transaction(read_only=True) as session:
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
            when = message.sent_at or message.created_at
            data.append(
                {
                    "id": message.id,
                    "step": message.step,
                    "step_name": labels.step_name(message.step),
                    "recipient": code,
                    "status": message.status,
                    "status_name": labels.delivery_status(message.status),
                    "attempts": message.attempts,
                    "at": _vn(when),
                    "at_words": labels.vn_time(when) if when else None,
                    "claimed_by": message.claimed_by,
                    "claimed_at": _vn(message.claimed_at),
                    "subject": message.subject,
                    "last_error": message.last_error,
                    "deliveries": [{"url": d.url_masked, "ok": d.ok, "error": d.error} for d in tries],
                }
            )
    return data


def register(app: typer.Typer) -> None:
    @app.command("sweep", help=t("sweep.help"))
    def sweep_command(
        as_of: Annotated[str | None, typer.Option("--as-of", help=t("opt.as_of_moment"))] = None,
        body: Annotated[str | None, typer.Option("--body", help=t("opt.body"))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from dutyflow import runtime
        from models.db import session_factory
        from tasks.reminders.sweep import sweep

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
                when=labels.vn_time(now),
                **{k: summary[k] for k in ("queued", "digests", "sent", "partial", "retrying", "failed", "held")},
            ),
            markup=False,
        )
        if report.lines:
            made = table(*(t("outbox.col." + c) for c in ("step", "recipient", "channels", "status", "subject")))
            for line in report.lines:
                made.add_row(
                    labels.step_name(line["step"]),
                    line["recipient"],
                    ", ".join(line["channels"]),
                    labels.delivery_status(line["status"]),
                    line["subject"],
                )
            out.print(made)

    @app.command("inbox", help=t("inbox.help"))
    def inbox_command(
        person: Annotated[str, typer.Argument(help=t("arg.person"), show_default=False)],
        limit: Annotated[int, typer.Option("--limit", help=t("opt.limit"))] = 20,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from sqlalchemy import select

        from models.outbox import InboxMessage

        with transaction(read_only=True) as session:
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
            when = labels.vn_time(dt.datetime.fromisoformat(item["received_at"]))
            out.print(f"[bold]#{item['id']} {when} — {item['title']}[/]")
            out.print(item["body"], markup=False)

    outbox_app = typer.Typer(help=t("outbox.help"), no_args_is_help=True)
    app.add_typer(outbox_app, name="outbox")

    @outbox_app.command("list", help=t("outbox.list.help"))
    def outbox_list(
        failed: Annotated[bool, typer.Option("--failed", help=t("opt.failed"))] = False,
        stuck: Annotated[bool, typer.Option("--stuck", help=t("opt.stuck"))] = False,
        limit: Annotated[int, typer.Option("--limit", help=t("opt.limit"))] = 50,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
        wide: bool = wide_option(),
    ) -> None:
        data = _outbox_rows(failed=failed, stuck=stuck, limit=limit)
        if as_json:
            print_json({"messages": data})
            return
        if not data:
            out.print(t("outbox.empty_stuck" if stuck else "outbox.empty_failed" if failed else "outbox.empty"))
            return
        names = ("id", "at", "step", "recipient", "status", "attempts", "error")
        shown = names if wide else ("at", "step", "recipient", "status")
        made = table(*(t("outbox.col." + n) if n != "id" else "#" for n in shown))
        keep_whole(made, shown.index("recipient"), [item["recipient"] for item in data])
        made.columns[shown.index("recipient")].no_wrap = True  # `dutyflow inbox` takes it as it is
        unbroken(made, shown.index("at"))
        for item in data:
            at = dt.datetime.fromisoformat(item["at"]) if item["at"] else None
            cells = {
                "id": str(item["id"]),
                "at": (item["at_words"] if wide else f"{at:%d/%m/%y %H:%M}") if at else "",
                "step": item["step_name"],
                "recipient": item["recipient"],
                "status": item["status_name"],
                "attempts": str(item["attempts"]),
                "error": item["last_error"] or "",
            }
            made.add_row(*(cells[n] for n in shown))
        out.print(made)
