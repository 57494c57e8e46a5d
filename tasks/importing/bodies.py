"""The responsible bodies and their duties, read from the section that assigns the work."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tasks.importing.names import partners

# Money that depends on a condition: "nếu có (được) phân bổ vốn", "căn cứ (vào) khả năng (cân đối) ngân sách",
# "tùy điều kiện thực tế ... hỗ trợ thêm", "xem xét, hỗ trợ thêm".
_CONDITION = re.compile(
    r"nếu có(?: được)? phân bổ(?: vốn)?|(?:căn cứ(?: vào)?|trong|tùy theo|tùy|theo) khả năng(?: cân đối)?"
    r"(?: của)? ngân sách|tùy(?: theo)? điều kiện thực tế[^.;]{0,80}hỗ trợ thêm|xem xét,? hỗ trợ thêm",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"(?:Nghị định|Quyết định|Thông tư|Nghị quyết|Luật|Chỉ thị|Kế hoạch) số [\w/.-]+\w"
    r"(?: ngày \d{1,2}/\d{1,2}/\d{4})?(?: của (?:Thủ tướng Chính phủ|Chính phủ|Bộ [^,;.()]+?|Ủy ban nhân dân tỉnh|"
    r"Hội đồng nhân dân tỉnh))?(?=[\s,;.()]|$)"
)
GENERIC = sorted(
    [
        "các cơ quan, đơn vị có liên quan",
        "các cơ quan, đơn vị liên quan",
        "các cơ quan có liên quan",
        "các cơ quan liên quan",
        "các đơn vị có liên quan",
        "các ngành có liên quan",
        "các ngành liên quan",
        "các ngành",
        "các sở, ngành có liên quan",
        "các sở, ngành liên quan",
        "các sở, ban, ngành có liên quan",
        "các phòng, ban",
        "các phòng, ban có liên quan",
    ],
    key=len,
    reverse=True,
)
KINDS = [  # wording -> kind, the first that matches
    ("review", r"sơ kết|tổng kết"),
    ("card_issuance", r"cấp thẻ|danh sách in"),
    ("training", r"tập huấn|bồi dưỡng"),
    ("appraisal", r"thẩm định|phê duyệt"),
    ("survey", r"rà soát|khảo sát|điều tra"),
    ("communication", r"tuyên truyền|truyền thông|truyền thanh|hội thi|vận động"),
    ("inspection", r"kiểm tra|giám sát"),
    ("disbursement", r"giải ngân|quyết toán|cho vay|tín dụng"),
    ("planning", r"xây dựng kế hoạch|giao chỉ tiêu"),
    ("commendation", r"khen thưởng|biểu dương"),
    ("report", r"báo cáo"),
]


@dataclass
class ImportedBody:
    order: int
    name: str
    requested: bool
    duties: list[str] = field(default_factory=list)
    code: str = ""
    review: list[str] = field(default_factory=list)
    line: int = 0
    duty_lines: list[int] = field(default_factory=list)


def ascii_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def body_code(name: str, taken: set[str]) -> str:
    """Initials of the name's words past its kind ("Phòng Lao động - Thương binh và Xã hội" -> ldtbxh)."""
    words = re.findall(r"\w+", ascii_fold(name).lower())
    if words and words[0] in ("phong", "so"):
        words = words[1:]
    meaningful = [w for w in words if w not in ("va", "cac")]
    code = "".join(w[0] for w in meaningful) if len(meaningful) > 2 else "-".join(meaningful)
    code = re.sub(r"[^a-z0-9-]", "", code)[:40] or "co-quan"
    unique, n = code, 2
    while unique in taken:
        unique, n = f"{code}-{n}", n + 1
    taken.add(unique)
    return unique


def body_kind(name: str) -> str:
    lowered = name.lower()
    if lowered.startswith(
        ("phòng giao dịch", "ngân hàng", "bảo hiểm xã hội", "chi cục", "cục ", "kho bạc", "công an", "chi nhánh")
    ):
        return "branch_agency"
    if lowered.startswith(("ủy ban nhân dân các", "ubnd các", "trưởng các ấp", "các ấp")):
        return "commune_committees"
    if lowered.startswith(("ủy ban mặt trận", "mặt trận", "hội ", "đoàn ", "các đoàn thể", "ban thường trực")):
        return "front"
    if lowered.startswith("trung tâm"):
        return "public_service_unit"
    return "division"


