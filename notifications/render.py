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


REPORT_PARTS = ("report_subject.txt.j2", "report_body.txt.j2", "report_body.html.j2", "report_chat.txt.j2")
NOTICE_PARTS = ("notice_subject.txt.j2", "notice_body.txt.j2", "notice_body.html.j2", "notice_chat.txt.j2")
DIGEST_PARTS = ("digest_subject.txt.j2", "digest_body.txt.j2", "digest_body.html.j2", "digest_chat.txt.j2")


def render_message(context: dict[str, Any], *, locale: str = "vi", parts: tuple[str, ...] = PARTS) -> Rendered:
    """A reminder or escalation (PARTS), a report's announcement (REPORT_PARTS) or a digest (DIGEST_PARTS)."""
    env = _environment(locale)
    subject = " ".join(env.get_template(parts[0]).render(context).split())
    rendered = {name: env.get_template(name).render({**context, "subject": subject}) for name in parts[1:]}
    return Rendered(
        subject, rendered[parts[1]].strip() + "\n", rendered[parts[2]], " ".join(rendered[parts[3]].split())
    )


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


def sample_notice_context(kind: str) -> dict[str, Any]:
    """A submission's notice to the office, or the office's "remind now", with every field filled."""
    return {
        **sample_context(),
        "kind": kind,
        "actor": "Nguyễn Thị Lan (lan)",
        "at": "09:30 10/07/2023",
        "note": "Đã gửi bản ký",
        "duty_short": "Báo cáo kết quả thực hiện",
    }


def sample_report_context() -> dict[str, Any]:
    totals = dict.fromkeys(["completed_on_time", "completed_late", "in_progress", "overdue", "not_yet_due"], 1)
    return {
        "recipient": "Văn phòng BCĐ",
        "plan": {"number": "12/KH-UBND", "title": "Kế hoạch"},
        "period": "6 tháng đầu năm 2023",
        "version": 1,
        "draft": False,
        "as_of": "14/06/2023",
        "totals": totals,
        "attached": True,
        "link": "http://127.0.0.1:8000/reports/1",
    }


def sample_digest_context(kind: str) -> dict[str, Any]:
    item = {
        "owner": "Phòng Tư pháp",
        "duty_code": "tuphap-1",
        "duty_text": "Nhiệm vụ",
        "period": "2023-H1",
        "due_on": "20/06/2023",
        "days_late": 12,
        "rung": 3,
        "link": "http://127.0.0.1:8000/occurrences/1",
    }
    return {
        "kind": kind,
        "recipient": "Văn phòng BCĐ",
        "owner": "Phòng Tư pháp",
        "plan": {"number": "12/KH-UBND", "title": "Kế hoạch"},
        "today": "10/07/2023",
        "every": 5,
        "total": 1,
        "bodies": [{"name": "Phòng Tư pháp", "count": 1, "oldest": 12}],
        "items": [item, {**item, "rung": 0}],
        "attached": True,
        "link": "http://127.0.0.1:8000/overdue",
    }


def check_templates(locale: str) -> list[tuple[str, str]]:
    """(template, problem) for every template that does not render; empty when all do."""
    problems = []
    samples = [(REPORT_PARTS, sample_report_context())]
    samples += [(DIGEST_PARTS, sample_digest_context(kind)) for kind in ("body", "office")]
    samples += [(NOTICE_PARTS, sample_notice_context(kind)) for kind in ("submitted", "remind_now")]
    for parts, sample in samples:
        for name in parts:
            try:
                _environment(locale).get_template(name).render({**sample, "subject": "s"})
            except (TemplateError, OSError) as error:
                problems.append((f"{locale}/{name}", f"{type(error).__name__}: {error}"))
    for kind, days, role in (("remind", 2, "own"), ("escalate", -3, "input")):
        context = {**sample_context(), "days": days, "role": role, "step": {"kind": kind, "name": kind, "number": 2}}
        for name in PARTS:
            try:
                _environment(locale).get_template(name).render({**context, "subject": "s"})
            except (TemplateError, OSError) as error:
                problems.append((f"{locale}/{name}", f"{type(error).__name__}: {error}"))
    return problems
