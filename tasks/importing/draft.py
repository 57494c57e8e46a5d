"""Drafts a plan file from the text of a Kế hoạch (or a Quyết định that assigns work): `dutyflow plan import`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tasks.importing.bodies import ImportedBody, aliases, body_code, body_kind, duty_entry
from tasks.importing.document import DocumentText
from tasks.importing.figures import baseline_from, targets_from
from tasks.importing.header import header as read_header
from tasks.importing.sections import find_sections
from tasks.importing.structure import read_sections

_ROMAN = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\.\s+(.+)$")
_END = re.compile(r"^(Trên đây|Nơi nhận|Điều \d+\.|TM\.|KT\.)", re.IGNORECASE)


def _is_heading(text: str) -> bool:
    match = _ROMAN.match(text)
    return bool(match and match.group(1) and sum(c.isupper() for c in match.group(2)) > len(match.group(2)) / 2)


def _section(paragraphs: list[str], *words: str) -> list[str]:
    """The paragraphs under the first capitalised Roman-numbered heading that contains any of `words`."""
    for index, text in enumerate(paragraphs):
        if _is_heading(text) and any(w in text.upper() for w in words):
            body = []
            for following in paragraphs[index + 1 :]:
                if _is_heading(following) or _END.match(following):
                    break
                body.append(following)
            return body
    return []


def read_bodies(document: DocumentText) -> tuple[list[ImportedBody], list[str]]:
    """The bodies of the assigning sections, and what the reading leaves to a person (with source lines)."""
    lines = [document.line_of(i) for i in range(len(document.paragraphs))]
    sections = find_sections(document.paragraphs, lines)
    reading = read_sections(sections)
    review = [f"section@{s.line}" for s in sections if s.kind == "document"]
    bodies = [
        ImportedBody(
            n,
            b.name,
            b.requested,
            [text for text, _ in b.duties],
            review=b.review,
            line=b.line,
            duty_lines=[line for _, line in b.duties],
        )
        for n, b in enumerate(reading.bodies, start=1)
    ]
    return bodies, review


def _targets_bullets(paragraphs: list[str]) -> list[str]:
    goals = _section(paragraphs, "MỤC TIÊU")
    start = next((i + 1 for i, p in enumerate(goals) if re.match(r"^\d+\.\s+Mục tiêu cụ thể", p)), 0)
    bullets: list[str] = []
    for text in goals[start:]:
        if re.match(r"^\d+\.\s", text) and bullets:
            break
        if text.startswith("- "):
            bullets.append(text)
    return bullets


def draft_plan(document: DocumentText, *, code: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """A plan file (as data) drafted from `document`; what the text does not say is marked for review."""
    paragraphs = document.paragraphs
    header, review = read_header(paragraphs, today=today)
    header["code"] = code or body_code(f"{header['place']} {header['year']}", set())
    if review:
        header["review"] = review
    imported, section_review = read_bodies(document)
    if not imported:  # a plan file needs a body: a stand-in the person names (the draft still validates)
        imported = [ImportedBody(1, "...", False, review=["name", "duties"])]
    header["review"] = [*header.get("review", []), *section_review]
    if not header["review"]:
        del header["review"]
    taken: set[str] = set()
    for body in imported:
        body.code = body_code(body.name, taken)
    names = [(b.code, alias) for b in imported for alias in [b.name, *aliases(b.name)]]
    bodies = []
    for body in imported:
        kind = body_kind(body.name)
        authority = "requested" if body.requested or kind in ("branch_agency", "front") else "ordered"
        entry: dict[str, Any] = {"code": body.code, "order": body.order, "name": body.name}
        if aliases(body.name):
            entry["aliases"] = aliases(body.name)
        entry.update(
            {
                "kind": kind,
                "authority": authority,
                "contacts": [
                    {
                        "code": f"{body.code}-focal",
                        "role": "focal_point",
                        "name": f"Đầu mối {body.name}",
                        "channel": f"contacts:{body.code}.focal",
                    },
                    {
                        "code": f"{body.code}-head",
                        "role": "head",
                        "name": f"Lãnh đạo {body.name}",
                        "channel": f"contacts:{body.code}.head",
                    },
                ],
                "duties": [
                    duty_entry(f"{body.code}-{n}", text, names, body.code, line=line)
                    for n, (text, line) in enumerate(
                        zip(body.duties, body.duty_lines or [0] * len(body.duties), strict=True), start=1
                    )
                ],
            }
        )
        entry["review"] = [
            *body.review,
            "kind",
            "authority",
            *(["units"] if kind == "commune_committees" else []),
        ]
        bodies.append(entry)
    targets = targets_from(_targets_bullets(paragraphs))
    for n, target in enumerate(targets, start=1):
        target["code"] = f"chi-tieu-{n}"
    baseline = baseline_from([p for p in _section(paragraphs, "THỰC TRẠNG", "TÌNH HÌNH") if p.startswith("- ")])
    for n, figure in enumerate(baseline, start=1):
        figure["code"] = f"thuc-trang-{n}"
    return {
        "schema_version": 1,
        "plan": header,
        "contacts": [
            {
                "code": "van-phong-bcd",
                "role": "office",
                "name": "Văn phòng Ban Chỉ đạo",
                "channel": "contacts:van-phong-bcd",
            },
            {"code": "nguoi-ky", "role": "signer", "name": header["signer"]["name"], "channel": "contacts:nguoi-ky"},
        ],
        "bodies": bodies,
        "targets": [{"code": t.pop("code"), **t} for t in targets],
        "baseline": [{"code": f.pop("code"), **f} for f in baseline],
    }


def review_count(plan: dict[str, Any]) -> int:
    """How many values a person must still confirm."""
    items = [plan["plan"], *plan["bodies"], *plan["targets"], *plan["baseline"]]
    items += [d for b in plan["bodies"] for d in b["duties"]]
    return sum(len(item.get("review", [])) for item in items)
