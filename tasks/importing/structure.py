"""The bodies of the assigning sections and their duties, told apart by what items say and how they nest:
a group heading over bodies, a body heading over its duties, a body with its duty inline, a body as the subject
of its sentence; numbered items that name no body (funding, reporting, "nếu có khó khăn") are left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.importing.names import (
    RESPONSIBLE,
    is_role_heading,
    names_body,
    org_start,
    subject_end,
    subject_of,
    without_lead_in,
)
from tasks.importing.sections import Node, Section

_ROLE_NOTE = re.compile(r"\s*\((?:cơ quan|là cơ quan|đơn vị)[^()]*\)", re.IGNORECASE)
_SEVERAL = re.compile(r";|\s(?:và|,)\s*(?:Sở|Bộ|Ủy ban|UBND|Ban|Hội|Báo|Đài|Công an|Tòa án|Viện|Chủ tịch)\b")


@dataclass
class FoundBody:
    name: str
    requested: bool
    line: int
    duties: list[tuple[str, int]] = field(default_factory=list)  # text and source line
    review: list[str] = field(default_factory=list)


@dataclass
class Reading:
    bodies: list[FoundBody] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)  # numbered items that name no body


def _clean_name(name: str) -> str:
    return _ROLE_NOTE.sub("", name).strip(" :;.,")


def _split_inline(text: str) -> tuple[str, str | None]:
    """ "Sở Tài chính: chủ trì ..." -> the name and its inline duty, when the part before ':' names a body."""
    if ":" in text:
        name, rest = text.split(":", 1)
        if (
            1 <= len(name.split()) <= 40
            and names_body(name)
            and subject_end(without_lead_in(name)[0]) >= len(without_lead_in(name)[0])
        ):
            return name.strip(), rest.strip() or None
    return text.strip(), None


def _heading_name(text: str) -> tuple[str, bool] | None:
    """The body a heading names when the whole heading is a name ("1. Sở Y tế", "Trách nhiệm của ..."),
    with whether it is requested; None for a sentence or a topic."""
    stripped, requested = without_lead_in(text.strip(" :"))
    if not stripped:
        return "", requested  # "Giao:" over a list of bodies
    if names_body(text) and subject_end(stripped) >= len(stripped):
        return stripped, requested
    responsible = RESPONSIBLE.search(stripped)
    if responsible and org_start(stripped[: responsible.start()]):
        return stripped[: responsible.start()], requested  # "11. Các đơn vị cấp nước ... có trách nhiệm"
    return None


def _responsible(text: str) -> tuple[str, bool] | None:
    """A sentence whose predicate is "có/chịu trách nhiệm": it assigns work even outside an assigning section."""
    subject = subject_of(text)
    if subject is None:
        return None
    rest = without_lead_in(text)[0][len(subject[0]) :]
    return subject if re.match(r"^[\s,]*(?:có|chịu) trách nhiệm\b", rest) else None


def _body_item(node: Node) -> bool:
    """Whether an item names a body (as a heading, with its duty inline, or as its sentence's subject)."""
    name, inline = _split_inline(node.text)
    return inline is not None or _heading_name(name) is not None or subject_of(node.text) is not None


def _duties(nodes: list[Node]) -> list[tuple[str, int]]:
    return [(n.full_text(), n.line) for n in nodes]


def _found(name: str, requested: bool, node: Node, duties: list[tuple[str, int]], *, subject: bool) -> FoundBody:
    body = FoundBody(_clean_name(name), requested, node.line, duties)
    if _SEVERAL.search(body.name) or subject:
        body.review.append(f"name@{node.line}")  # several bodies in one name, or read from a sentence
    if any(c.kind != "para" and c.marked for c in node.children):
        body.review.append(f"duties@{node.line}")  # nested items: one duty each, or part of their parent
    return body


def read_node(node: Node, reading: Reading, *, headings_only: bool = False) -> None:
    name, inline = _split_inline(node.text)
    heading = _heading_name(name) if inline is None else (without_lead_in(name)[0], without_lead_in(name)[1])
    if heading is None:
        subject = None if node.kind in ("dash", "plus") else subject_of(node.text)
        if headings_only and node.kind in ("num", "num2"):
            subject = _responsible(node.text)  # a directive's "1. Các cơ quan ... có trách nhiệm ..."
        if subject is None:
            reading.skipped.append((node.text, node.line))
            return
        duties = [(node.text, node.line), *_duties(node.marked or node.paragraphs)]
        reading.bodies.append(_found(subject[0], subject[1], node, duties, subject=True))
        return
    body_name, requested = heading
    marked = node.marked
    if inline is None:
        bodies_under = [c for c in marked if _body_item(c)]
        # A group heading's first item is a body; when it is a duty, later "Giao X ..." items are delegations.
        if not body_name or (marked and _body_item(marked[0]) and 2 * len(bodies_under) > len(marked)):
            for child in node.children:  # a group heading: the bodies are the items under it
                read_node(child, reading, headings_only=headings_only)
            return
        paragraphs = node.paragraphs
        if not marked and is_role_heading(node.text) and paragraphs and all(subject_of(p.text) for p in paragraphs):
            for paragraph in paragraphs:  # "3. Đối với các tổ chức khác" over "Đề nghị Ủy ban ... phát động ..."
                read_node(paragraph, reading)
            return
        reading.bodies.append(_found(body_name, requested, node, _duties(marked or paragraphs), subject=False))
        return
    duties = [(inline, node.line), *_duties(marked or node.paragraphs)]
    reading.bodies.append(_found(body_name, requested, node, duties, subject=False))


def read_sections(sections: list[Section]) -> Reading:
    reading = Reading()
    for section in sections:
        for node in section.nodes:
            if node.kind in ("para", "dash", "plus") and section.kind != "document":
                if node.kind == "para" and subject_of(node.text) and section.kind == "assigning":
                    read_node(node, reading)  # an unnumbered sentence about a body
                continue
            if node.kind in ("para", "dash", "plus"):
                continue
            read_node(node, reading, headings_only=section.kind in ("content", "document"))
    return reading
