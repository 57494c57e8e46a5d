"""A plan document's header (Nghị định 30/2020: issuer, number, place and date, kind and title, signature),
read from plain lines, table cells, OCR-spaced letters ("U B ND") and split digits ("0 6")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tasks.importing.lines import mostly_upper

_KIND = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CHỈ THỊ|CHƯƠNG TRÌNH|KẾT LUẬN|NGHỊ QUYẾT|THÔNG BÁO)\b")
_DATE = re.compile(
    r"(?:^|\|)\s*([^,|]{2,60}),\s*ngày\s+(\d\s?\d?)\s+tháng\s+(\d\s?\d?)\s+năm\s+(\d\s?\d\s?\d\s?\d)"
)
_NUMBER = re.compile(r"^S\s?ố\s*:\s*(.+)$")
_BASIS = re.compile(
    r"^Căn cứ (Quyết định|Kế hoạch|Nghị quyết|Nghị định|Thông tư|Luật|Chỉ thị|Công văn) số (\S+) ngày "
    r"(\d{1,2})/(\d{1,2})/(\d{4}) của (.+?) (về .+?)[;.]?$"
)
_ISSUER = re.compile(
    r"(Ủy ban nhân dân (?:tỉnh|huyện|thị xã|thành phố|quận|xã|phường|thị trấn)"
    r"(?: [A-ZĐÀ-Ỹ][^\s,.;:]*)+)"
)


def desplit(text: str) -> str:
    """Letters an OCR pass spaced apart put back together: "T hành phố" -> "Thành phố", "U B ND" -> "UBND"."""
    text = re.sub(r"\b([A-ZĐÀ-Ỹ]) (?=[a-zđà-ỹ]{2,})", r"\1", text)
    return re.sub(r"\b(?:[A-ZĐ] ){1,5}[A-ZĐ]{1,3}\b", lambda m: m.group(0).replace(" ", ""), text)


def _number(paragraph: str) -> str | None:
    """ "Số: 3210/QĐ - U B ND" -> "3210/QĐ-UBND": the tokens that read as a document number, spaces dropped."""
    match = _NUMBER.match(paragraph.strip(" |*"))
    if not match:
        return None
    tokens, kept = match.group(1).split(), []
    for n, token in enumerate(tokens):
        following = tokens[n + 1] if n + 1 < len(tokens) else ""
        if len(token) == 1 and token.isupper() and following[:1].islower():
            break  # the first letter of a place name split off by OCR ("T hành phố")
        if re.search(r"[\d/-]", token) or token.isupper():
            kept.append(token)
        else:
            break
    number = "".join(kept).strip(" .,;")
    return number if re.search(r"\d", number) else None


def _date_of(match: re.Match[str]) -> dt.date | None:
    day, month, year = (int(re.sub(r"\s", "", match.group(n))) for n in (2, 3, 4))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _plan_year(year_match: re.Match[str] | None, issued_on: dt.date) -> int:
    """The year the title names when the plan is for it (issued that year or the one before); else the issue
    year - a title's "năm 2013" may date the document it implements."""
    named = int(year_match.group(1)) if year_match else issued_on.year
    return named if named in (issued_on.year, issued_on.year + 1) else issued_on.year


def _title(paragraphs: list[str], index: int) -> str:
    head = _KIND.match(paragraphs[index])
    assert head is not None
    kind = head.group(1)[:1] + head.group(1)[1:].lower()
    rest = paragraphs[index][head.end() :].strip()
    if not rest and index + 1 < len(paragraphs):
        rest = paragraphs[index + 1]  # the title on its own line under the kind
    rest = rest.lower() if mostly_upper(rest) else rest
    return f"{kind} {rest[:1].lower()}{rest[1:]}".strip()


