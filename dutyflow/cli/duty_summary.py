"""`dutyflow duty summary` (each body's counts per category) and `dutyflow duty list --awaiting` (what awaits
the steering office's decision)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dutyflow.cli.common import out, parse_date, print_json, transaction
from dutyflow.cli.tables import table, wide_option
from dutyflow.i18n import t

if TYPE_CHECKING:
    from tasks.duties.listing import DutyRow

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
SUMMARY_NARROW = SUMMARY_COLUMNS[:6]  # the last three are counted together as "apart"


def awaiting_list(plan: str | None, *, as_json: bool) -> None:
    """Submissions not yet accepted or returned, the longest waiting first."""
    from tasks.desk.awaiting import awaiting

    with transaction(read_only=True) as session:
        rows = awaiting(session, plan_code=plan)
    if as_json:
        print_json({"count": len(rows), "awaiting": [r.as_json() for r in rows]})
        return
    if not rows:
        out.say(t("awaiting.none"))
        return
    from reports import labels

    made = table(t("list.col.key"), t("awaiting.col.since"), t("list.col.body"), title=t("awaiting.title"))
    for row in rows:
        made.add_row(row.key, labels.vn_time(row.submitted_at), row.unit or row.body)
    out.print(made)
    out.say(t("awaiting.count", count=len(rows)))


def register(
    duty_app: typer.Typer,
    *,
    rows_as_of: Callable[..., list[DutyRow]],
    plan_option: Callable[[], Any],
    styles: dict[str, str],
) -> None:
    @duty_app.command("summary", help=t("duty.summary.help"))
    def summary(
        as_of: Annotated[str | None, typer.Option("--as-of", help=t("opt.as_of"))] = None,
        plan: str | None = plan_option(),
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
        wide: bool = wide_option(),
    ) -> None:
        from tasks.duties.listing import summarize_by_body

        day = parse_date(as_of)
        rows = rows_as_of(day, plan_code=plan, include_all=True)
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
        shown = SUMMARY_COLUMNS if wide else SUMMARY_NARROW
        apart = () if wide else SUMMARY_COLUMNS[len(SUMMARY_NARROW) :]
        label = "category." if wide else "category.short."
        headers = [t(label + c) for c in shown] + ([t("summary.apart")] if apart else [])
        made = table("#", t("list.col.body"), *headers, title=t("summary.title", date=f"{day:%d/%m/%Y}"))
        for column in made.columns[2:] + made.columns[:1]:
            column.justify = "right"
        for column, category in zip(made.columns[2:], shown, strict=False):
            column.style = styles.get(category, "")
        short = {r.body_code: r.body_short_name or r.body_name for r in rows}
        for item in summaries:
            name = item.body_name if wide else short.get(item.body_code, item.body_name)
            counts = [item.counts[c] for c in shown] + ([sum(item.counts[c] for c in apart)] if apart else [])
            made.add_row(str(item.body_order), name, *(str(n or "") for n in counts))
        totals = [sum(s.counts[c] for s in summaries) for c in shown]
        if apart:
            totals.append(sum(s.counts[c] for s in summaries for c in apart))
        made.add_row("", t("summary.total"), *(str(n) for n in totals), style="bold")
        out.print(made)
        out.say(t("summary.next", date=day.isoformat()))
