"""A text or markdown file's lines made into paragraphs: hard wraps joined, bold headings kept whole, table cells
apart, page breaks mended; each paragraph remembers the line it starts on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A line that opens a unit of the document's structure (Nghị định 30/2020: Phần, Chương, Mục, Điều, khoản 1.,
# điểm a), bullets), never the continuation of a wrapped sentence.
STRUCTURAL = re.compile(
    r"^(?:[-+•–—]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s*[^\W\d]|\d{1,2}(?:\.\d{1,2}){1,3}\s+\S|[a-zđ]\)\s|"
    r"[IVXL]{1,5}\.\s|(?:Điều|Chương|Mục|Phần)\s+[\dIVXL]+\b|Nơi nhận|\[\d+\]|"
    # the header's own lines: number, place and date, the kind of document
    r"S ?ố(?: hiệu)?\s*:|[^,]{2,60},\s*ngày\s+\d|(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHỈ THỊ)\s*$)"
)
TERMINAL = re.compile(r"[.;:!?…]\s*$|\./\.\s*$")
_ONLY_MARKUP = re.compile(r"^[|\-=_*#\sX]*$")


@dataclass
class Paragraph:
    text: str
    line: int
    bold: bool = False  # the whole paragraph was bold: a heading, never continued by what follows
    closed: bool = False  # a blank line or table border came after it
    last: int = 0  # length of its last source line


@dataclass
class Assembly:
    paragraphs: list[Paragraph] = field(default_factory=list)
    bold_open: bool = False
    width: int = 80  # the usual length of a full (wrapped) line
    blank_separated: bool = True  # paragraphs are separated by blank lines, so a block is one paragraph

    def current(self) -> Paragraph | None:
        return self.paragraphs[-1] if self.paragraphs else None

    def close(self) -> None:
        if self.paragraphs:
            self.paragraphs[-1].closed = True


def mostly_upper(text: str) -> bool:
    upper, lower = sum(c.isupper() for c in text), sum(c.islower() for c in text)
    return upper > 3 and upper > 2 * lower


def _bare(text: str) -> str:
    return re.sub(r"\*+", "", text).strip()


def _continues(state: Assembly, previous: Paragraph, line: str, starts_bold: bool) -> bool:
    """Whether `line` goes on with `previous`: a wrapped sentence, or a sentence broken by a page."""
    text, bare = previous.text, _bare(line)
    if previous.bold or STRUCTURAL.match(bare) or not bare or starts_bold:
        return False
    if not previous.closed:
        if bare[:1].islower():
            return True  # Vietnamese drafting starts every paragraph and item with a capital or a marker
        if TERMINAL.search(_bare(text)):
            return state.blank_separated
        upper = mostly_upper(_bare(text))
        if upper and mostly_upper(bare):
            return True  # a title in capitals, wrapped
        if upper != mostly_upper(bare) and (upper or len(bare.split()) > 3):
            return False  # an upper-case title, then the text under it (or the other way round)
        # Without blank lines between paragraphs, a short line is a heading; with them, a block is one paragraph.
        return state.blank_separated or previous.last >= state.width * 0.55
    if TERMINAL.search(_bare(text)):
        return False
    # Across a blank line only a page break continues a sentence: it resumes in lower case, or a long
    # paragraph stops on a word mid-sentence.
    return bare[:1].islower() or (len(_bare(text)) > 120 and not mostly_upper(_bare(text)) and not mostly_upper(bare))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|") if not _ONLY_MARKUP.match(cell)]


def assemble(text: str) -> list[Paragraph]:
    lines = text.splitlines()
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) > 1)
    blanks = sum(1 for line in lines if not line.strip())
    state = Assembly(
        width=lengths[len(lengths) * 3 // 4] if lengths else 80, blank_separated=blanks > 0.1 * len(lengths)
    )
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().replace("\u00a0", " ")
        if ("|" in line and len(_cells(line)) > 1) or (line.startswith("|") and _cells(line)):
            state.close()
            for cell in _cells(line):  # a table row: each cell is a paragraph of its own
                state.paragraphs.append(Paragraph(cell, number, closed=True))
            continue
        if _ONLY_MARKUP.match(line):
            if line.strip("* ") == "" and line.count("**") % 2 == 1:
                state.bold_open = not state.bold_open
                current = state.current()
                if not state.bold_open and current is not None:
                    current.bold, current.closed = current.text.startswith("**") or current.bold, True
            else:
                state.close()
            continue
        starts_bold = line.startswith("**") and not state.bold_open
        current = state.current()
        if current is not None and not current.bold and _continues(state, current, line, starts_bold):
            current.text = f"{current.text} {line}"
            current.closed = False
        elif state.bold_open and current is not None and not current.closed:
            current.text = f"{current.text} {line}"
        else:
            state.paragraphs.append(Paragraph(("**" if state.bold_open else "") + line, number))
        state.bold_open ^= line.count("**") % 2 == 1
        current = state.paragraphs[-1]
        current.last = len(line)
        if not state.bold_open and current.text.startswith("**") and _bare(current.text) and line.endswith("**"):
            current.bold, current.closed = True, True
    return _join_split_headings(state.paragraphs)


def _join_split_headings(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A bold heading broken into two bold paragraphs ("**1. Sở Tài**", "**chính**") is one heading."""
    joined: list[Paragraph] = []
    for paragraph in paragraphs:
        previous = joined[-1] if joined else None
        bare = _bare(paragraph.text)
        if (
            previous is not None
            and previous.bold
            and paragraph.bold
            and bare[:1].islower()
            and not STRUCTURAL.match(bare)
        ):
            previous.text = f"{previous.text} {paragraph.text}"
        else:
            joined.append(paragraph)
    return joined
