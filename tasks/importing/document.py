"""A Kế hoạch's text as a reader sees it: paragraphs joined across page breaks, footnotes kept apart."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tasks.importing.lines import assemble
from tasks.importing.pdf import pdf_text

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE = re.compile(rf"^[{SUPERSCRIPTS}]+\s+\S")
_MARKER = re.compile(rf"[{SUPERSCRIPTS}]+")
_ENDS_SENTENCE = re.compile(r"[.;:!?)”\"]\s*$")
# A footnote number flattened onto the word it marks ("Trung ương2"): a digit right after a lower-case syllable
# of two letters or more, before a space or punctuation; units such as "m2" have a one-letter word.
_GLUED_NOTE = re.compile(r"(?<=[a-zđà-ỹ]{2})\d(?=[\s,;.:)]|$)")
_NOTE = re.compile(r"^\[\d{1,3}\]")
_STARTS_LOWER = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ(]")


@dataclass
class DocumentText:
    paragraphs: list[str]
    footnotes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # where each paragraph starts in the source (1-based)

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else index + 1


def clean(text: str) -> str:
    """Italics and bold markers dropped, footnote markers removed ("¹", "[2]", "Trung ương2"), runs of spaces
    folded, dashes unified."""
    text = text.replace("**", "").replace("*", "").replace("\u00a0", " ")
    text = _MARKER.sub("", text)
    text = re.sub(r"(?<=\S)\[\d{1,3}\]", "", text)
    text = _GLUED_NOTE.sub("", text)
    text = re.sub(r"^[–—•]\s*", "- ", text.strip())
    return re.sub(r"[ \t]+", " ", text).strip()


def from_blocks(blocks: list[str]) -> DocumentText:
    """Blocks as separated in the source; a block that stops mid-sentence is continued by the next one when
    that one starts in lower case (a page break), and footnotes found between them are set aside."""
    paragraphs: list[str] = []
    footnotes: list[str] = []
    for raw in (piece for block in blocks for piece in _pieces(block)):
        if _FOOTNOTE.match(raw):
            footnotes.append(re.sub(r"\s+", " ", raw.replace("*", "")).strip())  # its number kept: which note
            continue
        text = clean(raw)
        if paragraphs and not _ENDS_SENTENCE.search(paragraphs[-1]) and _STARTS_LOWER.match(text):
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
        else:
            paragraphs.append(text)
    return DocumentText(paragraphs, footnotes)


def _pieces(block: str) -> list[str]:
    """A block's lines as one paragraph, except that each bullet line ("- ", "– ") starts a new one."""
    pieces: list[list[str]] = []
    for line in (line.strip() for line in block.splitlines()):
        if not line:
            continue
        if not pieces or re.match(r"^[-–—•]\s", line):
            pieces.append([line])
        else:
            pieces[-1].append(line)
    return [" ".join(piece) for piece in pieces]


def from_text(text: str) -> DocumentText:
    """Plain text or markdown saved from a web page: see `lines.assemble`."""
    document = DocumentText([])
    for paragraph in assemble(text.replace("\r\n", "\n")):
        cleaned = clean(paragraph.text)
        if not cleaned:
            continue
        if _FOOTNOTE.match(paragraph.text) or _NOTE.match(cleaned):
            document.footnotes.append(cleaned)
            continue
        document.paragraphs.append(cleaned)
        document.lines.append(paragraph.line)
    return document


def read_text_file(path: Path) -> DocumentText:
    return from_text(path.read_text(encoding="utf-8-sig"))


def read_docx(path: Path) -> DocumentText:
    """Paragraphs of a DOCX; Word's automatic numbering and bullets are written out as a reader sees them."""
    from docx import Document

    document = Document(str(path))
    counters: dict[tuple[str, int], int] = {}
    blocks = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        kind = _list_kind(paragraph)
        if kind == "bullet":
            text = f"- {text}"
        elif kind in ("decimal", "lowerLetter"):
            level = _level(paragraph)
            key = (kind, level)
            counters[key] = counters.get(key, 0) + 1
            for deeper in [k for k in counters if k[1] > level]:
                counters.pop(deeper)
            number = counters[key]
            text = f"{number}. {text}" if kind == "decimal" else f"{chr(ord('a') + number - 1)}) {text}"
        blocks.append(text)
    return from_blocks(blocks)


def _level(paragraph: object) -> int:
    props = paragraph._p.pPr  # type: ignore[attr-defined]
    if props is not None and props.numPr is not None and props.numPr.ilvl is not None:
        return int(props.numPr.ilvl.val)
    return 0


def _list_kind(paragraph: object) -> str | None:
    """'bullet', 'decimal', 'lowerLetter', or None: from the list style, or the numbering it points at."""
    style = (paragraph.style.name or "") if paragraph.style is not None else ""  # type: ignore[attr-defined]
    if style.startswith("List Bullet"):
        return "bullet"
    if style.startswith("List Number"):
        return "decimal"
    props = paragraph._p.pPr  # type: ignore[attr-defined]
    if props is None or props.numPr is None or props.numPr.numId is None:
        return None
    try:
        numbering = paragraph.part.numbering_part.numbering_definitions._numbering  # type: ignore[attr-defined]
        num_id = props.numPr.numId.val
        abstract = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
        level = props.numPr.ilvl.val if props.numPr.ilvl is not None else 0
        found = numbering.xpath(
            f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val'
        )
        return str(found[0]) if found else None
    except (AttributeError, IndexError, KeyError, NotImplementedError):
        return None


def read_document(path: Path) -> DocumentText:
    """A .docx, a .pdf with a text layer, or text (.txt, .md); `pdf.UnreadableDocument` for a scanned PDF."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return from_text(pdf_text(path))
    return read_text_file(path)
