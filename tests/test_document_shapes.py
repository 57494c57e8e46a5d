"""Shapes real documents come in, each read the way a person reads it: headers in tables and OCR, wrapped and
bold-split lines, group headings, bodies in sentences, PDFs with and without text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.importing.document import from_text, read_document
from tasks.importing.draft import draft_plan
from tasks.importing.header import header
from tasks.importing.names import partners, subject_of
from tasks.importing.pdf import UnreadableDocument

from .conftest import Run


@pytest.mark.parametrize(
    ("text", "number", "issued_on"),
    [
        ("| UBND | CỘNG HÒA |\n|---|---|\n| Số: 773 /QĐ-TTg | Hà Nội, ngày 26 tháng 0 6 năm 2018 |", "773/QĐ-TTg",
         "2018-06-26"),
        ("| Số: 3210/QĐ - U B ND | T hành phố Hồ Chí M inh, ngày 28 tháng 6 năm 2014 |", "3210/QĐ-UBND",
         "2014-06-28"),
        ("**Số hiệu:**\n|\n980/KH-UBND\n|\n**ỦY BAN NHÂN DÂN**\nTỈNH NGHỆ AN\n|\nSố: 980/KH-UBND\n|\n"
         "*Nghệ An, ngày 18\ntháng 11 năm 2025*\n|\n**KẾ HOẠCH**", "980/KH-UBND", "2025-11-18"),
        ("ỦY BAN NHÂN DÂN\nTỈNH HƯNG YÊN\n\nSố: 199/KH-UBND\n\nHưng Yên, ngày 01 tháng 6 năm 2026\n\nKẾ HOẠCH",
         "199/KH-UBND", "2026-06-01"),
    ],
)
def test_the_number_and_date_are_read_from_lines_tables_and_ocr(text: str, number: str, issued_on: str) -> None:
    found, _ = header(from_text(text).paragraphs)
    assert (found["number"], found["issued_on"]) == (number, issued_on)


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("**1. Sở Tài\nchính**\n\nChủ trì, phối hợp\nvới Sở Y tế.",
         ["1. Sở Tài chính", "Chủ trì, phối hợp với Sở Y tế."]),
        ("**2. Sở Văn**\n\n**hóa và Thể thao**", ["2. Sở Văn hóa và Thể thao"]),
        ("a) Phối hợp với Sở Y tế theo Chỉ thị của Trung ương2 và 3[2];\nđẩy mạnh truyền thông.",
         ["a) Phối hợp với Sở Y tế theo Chỉ thị của Trung ương và 3;\nđẩy mạnh truyền thông.".replace("\n", " ")]),
        ("- Tuyên truyền đến toàn bộ cán bộ, công chức, viên chức, người lao động trong các cơ quan, đơn vị, doanh "
         "nghiệp và trường học Nghị quyết của Ban\n\nThường vụ Tỉnh ủy.\n\n- Tăng cường kiểm tra.",
         ["- Tuyên truyền đến toàn bộ cán bộ, công chức, viên chức, người lao động trong các cơ quan, đơn vị, doanh "
          "nghiệp và trường học Nghị quyết của Ban Thường vụ Tỉnh ủy.", "- Tăng cường kiểm tra."]),
    ],
)
def test_wraps_bold_splits_footnote_marks_and_page_breaks_are_mended(text: str, paragraphs: list[str]) -> None:
    assert from_text(text).paragraphs == paragraphs


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("Sở Tài chính có trách nhiệm bố trí kinh phí.", "Sở Tài chính"),
        ("Căn cứ Kế hoạch này, các sở, ngành, Ủy ban nhân dân xã, phường xây dựng kế hoạch.",
         "các sở, ngành, Ủy ban nhân dân xã, phường"),
        ("Giao Công an tỉnh chủ trì, theo dõi việc thực hiện.", "Công an tỉnh"),
        ("Các cơ quan, đơn vị được giao chủ trì có trách nhiệm hoàn thành nhiệm vụ.",
         "Các cơ quan, đơn vị được giao chủ trì"),
        ("Báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh.", None),
        ("Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan phản ánh về Sở Nội vụ.", None),
    ],
)
def test_a_body_is_the_subject_of_its_sentence(sentence: str, subject: str | None) -> None:
    found = subject_of(sentence)
    assert (found[0] if found else None) == subject


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Chủ trì, phối hợp với Bộ Tài chính, Bộ Xây dựng cân đối vốn.", ["Bộ Tài chính", "Bộ Xây dựng"]),
        ("Phối hợp với Sở Tư pháp và các cơ quan liên quan tổ chức phổ biến.", ["Sở Tư pháp", "các cơ quan liên quan"]),
        ("Phối hợp với các ngành, các cấp tăng cường tuyên truyền.", ["các ngành, các cấp"]),
        ("Phối hợp chặt chẽ với các cơ quan quản lý NTTS trong quan trắc.", ["các cơ quan quản lý NTTS"]),
        ("Chủ trì, phối hợp thực hiện chức năng quản lý.", []),
    ],
)
def test_partners_are_the_bodies_named_after_phoi_hop(text: str, named: list[str]) -> None:
    assert partners(text) == named


GROUPED = """Điều 8. Tổ chức thực hiện

