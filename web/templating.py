"""The dashboard's templates: one Jinja environment with the words, labels and date filters every page uses."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, FileSystemLoader

from dutyflow.i18n import get_locale, t
from dutyflow.settings import PROJECT_ROOT
from reports import labels
from tasks.calendar.clock import VN_TZ
from web import words

TEMPLATES_DIR = PROJECT_ROOT / "templates" / "web"


def _moment(value: dt.datetime | None) -> str:
    return value.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y") if value else ""


def _day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        t=t,
        step_label=labels.step,
        step_name=labels.step_name,
        delivery_status=labels.delivery_status,
        number=labels.number,
        lang=get_locale,
        period_words=words.period_words,
        short_name=words.short_name,
        support_line=words.support_line,
        row_support_line=words.row_support_line,
        iso_day=labels.day,
    )
    env.filters.update(moment=_moment, day=_day)
    return env