def aliases(name: str) -> list[str]:
    """What the plan's text calls a body after "Phòng ..., " (the name without its kind word)."""
    short = re.sub(r"^(Phòng|Sở)\s+", "", name)
    return [short] if short != name else []


def role_of(text: str) -> str:
    opening = text.strip().lower()
    if opening.startswith("tham mưu"):
        return "advise"
    if opening.startswith("phối hợp"):
        return "support"
    return "lead"


def kind_of(text: str) -> str:
    lowered = text.lower()
    return next((kind for kind, pattern in KINDS if re.search(pattern, lowered)), "implementation")


def supporters(text: str, names: list[tuple[str, str]], own_code: str) -> list[str]:
    """Codes of the plan's bodies named after "phối hợp (với)", as long names or short forms, in order."""
    candidates = sorted(names, key=lambda item: len(item[1]), reverse=True)
    found: list[str] = []
    for start in re.finditer(r"phối hợp(?: với)?\s+", text, re.IGNORECASE):
        rest, pos = text[start.end() :], 0
        while pos < len(rest):
            chunk = rest[pos:].lower()
            generic = next(
                (g for g in GENERIC if chunk.startswith(g) and not chunk[len(g) : len(g) + 1].isalpha()), None
            )
            hit = next(
                (
                    (code, alias)
                    for code, alias in candidates
                    if chunk.startswith(alias.lower()) and not chunk[len(alias) : len(alias) + 1].isalpha()
                ),
                None,
            )
            if generic:
                pos += len(generic)
            elif hit:
                if hit[0] != own_code and hit[0] not in found:
                    found.append(hit[0])
                pos += len(hit[1])
            else:
                break
            separator = re.match(r",\s*|\s+và\s+|\s*;\s*", rest[pos:])
            if not separator:
                break
            pos += separator.end()
    return found


def cadence_of(text: str) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Cadence and due rule where the text gives them; otherwise the usual 6-month and annual calendar,
    marked assumed and listed for review."""
    lowered = text.lower()
    review: list[str] = []
    if re.search(r"hằng năm|hàng năm", lowered):
        cadence: dict[str, Any] = {"periods": ["year"]}
    elif re.search(r"định kỳ 6 tháng|6 tháng một lần", lowered):
        cadence = {"periods": ["H1", "H2"]}
    elif re.search(r"hằng quý|hàng quý", lowered):
        cadence = {"periods": ["quarter"]}
    elif re.search(r"hằng tháng|hàng tháng", lowered):
        cadence = {"periods": ["month"]}
    else:
        cadence = {"periods": ["H1", "year"], "assumed": True}
        review.append("cadence")
    before = re.search(r"trước ngày (\d{1,2})/(\d{1,2})(?!/)", lowered)
    if before:
        due: dict[str, Any] = {"kind": "before_day", "day": int(before.group(1)), "month": int(before.group(2))}
    else:
        due = {"kind": "workdays_after_cutoff", "days": 4, "assumed": True}
        review.append("due_rule")
    return cadence, due, review


def duty_entry(
    code: str, text: str, body_names: list[tuple[str, str]], own_code: str, *, line: int = 0
) -> dict[str, Any]:
    cadence, due, review = cadence_of(text)
    entry: dict[str, Any] = {"code": code, "role": role_of(text), "kind": kind_of(text)}
    supporting = supporters(text, body_names, own_code)
    named = {alias.casefold(): body for body, alias in body_names}
    others: list[str] = []
    for name in partners(text):  # the plan's bodies by their name, the others as written
        match = named.get(name.casefold())
        if match is None:
            others.append(name)
        elif match != own_code and match not in supporting:
            supporting.append(match)
    if supporting:
        entry["support_bodies"] = supporting
    if others:
        entry["other_partners"] = others
        if line and any(name[:1].isupper() for name in others):  # a named body the plan does not list
            review.append(f"other_partners@{line}")
    legal = list(dict.fromkeys(_LEGAL.findall(text)))
    if legal:
        entry["legal_basis"] = legal
    condition = _CONDITION.search(text)
    if condition:
        entry["condition"], entry["condition_text"] = "funding", condition.group(0)
    entry.update({"text": text, "cadence": cadence, "due_rule": due, "review": ["kind", *review]})
    return entry
