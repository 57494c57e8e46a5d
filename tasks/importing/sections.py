"""Where a document assigns its work: the sections and articles that do (by their heading's wording), and the
numbering inside them as a tree (khoản 1., 1.1., điểm a), bullets - and +), as Nghị định 30/2020 lays it out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.importing.lines import mostly_upper

ROMAN = re.compile(r"^([IVXL]{1,5})\.\s*(\S.*)$")
ARTICLE = re.compile(r"^Điều\s+(\d{1,3})\.?\s*(.*)$")
# Headings of the part that assigns work, in upper or sentence case.
ASSIGNING = re.compile(r"tổ chức thực hiện|phân công|trách nhiệm thực hiện|giao nhiệm vụ|nhiệm vụ của", re.I)
CONTENT = re.compile(r"^nội dung", re.I)  # some plans assign per body under "NỘI DUNG (THỰC HIỆN)"
END = re.compile(r"^(?:Trên đây|Nơi nhận|TM\.|KT\.|Trong quá trình\b.*(?:khó khăn|vướng mắc))", re.I)
_GIVES = re.compile(r"^(?:Giao|Phân công|Trách nhiệm)\b", re.I)
LEVELS = {"num": 1, "num2": 2, "num3": 3, "letter": 4, "dash": 5, "plus": 6}
_MARKERS = [
    ("num3", re.compile(r"^(\d{1,2}\.\d{1,2}\.(?:\d{1,2}|[a-zđ]))[.)]?\s+(\S.*)$")),
    ("num2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s+(\S.*)$")),
    ("num", re.compile(r"^(\d{1,2})[.)]\s*([^\W\d].*)$")),
    ("letter", re.compile(r"^([a-zđ])\)\s*(\S.*)$")),
    ("dash", re.compile(r"^([-–—•])\s*(\S.*)$")),
    ("plus", re.compile(r"^(\+)\s*(\S.*)$")),
]


@dataclass
class Node:
    kind: str  # num, num2, num3, letter, dash, plus, para, root
    text: str
    line: int
    children: list[Node] = field(default_factory=list)

    @property
    def marked(self) -> list[Node]:
        return [c for c in self.children if c.kind != "para"]

    @property
    def paragraphs(self) -> list[Node]:
        return [c for c in self.children if c.kind == "para"]

    def full_text(self) -> str:
        """The item with everything nested under it (a bullet's + items, a paragraph that follows a letter)."""
        return " ".join([self.text, *(c.full_text() for c in self.children)]).strip()


@dataclass
class Section:
    title: str
    line: int
    nodes: list[Node]
    kind: str  # assigning, content, article (a "Giao ..." article), document (no heading found)


def _is_section_heading(text: str) -> bool:
    match = ROMAN.match(text)
    return bool(match) and len(text) < 160 and (mostly_upper(text) or len(text) < 80)


def _tree(items: list[tuple[str, int]]) -> list[Node]:
    root = Node("root", "", 0)
    stack = [root]
    for text, line in items:
        kind, rest = "para", text
        for name, pattern in _MARKERS:
            if (match := pattern.match(text)) is not None:
                kind, rest = name, match.group(2)
                break
        node = Node(kind, rest, line)
        if kind == "para":
            stack[-1].children.append(node)
            continue
        while len(stack) > 1 and LEVELS.get(stack[-1].kind, 9) >= LEVELS[kind]:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root.children


def _until_end(paragraphs: list[str], lines: list[int], start: int, stop: re.Pattern[str]) -> list[tuple[str, int]]:
    items = []
    for index in range(start, len(paragraphs)):
        text = paragraphs[index]
        if stop.match(text) or END.match(text):
            break
        items.append((text, lines[index]))
        if text.endswith("./."):
            break  # the last sentence of the document's body
    return items


def find_sections(paragraphs: list[str], lines: list[int]) -> list[Section]:
    """Every assigning section and article, in document order; the whole body of the document when none is
    headed as such (a Chỉ thị, say)."""
    found: list[Section] = []
    stop = re.compile(r"^(?:[IVXL]{1,5}\.\s*\S|Điều\s+\d)")
    for index, text in enumerate(paragraphs):
        roman, article = ROMAN.match(text), ARTICLE.match(text)
        if roman and _is_section_heading(text):
            heading = roman.group(2)
            kind = "assigning" if ASSIGNING.search(heading) else "content" if CONTENT.match(heading) else ""
        elif article and len(article.group(2)) < 160 and "thi hành" not in article.group(2):
            heading = article.group(2)
            kind = "assigning" if ASSIGNING.search(heading) and len(heading) < 60 else ""
            kind = kind or ("article" if _GIVES.match(heading) else "")
        else:
            continue
        if not kind:
            continue
        nodes = _tree(_until_end(paragraphs, lines, index + 1, stop))
        if kind == "article":  # "Điều 2. Giao Giám đốc Sở ...:" - the heading is an item over the article
            nodes = [Node("num", heading, lines[index], nodes)]
        found.append(Section(heading, lines[index], nodes, kind))
    if not any(s.kind in ("assigning", "article") for s in found):
        start = next((i + 1 for i, p in enumerate(paragraphs) if re.search(r"(?:sau|như sau):$", p)), 0)
        whole = _until_end(paragraphs, lines, start, re.compile(r"^Nơi nhận"))
        found.append(Section("", lines[start] if start < len(lines) else 1, _tree(whole), "document"))
    return found
