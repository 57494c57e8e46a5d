"""The DOCX report's tables, written as XML in one piece, are the very XML python-docx writes cell by cell."""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.shared import Mm

from bench.report_baseline import per_cell_table
from reports.docx_tables import add_grid_table


def _body_xml(write: Any, headers: list[str], rows: list[list[Any]], numeric_from: int) -> str:
    document = Document()
    section = document.sections[0]
    section.page_width, section.left_margin, section.right_margin = Mm(210), Mm(30), Mm(15)
    write(document, headers, rows, numeric_from)
    return str(document.element.body.xml)


ROWS: list[list[Any]] = [
    [1, "Phòng Tư pháp", 12, 3.5, ""],
    [2, "  lề trái và phải  ", 0, -1, None],
    [3, "Dòng một\ndòng hai\r\nbốn\tcột", 7, "7", "a & b < c > d \"q\" 'p'"],
    ["Tổng cộng", "", 19, 2.5, "—"],
]


def test_the_bulk_table_is_byte_for_byte_what_python_docx_writes_cell_by_cell() -> None:
    headers = ["TT", "Cơ quan", "Đúng hạn", "Tỷ lệ", "Ghi chú"]
    for numeric_from in (1, 2):
        bulk = _body_xml(add_grid_table, headers, ROWS, numeric_from)
        assert bulk == _body_xml(per_cell_table, headers, ROWS, numeric_from)


def test_an_empty_table_still_has_its_header_row() -> None:
    headers = ["TT", "Cơ quan"]
    assert _body_xml(add_grid_table, headers, [], 1) == _body_xml(per_cell_table, headers, [], 1)