def _capitalised(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


_SIGNING = [
    ("KT. CHỦ TỊCH", "KT. Chủ tịch"),
    ("TM. ỦY BAN NHÂN DÂN", "TM. Ủy ban nhân dân"),
    ("PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
    ("CHỦ TỊCH", "Chủ tịch"),
]


def _signer_title(block: str) -> str:
    """ "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" -> "KT. Chủ tịch, Phó Chủ tịch" (the signing block, as written out)."""
    rest, parts = block.upper().strip(), []
    while rest:
        for raw, pretty in _SIGNING:
            if rest.startswith(raw):
                parts.append(pretty)
                rest = rest[len(raw) :].strip(" ,")
                break
        else:
            parts.append(rest[:1] + rest[1:].lower())
            break
    return ", ".join(parts)


def header(paragraphs: list[str], *, today: dt.date | None = None) -> tuple[dict[str, Any], list[str]]:
    """The plan's header: number, date and place, title, issuer, signer, recipients and legal bases; the names of
    what the text does not give (marked for review)."""
    review: list[str] = []
    kind_index = next((i for i, p in enumerate(paragraphs) if _KIND.match(p)), None)
    top = [desplit(p) for p in paragraphs[: (kind_index or 40) + 1]]
    number = next((found for p in top if (found := _number(p))), None)
    dated = next((m for p in top if (m := _DATE.search(p))), None)
    title = ""
    if kind_index is not None:
        title = _title(paragraphs, kind_index)
    issuer_match = None
    at = next((i for i, p in enumerate(top[:12]) if p.startswith("ỦY BAN NHÂN DÂN")), None)
    header_line = top[at] if at is not None else None
    if at is not None and top[at] == "ỦY BAN NHÂN DÂN" and at + 1 < len(top):
        header_line = f"{top[at]} {top[at + 1]}"  # the level and place on the line under it
    if header_line:
        level = re.match(r"ỦY BAN NHÂN DÂN (TỈNH|HUYỆN|THỊ XÃ|THÀNH PHỐ|QUẬN|XÃ|PHƯỜNG|THỊ TRẤN) (.+)", header_line)
        if level:
            issuer_match = f"Ủy ban nhân dân {level.group(1).lower()} {_capitalised(level.group(2))}"
    if not issuer_match:
        own = [m.group(1) for p in paragraphs[:12] if (m := _ISSUER.search(p)) and not p.startswith("Căn cứ")]
        issuer_match = own[0] if own else None
    if not issuer_match:
        authority = next((p for p in top[:3] if mostly_upper(p) and not p.startswith("CỘNG HÒA")), "")
        authority = authority.strip(" -")
        issuer_match = authority[:1] + authority[1:].lower() if authority else None
        review.append("issuer")
    place = dated.group(1).strip(" *|") if dated else ""
    issued_on = _date_of(dated) if dated else None
    year_match = re.search(r"năm (\d{4})", title)
    if issued_on is None:
        review.append("issued_on")  # no date in the header: a stand-in the person must replace
        issued_on = today or dt.date(int(year_match.group(1)) if year_match else 2000, 1, 1)
    signer_index = max(
        (i for i, p in enumerate(paragraphs) if "CHỦ TỊCH" in p.upper() and len(p) < 60 and "Nơi nhận" not in p),
        default=None,
    )
    signer_name = (
        paragraphs[signer_index + 1] if signer_index is not None and signer_index + 1 < len(paragraphs) else ""
    )
    signer_title = ""
    if signer_index is not None:
        signer_title = _signer_title(paragraphs[signer_index])
    if not re.fullmatch(r"(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\s){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]*", signer_name):
        signer_name = ""  # not a person's name: the signature block was not where it usually is
        review.append("signer")
    recipients_at = next((i for i, p in enumerate(paragraphs) if p.startswith("Nơi nhận")), None)
    recipients = []
    if recipients_at is not None:
        for text in paragraphs[recipients_at + 1 :]:
            if not text.startswith("- "):
                break
            recipients.append(text.removeprefix("- ").rstrip(";. ").strip())
    bases = []
    for text in paragraphs:
        basis = _BASIS.match(text)
        if basis:
            issued = dt.date(int(basis.group(5)), int(basis.group(4)), int(basis.group(3)))
            bases.append(
                {
                    "number": basis.group(2),
                    "issued_on": issued.isoformat(),
                    "issuer": basis.group(6),
                    "title": basis.group(7).rstrip(";. "),
                }
            )
    result = {
        "code": "",
        "number": number or "...",
        "title": title or "...",
        "issuer": issuer_match or "...",
        "place": place or "...",
        "issued_on": issued_on.isoformat(),
        "year": _plan_year(year_match, issued_on),
        "signer": {"name": signer_name or "...", "title": signer_title or "...", "contact": "nguoi-ky"},
        "bases": bases,
        "recipients": recipients,
    }
    if not number:
        review.append("number")
    return result, review