1. Trách nhiệm của các Bộ, ngành Trung ương

a) Bộ Xây dựng:

- Chủ trì hướng dẫn các tỉnh triển khai thực hiện;

- Bố trí kinh phí cho công tác chỉ đạo.

b) Bộ Tài chính: Phối hợp với Bộ Xây dựng bố trí vốn.

2. Trách nhiệm của Ủy ban nhân dân các tỉnh

a) Công bố công khai danh sách;

b) Giao Sở Xây dựng là cơ quan thường trực;

c) Bố trí vốn đối ứng.

Ngoài nguồn vốn trên, tùy điều kiện thực tế, các địa phương hỗ trợ thêm từ ngân sách địa phương;

d) Hàng tháng báo cáo Bộ Xây dựng.

3. Kinh phí thực hiện: từ ngân sách nhà nước.

Điều 9. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_group_headings_hold_bodies_and_a_body_in_a_heading_holds_its_duties() -> None:
    draft = draft_plan(from_text(GROUPED))
    found = [(b["name"], len(b["duties"])) for b in draft["bodies"]]
    assert found == [("Bộ Xây dựng", 2), ("Bộ Tài chính", 1), ("Ủy ban nhân dân các tỉnh", 4)]
    assert draft["bodies"][2]["duties"][2]["condition"] == "funding"  # the paragraph under c) belongs to it


def _pdf(path: Path, lines: list[str]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType with a Unicode map: a real text layer
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(8.27, 11.69))
    for n, line in enumerate(lines):
        figure.text(0.05, 0.95 - n * 0.03, line, fontsize=10)
    figure.savefig(path)
    plt.close(figure)
    return path


def test_a_pdf_with_a_text_layer_is_read(tmp_path: Path) -> None:
    pdf = _pdf(
        tmp_path / "ke-hoach.pdf",
        [
            "ỦY BAN NHÂN DÂN HUYỆN SƠN HÀ",
            "Số: 33/KH-UBND",
            "Sơn Hà, ngày 02 tháng 5 năm 2024",
            "KẾ HOẠCH",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Phòng Tư pháp",
            "- Chủ trì, phối hợp với Phòng Nội vụ tuyên truyền pháp luật.",
            "2. Phòng Nội vụ",
            "- Báo cáo kết quả trước ngày 15/12.",
        ],
    )
    draft = draft_plan(read_document(pdf))
    assert (draft["plan"]["number"], draft["plan"]["issued_on"]) == ("33/KH-UBND", "2024-05-02")
    assert [(b["name"], len(b["duties"])) for b in draft["bodies"]] == [("Phòng Tư pháp", 1), ("Phòng Nội vụ", 1)]


def _scanned(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # a page with no text, as a scanner leaves it
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_a_scanned_pdf_without_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as refused:
        read_document(_scanned(tmp_path / "scan.pdf"))
    assert refused.value.code == "import.scanned_pdf" and refused.value.params == {"pages": "2"}


def test_plan_import_refuses_a_scan_in_words_and_summarises_what_it_found(cli: Run, tmp_path: Path) -> None:
    code, _, err = cli("plan", "import", str(_scanned(tmp_path / "scan.pdf")))
    assert code == 1 and "không có lớp chữ" in err and "2 trang" in err
    real = Path(__file__).parent / "documents" / "real" / "12-kh980-2025-nghean-phong-thu-dan-su.txt"
    code, out, _ = cli("plan", "import", str(real), "--out", str(tmp_path / "d.yaml"))
    assert code == 0
    assert "Cơ quan được giao nhiệm vụ (4):" in out and "2. Bộ CHQS tỉnh: 1 nhiệm vụ" in out
    assert "dòng 148: tên gồm nhiều cơ quan" in out
    assert len(out.splitlines()) <= 25  # one screen
