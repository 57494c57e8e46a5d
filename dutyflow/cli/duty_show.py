"""`dutyflow duty show`: one occurrence, its history, and every message that named it (digests too)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dutyflow.cli.common import fail, out, print_json, transaction
from dutyflow.i18n import t
from reports import labels
from tasks.calendar.clock import VN_TZ

if TYPE_CHECKING:
    from models.duty import Occurrence
    from tasks.duties.notices import Notice


def _vn(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VN_TZ).isoformat(timespec="minutes") if moment else None


def _words(moment: dt.datetime | None) -> str | None:
    """A moment as people read it: Vietnam time, day first."""
    return labels.vn_time(moment) if moment else None


def _notice_json(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.outbox_id,
        "step": notice.step,
        "step_name": labels.step_name(notice.step),
        "recipient": notice.recipient,
        "status": notice.status,
        "status_name": labels.delivery_status(notice.status),
        "queued_at": _vn(notice.queued_at),
        "queued_at_words": _words(notice.queued_at),
        "sent_at": _vn(notice.sent_at),
        "sent_at_words": _words(notice.sent_at),
        "addresses": [
            {
                "address": a.masked,
                "status": a.status,
                "status_name": labels.delivery_status(a.status),
                "attempts": a.attempts,
                "error": a.error,
            }
            for a in notice.addresses
        ],
        "tries": [{"address": url, "ok": ok, "error": error} for url, ok, error in notice.deliveries],
    }


def _as_json(occ: Occurrence, notices: list[Notice]) -> dict[str, Any]:
    return {
        "id": occ.id,
        "key": occ.key,
        "body": occ.body.name,
        "unit": occ.unit.name if occ.unit else None,
        "duty": {"code": occ.duty.code, "text": occ.duty.text},
        "period": occ.period,
        "due_on": occ.due_on.isoformat(),
        "due_on_words": f"{occ.due_on:%d/%m/%Y}",
        "status": occ.status,
        "status_name": t("status." + occ.status),
        "history": [
            {
                "at": _vn(e.at),
                "at_words": _words(e.at),
                "actor": e.actor,
                "from": e.from_status,
                "from_name": t("status." + e.from_status),
                "to": e.to_status,
                "to_name": t("status." + e.to_status),
                "note": e.note,
            }
            for e in occ.events
        ],
        "messages": [_notice_json(n) for n in notices],
    }


def _print(occ: Occurrence, notices: list[Notice]) -> None:
    out.print(f"[bold]{occ.key}[/] (#{occ.id})")
    out.print(f"{t('show.body')}: {occ.body.name}" + (f" — {occ.unit.name}" if occ.unit else ""), markup=False)
    out.print(f"{t('show.duty')} {occ.duty.code}: {occ.duty.text}", markup=False)
    out.print(
        f"{t('show.period')}: {occ.period} ({t('show.window')} {occ.period_start:%d/%m/%Y}"
        f" – {occ.period_end:%d/%m/%Y}); {t('show.due')}: {occ.due_on:%d/%m/%Y}",
        markup=False,
    )
    out.print(f"{t('show.status')}: {t('status.' + occ.status)}", markup=False)
    out.print(f"[bold]{t('show.history')}[/]")
    if not occ.events:
        out.print(t("show.no_history"), markup=False)
    for event in occ.events:
        out.print(
            f"  {labels.vn_time(event.at)} {event.actor}: {t('status.' + event.from_status)} → "
            f"{t('status.' + event.to_status)}" + (f" — {event.note}" if event.note else ""),
            markup=False,
        )
    out.print(f"[bold]{t('show.notices')}[/]")
    if not notices:
        out.print(t("show.no_notices"), markup=False)
    for notice in notices:
        moment = notice.sent_at or notice.queued_at
        when = labels.vn_time(moment) if moment else "—"
        if notice.addresses:
            routes = "; ".join(
                f"{a.masked} {'✓' if a.status == 'sent' else '✗ ' + labels.delivery_status(a.status)}"
                + (f" ({a.error})" if a.error and a.status != "sent" else "")
                for a in notice.addresses
            )
        else:
            routes = "; ".join(f"{url} {'✓' if ok else '✗ ' + (error or '')}" for url, ok, error in notice.deliveries)
        out.print(
            f"  {when} {labels.step_name(notice.step)} → {notice.recipient} "
            f"({labels.delivery_status(notice.status)}) {routes}",
            markup=False,
        )


def register(duty_app: typer.Typer) -> None:
    @duty_app.command("show", help=t("duty.show.help"))
    def show(
        occurrence: Annotated[str, typer.Argument(help=t("arg.occurrence"), show_default=False)],
        plan: Annotated[str | None, typer.Option("--plan", help=t("opt.plan"))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from dutyflow.refusals import explain
        from tasks.duties.actions import find_occurrence
        from tasks.duties.notices import notices_for
        from tasks.duties.statuses import TransitionError

        with transaction(read_only=True) as session:
            try:
                occ = find_occurrence(session, ref=occurrence, plan_code=plan)
            except TransitionError as error:
                fail(explain(error))
            notices = notices_for(session, occurrence_id=occ.id)
            if as_json:
                print_json(_as_json(occ, notices))
            else:
                _print(occ, notices)
