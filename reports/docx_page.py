"""What every DOCX document of dutyflow shares: an A4 page with administrative margins in Times New Roman, and
paragraphs of one run."""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"


def a4_document() -> Any:
    """A new document: A4, margins 20/20/30/15 mm (top, bottom, left, right), Times New Roman 13 pt."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(20),
        Mm(20),
        Mm(30),
        Mm(15),
    )
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return document


def paragraph(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = 13,
    align: Any = None,
) -> Any:
    added = container.add_paragraph()
    run = added.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    if align is not None:
        added.alignment = align
    added.paragraph_format.space_after = Pt(2)
    return added
