"""Writes a DOCX plan whose body headings and duty bullets are Word's own list formatting, not typed text."""

from __future__ import annotations

from pathlib import Path

from docx import Document

NUMBERED = [
    (
        "Phòng Lao động - Thương binh và Xã hội",
        [
            "Chủ trì, phối hợp với Phòng Giáo dục và Đào tạo và Ủy ban nhân dân các xã tổ chức tư vấn nghề "
            "cho học sinh.",
            "Tham mưu Ủy ban nhân dân huyện tổng kết việc thực hiện kế hoạch hằng năm.",
        ],
    ),
    (
        "Phòng Giáo dục và Đào tạo",
        [
            "Phối hợp với Phòng Lao động - Thương binh và Xã hội rà soát học sinh thuộc hộ nghèo hằng quý.",
        ],
    ),
    (
        "Ủy ban nhân dân các xã",
        [
            "Chỉ đạo lập danh sách lao động cần đào tạo nghề, gửi về huyện trước ngày 20/5.",
            "Bố trí kinh phí tổ chức lớp học nghề (nếu có được phân bổ vốn).",
        ],
    ),
]


def build(path: Path) -> Path:
    document = Document()
    for line in (
        "ỦY BAN NHÂN DÂN HUYỆN SƠN HÀ",
        "Số: 33/KH-UBND",
        "Sơn Hà, ngày 02 tháng 5 năm 2024",
        "KẾ HOẠCH Đào tạo nghề cho lao động nông thôn năm 2024",
        "I. MỤC TIÊU",
        "2. Mục tiêu cụ thể",
    ):
        document.add_paragraph(line)
    document.add_paragraph("Đào tạo nghề cho 450 lao động.", style="List Bullet")
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    for body, duties in NUMBERED:
        document.add_paragraph(body, style="List Number")
        for duty in duties:
            document.add_paragraph(duty, style="List Bullet")
    for line in ("Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Minh Tuấn"):
        document.add_paragraph(line)
    document.save(str(path))
    return path
