"""Words and numbers as the report prints them, from the message catalogue, the same in every format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutyflow.i18n import t
from tasks.plans.numbers import format_vn_number

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(period: dict[str, Any]) -> str:
    kind, token, year = period["kind"], period["token"], period["year"]
    if kind == "month":
        return t("report.period.month", month=int(token.split("-")[1]), year=year)
    if kind == "quarter":
        return t("report.period.quarter", roman=ROMAN[int(token[-1])], year=year)
    if kind == "once":
        return t("report.period.once", date=dt.date.fromisoformat(token).strftime("%d/%m/%Y"))
    return t(f"report.period.{kind}", year=year)


def number(value: float | None) -> str:
    return t("report.no_value") if value is None else format_vn_number(round(value, 2))


def day(iso: str | None) -> str:
    return dt.date.fromisoformat(iso[:10]).strftime("%d/%m/%Y") if iso else ""


def moment(iso: str | None) -> str:
    if not iso:
        return ""
    from tasks.calendar.clock import VN_TZ

    return dt.datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def vn_time(moment_: dt.datetime) -> str:
    """An aware moment in Vietnam time, day first: "20/06/2023 08:00"."""
    from tasks.calendar.clock import VN_TZ

    return moment_.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def step_name(name: str) -> str:
    """Any message's step in words: "nhắc trước hạn 5 ngày làm việc", "báo quá hạn lần 2", a digest, a report."""
    kind, _, n = name.partition("-")
    if kind == "remind" and n.isdigit():
        return t("web.step.remind", n=n) if n != "0" else t("web.step.due_day")
    if kind == "escalate":
        return step(name)
    if name.startswith("submitted-"):
        return t("web.step.submitted")
    if name.startswith("remind-now-"):
        return t("web.step.remind_now")
    known = f"web.step.{name}"
    return t(known) if name in ("digest-body", "digest-office", "report") else t("web.step.other", step=name)


def delivery_status(status: str) -> str:
    """A message's or an address's delivery state in words."""
    return t(f"web.outbox.{status}")


def step(name: str | None) -> str:
    if not name:
        return t("report.step.none")
    kind, _, n = name.partition("-")
    return t("report.step.escalate", n=n) if kind == "escalate" else t("report.step.remind")


def heading(figures: dict[str, Any], version: int) -> dict[str, str]:
    """The heading block of a Vietnamese administrative document, filled for this report."""
    plan = figures["plan"]
    compiled = dt.date.fromisoformat(figures["compiled_on"])
    return {
        "issuer": plan["issuer"].upper(),
        "nation": t("report.nation"),
        "motto": t("report.motto"),
        "number": t("report.number"),
        "place_date": t(
            "report.place_date",
            place=plan["place"],
            day=f"{compiled.day:02d}",
            month=f"{compiled.month:02d}",
            year=compiled.year,
        ),
        "kind": t("report.kind"),
        "title": t(
            "report.title", plan_title=plan["title"], plan_number=plan["number"], period=period_label(figures["period"])
        ),
        "as_of": t("report.as_of", date=day(figures["as_of"]), version=version),
        "draft": t("report.draft") if figures["draft"] else "",
    }


def body_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """One row per body: name, then each category's count, then the total of the government's categories."""
    status = figures["duty_status"]
    rows = []
    for body in status["bodies"]:
        counts = body["counts"]
        rows.append(
            [
                body["name"],
                *(counts[c] for c in status["categories"]),
                sum(counts[c] for c in status["categories"]),
                sum(counts[c] for c in status["apart"]),
            ]
        )
    totals = status["totals"]
    rows.append(
        [
            t("report.total_row"),
            *(totals[c] for c in status["categories"]),
            sum(totals[c] for c in status["categories"]),
            sum(totals[c] for c in status["apart"]),
        ]
    )
    return rows


def body_headers(figures: dict[str, Any]) -> list[str]:
    status = figures["duty_status"]
    return [
        t("report.col.body"),
        *(t("category." + c) for c in status["categories"]),
        t("report.col.total"),
        t("report.col.apart"),
    ]


def timeliness_headers() -> list[str]:
    names = ("rank", "body", "due_count", "on_time", "late", "still_overdue", "on_time_rate")
    return [t(f"report.col.{name}") for name in names]


def timeliness_rows(ranked: list[dict[str, Any]], *, numbers: bool = False) -> list[list[Any]]:
    """The bodies ranked by on-time rate, a row each; the rate as a number for a spreadsheet, in words elsewhere."""
    return [
        [i, r["name"], r["due"], r["on_time"], r["late"], r["overdue"],
         r["rate"] if numbers else ("—" if r["rate"] is None else f"{number(r['rate'])} %")]
        for i, r in enumerate(ranked, start=1)
    ]  # fmt: skip
