"""Messages rendered from the Jinja2 templates in templates/messages/LOCALE/: subject, text, HTML, chat."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "messages"
PARTS = ("subject.txt.j2", "body.txt.j2", "body.html.j2", "chat.txt.j2")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    chat: str


@lru_cache(maxsize=4)
def _environment(locale: str) -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / locale),
        undefined=StrictUndefined,  # a missing value is an error, not an empty hole in a letter
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        keep_trailing_newline=False,
    )


def render_message(context: dict[str, Any], *, locale: str = "vi") -> Rendered:
    env = _environment(locale)
    subject = " ".join(env.get_template(PARTS[0]).render(context).split())
    parts = {name: env.get_template(name).render({**context, "subject": subject}) for name in PARTS[1:]}
    return Rendered(subject, parts[PARTS[1]].strip() + "\n", parts[PARTS[2]], " ".join(parts[PARTS[3]].split()))


def sample_context() -> dict[str, Any]:
    """A message with every field filled, used to prove each template renders before anything is sent."""
    return {
        "recipient": "Đầu mối",
        "owner": "Phòng Tư pháp",
        "lead_body": "Phòng LĐTBXH",
        "role": "own",
        "plan": {"number": "12/KH-UBND", "title": "Kế hoạch"},
        "duty": {"code": "tuphap-1", "text": "Nhiệm vụ"},
        "period": "2023-H1",
        "period_start": "15/12/2022",
        "period_end": "14/06/2023",
        "due_on": "20/06/2023",
        "days": 2,
        "step": {"kind": "remind", "name": "remind-2", "number": 0},
        "others": ["Văn phòng BCĐ"],
        "link": "http://127.0.0.1:8000/occurrences/1",
    }


def check_templates(locale: str) -> list[tuple[str, str]]:
    """(template, problem) for every template that does not render; empty when all do."""
    problems = []
    for kind, days, role in (("remind", 2, "own"), ("escalate", -3, "input")):
        context = {**sample_context(), "days": days, "role": role, "step": {"kind": kind, "name": kind, "number": 2}}
        for name in PARTS:
            try:
                _environment(locale).get_template(name).render({**context, "subject": "s"})
            except (TemplateError, OSError) as error:
                problems.append((f"{locale}/{name}", f"{type(error).__name__}: {error}"))
    return problems
