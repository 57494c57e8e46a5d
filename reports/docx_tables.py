"""The DOCX report's tables, written as XML in one piece: python-docx's per-cell calls cost about 0.3 ms a cell,
and a province's report has thousands. The XML is the same python-docx writes (tests/test_docx_tables.py)."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

_SPECIAL = re.compile(r"([\t\r\n])")


def run_content(text: str) -> str:
    """A run's text as python-docx writes it: a tab or line break as its own element, the rest as `w:t`."""
    parts = []
    for piece in _SPECIAL.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(parts)


def _cell(width: str, text: str, *, bold: bool, align: str | None) -> str:
    # The empty run first: what `cell.text = ""` leaves before the run that holds the text.
    p_pr = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    r_pr = ("<w:b/>" if bold else "") + '<w:sz w:val="22"/>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
        f"<w:p>{p_pr}<w:r/><w:r><w:rPr>{r_pr}</w:rPr>{run_content(text)}</w:r></w:p></w:tc>"
    )


def add_grid_table(document: Any, headers: list[str], rows: list[list[Any]], numeric_from: int = 1) -> Any:
    """A bordered table (style "Table Grid"), centred: headers bold and centred in 11 pt, then the rows in
    11 pt, numbers from column `numeric_from` on aligned right; an empty paragraph after it."""
    table = document.add_table(rows=0, cols=len(headers))
    # Every cell bordered: the style's id set directly, as `table.style = "Table Grid"` sets it, without that
    # setter's search of the document's styles for the default table style each time.
    table._tbl.tblStyle_val = document.styles["Table Grid"].style_id
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    widths = [col.get(qn("w:w")) for col in tbl.tblGrid.gridCol_lst]
    xml = ["<w:tr>", *(_cell(w, h, bold=True, align="center") for w, h in zip(widths, headers, strict=True)), "</w:tr>"]
    for row in rows:
        xml.append("<w:tr>")
        for index, (width, value) in enumerate(zip(widths, row, strict=True)):
            numeric = index >= numeric_from and isinstance(value, int | float)
            xml.append(_cell(width, str(value), bold=False, align="right" if numeric else None))
        xml.append("</w:tr>")
    for tr in list(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml)}</w:tbl>")):
        tbl.append(tr)
    document.add_paragraph()
    return table
