"""What the pages print in words rather than codes: periods, a support body's input, body names."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from dutyflow.i18n import t
from models.plan import Body
from reports import labels
from tasks.calendar.periods import PeriodError, parse_period
from tasks.duties.listing import DutyRow


@lru_cache(maxsize=512)
def period_words(token: str) -> str:
    """`2023-H1` as "6 tháng đầu năm 2023", `2023-Q3` as "quý III năm 2023"; an unknown token as it is."""
    try:
        period = parse_period(token)
    except PeriodError:
        return token
    return labels.period_label({"kind": period.kind.value, "token": period.token, "year": period.year})


def short_name(body: Body | None) -> str:
    """The name a table has room for; the whole name goes in its `title`."""
    if body is None:
        return ""
    return body.short_name or body.name


def support_line(*, lead: str, text: str, due: dt.date) -> str:
    """What a supporting body owes and to whom: "Phối hợp với Phòng KT&HT: “…”, gửi trước ngày 09/11/2023"."""
    return t("web.support.line", lead=lead, text=text, date=f"{due:%d/%m/%Y}")


def row_support_line(row: DutyRow, *, limit: int = 0) -> str:
    """A table row's input in words; the duty text cut to `limit` characters when given."""
    text = row.duty_text if not limit or len(row.duty_text) <= limit else row.duty_text[: limit - 1].rstrip() + "…"
    return support_line(lead=row.lead_body_short_name or row.lead_body_name or "", text=text, due=row.due_on)
