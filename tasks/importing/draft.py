"""Drafts a plan file from the text of a Kế hoạch (or a Quyết định that assigns work): `dutyflow plan import`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tasks.importing.bodies import aliases, body_code, body_kind, duty_entry, read_bodies
from tasks.importing.document import DocumentText
from tasks.importing.figures import baseline_from, targets_from

_ROMAN = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\.\s+(.+)$")
_DATE = re.compile(r"^([^,]{2,60}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_BASIS = re.compile(
    r"^Căn cứ (Quyết định|Kế hoạch|Nghị quyết|Nghị định|Thông tư|Luật|Chỉ thị|Công văn) số (\S+) ngày "
    r"(\d{1,2})/(\d{1,2})/(\d{4}) của (.+?) (về .+?)[;.]?$"
)
_ISSUER = re.compile(
    r"(Ủy ban nhân dân (?:tỉnh|huyện|thị xã|thành phố|quận|xã|phường|thị trấn)"
    r"(?: [A-ZĐÀ-Ỹ][^\s,.;:]*)+)"
)
_ARTICLE = re.compile(r"^Điều (\d+)\.\s*(.*)$")
_END = re.compile(r"^(Trên đây|Nơi nhận|Điều \d+\.|TM\.|KT\.)", re.IGNORECASE)


def _is_heading(text: str) -> bool:
    match = _ROMAN.match(text)
    return bool(match and match.group(1) and sum(c.isupper() for c in match.group(2)) > len(match.group(2)) / 2)


def _section(paragraphs: list[str], *words: str) -> list[str]:
    """The paragraphs under the first capitalised Roman-numbered heading that contains any of `words`."""
    for index, text in enumerate(paragraphs):
        if _is_heading(text) and any(w in text.upper() for w in words):
            body = []
            for following in paragraphs[index + 1 :]:
                if _is_heading(following) or _END.match(following):
                    break
                body.append(following)
            return body
    return []


def _assignments(paragraphs: list[str]) -> list[str]:
    section = _section(paragraphs, "TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG")
    if section:
        return section
    for index, text in enumerate(paragraphs):  # a decision: "Điều 2. Giao:" then a), b), ...
        article = _ARTICLE.match(text)
        if article and re.match(r"^(Giao|Phân công|Trách nhiệm)", article.group(2)):
            body = [article.group(2).split(":", 1)[1].strip()] if ":" in article.group(2) else []
            for following in paragraphs[index + 1 :]:
                if _ARTICLE.match(following) or _END.match(following):
                    break
                body.append(following)
            return [b for b in body if b]
    return []


def _targets_bullets(paragraphs: list[str]) -> list[str]:
    goals = _section(paragraphs, "MỤC TIÊU")
    start = next((i + 1 for i, p in enumerate(goals) if re.match(r"^\d+\.\s+Mục tiêu cụ thể", p)), 0)
    bullets: list[str] = []
    for text in goals[start:]:
        if re.match(r"^\d+\.\s", text) and bullets:
            break
        if text.startswith("- "):
            bullets.append(text)
    return bullets


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


def _header(paragraphs: list[str]) -> tuple[dict[str, Any], list[str]]:
    review: list[str] = []
    number = next((m.group(1).strip(" .") for p in paragraphs if (m := re.match(r"^Số:\s*(\S+)", p))), None)
    dated = next((m for p in paragraphs if (m := _DATE.match(p))), None)
    kind_index = next((i for i, p in enumerate(paragraphs) if re.match(r"^(KẾ HOẠCH|QUYẾT ĐỊNH)\b", p)), None)
    title = ""
    if kind_index is not None:
        head = paragraphs[kind_index]
        kind = "Kế hoạch" if head.startswith("KẾ HOẠCH") else "Quyết định"
        rest = head.split(" ", 2)[2] if len(head.split(" ", 2)) > 2 else ""
        title = f"{kind} {rest[:1].lower()}{rest[1:]}".strip()
    issuer_match = None
    header_line = next((p for p in paragraphs[:4] if p.startswith("ỦY BAN NHÂN DÂN")), None)
    if header_line:
        level = re.match(r"ỦY BAN NHÂN DÂN (TỈNH|HUYỆN|THỊ XÃ|THÀNH PHỐ|QUẬN|XÃ|PHƯỜNG|THỊ TRẤN) (.+)", header_line)
        if level:
            issuer_match = f"Ủy ban nhân dân {level.group(1).lower()} {_capitalised(level.group(2))}"
    if not issuer_match:
        own = [m.group(1) for p in paragraphs[:12] if (m := _ISSUER.search(p)) and not p.startswith("Căn cứ")]
        issuer_match = own[0] if own else None
    if not issuer_match:
        review.append("issuer")
    place = dated.group(1).strip() if dated else ""
    issued_on = dt.date(int(dated.group(4)), int(dated.group(3)), int(dated.group(2))) if dated else dt.date.today()
    if not dated:
        review.append("issued_on")
    year_match = re.search(r"năm (\d{4})", title)
    signer_index = max((i for i, p in enumerate(paragraphs) if "CHỦ TỊCH" in p.upper() and len(p) < 60), default=None)
    signer_name = (
        paragraphs[signer_index + 1] if signer_index is not None and signer_index + 1 < len(paragraphs) else ""
    )
    signer_title = ""
    if signer_index is not None:
        signer_title = _signer_title(paragraphs[signer_index])
    if not signer_name:
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
    header = {
        "code": "",
        "number": number or "...",
        "title": title or "...",
        "issuer": issuer_match or "...",
        "place": place or "...",
        "issued_on": issued_on.isoformat(),
        "year": int(year_match.group(1)) if year_match else issued_on.year,
        "signer": {"name": signer_name or "...", "title": signer_title or "...", "contact": "nguoi-ky"},
        "bases": bases,
        "recipients": recipients,
    }
    if not number:
        review.append("number")
    return header, review


def draft_plan(document: DocumentText, *, code: str | None = None) -> dict[str, Any]:
    """A plan file (as data) drafted from `document`; what the text does not say is marked for review."""
    paragraphs = document.paragraphs
    header, review = _header(paragraphs)
    header["code"] = code or body_code(f"{header['place']} {header['year']}", set())
    if review:
        header["review"] = review
    imported = read_bodies(_assignments(paragraphs))
    taken: set[str] = set()
    for body in imported:
        body.code = body_code(body.name, taken)
    names = [(b.code, alias) for b in imported for alias in [b.name, *aliases(b.name)]]
    bodies = []
    for body in imported:
        kind = body_kind(body.name)
        authority = "requested" if body.requested or kind in ("branch_agency", "front") else "ordered"
        entry: dict[str, Any] = {"code": body.code, "order": body.order, "name": body.name}
        if aliases(body.name):
            entry["aliases"] = aliases(body.name)
        entry.update(
            {
                "kind": kind,
                "authority": authority,
                "contacts": [
                    {
                        "code": f"{body.code}-focal",
                        "role": "focal_point",
                        "name": f"Đầu mối {body.name}",
                        "channel": f"contacts:{body.code}.focal",
                    },
                    {
                        "code": f"{body.code}-head",
                        "role": "head",
                        "name": f"Lãnh đạo {body.name}",
                        "channel": f"contacts:{body.code}.head",
                    },
                ],
                "duties": [
                    duty_entry(f"{body.code}-{n}", text, names, body.code)
                    for n, text in enumerate(body.duties, start=1)
                ],
            }
        )
        entry["review"] = ["kind", "authority", *(["units"] if kind == "commune_committees" else [])]
        bodies.append(entry)
    targets = targets_from(_targets_bullets(paragraphs))
    for n, target in enumerate(targets, start=1):
        target["code"] = f"chi-tieu-{n}"
    baseline = baseline_from([p for p in _section(paragraphs, "THỰC TRẠNG", "TÌNH HÌNH") if p.startswith("- ")])
    for n, figure in enumerate(baseline, start=1):
        figure["code"] = f"thuc-trang-{n}"
    return {
        "schema_version": 1,
        "plan": header,
        "contacts": [
            {
                "code": "van-phong-bcd",
                "role": "office",
                "name": "Văn phòng Ban Chỉ đạo",
                "channel": "contacts:van-phong-bcd",
            },
            {"code": "nguoi-ky", "role": "signer", "name": header["signer"]["name"], "channel": "contacts:nguoi-ky"},
        ],
        "bodies": bodies,
        "targets": [{"code": t.pop("code"), **t} for t in targets],
        "baseline": [{"code": f.pop("code"), **f} for f in baseline],
    }


def review_count(plan: dict[str, Any]) -> int:
    """How many values a person must still confirm."""
    items = [plan["plan"], *plan["bodies"], *plan["targets"], *plan["baseline"]]
    items += [d for b in plan["bodies"] for d in b["duties"]]
    return sum(len(item.get("review", [])) for item in items)
