"""Markdown and standalone printable HTML, from templates/reports/."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dutyflow.i18n import get_locale, t
from reports import labels

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "reports"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    )
    env.globals.update(t=t, number=labels.number, day=labels.day, moment=labels.moment, step=labels.step)
    return env


def _context(figures: dict[str, Any], version: int) -> dict[str, Any]:
    return {
        "figures": figures,
        "h": labels.heading(figures, version),
        "body_rows": labels.body_rows(figures),
        "body_headers": labels.body_headers(figures),
        "lang": get_locale(),
    }


def render_markdown(figures: dict[str, Any], *, version: int, chart_file: str) -> str:
    return _environment().get_template("report.md.j2").render(**_context(figures, version), chart_file=chart_file)


def render_html(figures: dict[str, Any], *, version: int, chart_png: bytes) -> str:
    chart = base64.b64encode(chart_png).decode("ascii")
    return _environment().get_template("report.html.j2").render(**_context(figures, version), chart_base64=chart)


def render_template(name: str, **context: Any) -> str:
    """Any template of templates/reports/ (the province roll-up's, for one), with the page's language."""
    return _environment().get_template(name).render(**context, lang=get_locale())
