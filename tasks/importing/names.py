"""Names of organisations in a plan's sentences: whether a phrase names a body, where a sentence's subject ends,
and the bodies named after "phối hợp (với)"."""

from __future__ import annotations

import re

# The head word of an organisation's name, as Vietnamese administration writes it (case-sensitive: a body's name
# is capitalised, "các ..." phrases are not).
_PROPER = (
    r"Bộ Chỉ huy|Bộ CHQS|Bộ đội|Bộ|Sở|Phòng|Ủy ban|Uỷ ban|UBND|UB|Ban|Hội đồng|Hội|Đoàn|Thành Đoàn|Tỉnh Đoàn|"
    r"Huyện Đoàn|Công an|Ngân hàng|Bảo hiểm|Cục|Chi cục|Chi Cục|Tổng cục|Trung tâm|Văn phòng|Đài|Báo|Liên đoàn|"
    r"Liên minh|Mặt trận|Viện|Tòa án|Toà án|Kho bạc|Chi nhánh|Thủ trưởng|Chủ tịch|Giám đốc|Công chức|Trưởng|"
    r"Cơ quan|Kiểm toán|Thanh tra|Quỹ|Hạt|Trạm|Đồn|Bệnh viện|Trường|Tổ công tác|Tổ|Người đứng đầu|Hợp tác xã|"
    r"Cảnh sát|Bộ Tư lệnh|Hải quan|Cục Thuế|Đảng ủy|Thường trực|Lãnh đạo|Ủy ban Mặt trận|Thành ủy|Tỉnh ủy|Huyện ủy"
)
_GENERIC = (
    r"(?:các|những)\s+(?:cơ quan|đơn vị|sở|bộ|ban|ngành|lực lượng|địa phương|tổ chức|đoàn thể|doanh nghiệp|"
    r"cơ sở|ủy ban|uỷ ban|ubnd|phòng|hội|trường|trạm|hộ|chi hội|thành viên|xã|phường)|"
    r"cơ quan|đơn vị|lực lượng|chính quyền|ủy ban nhân dân|ubnd|thủ trưởng|sở, ban|sở, ngành|cấp trên"
)
_PROPER_HEAD = re.compile(rf"^(?:{_PROPER})(?=[\s,;:.]|$)")
_GENERIC_HEAD = re.compile(rf"^(?i:{_GENERIC})(?=[\s,;:.]|$)")
# What follows a body's kind word: a capitalised name, a level, or the end ("Sở Y tế", "Ủy ban nhân dân xã",
# "Công an tỉnh", "Thành Đoàn..."), never a verb ("Báo cáo ...", "Ban hành ...", "Tổ chức ...").
_AFTER_HEAD = re.compile(
    r"^(?:\s*$|\s*[:;]|\.\.\.|\s+(?:nhân dân|xã hội|các|và|tỉnh|huyện|xã|thành phố|quận|phường|thị xã|"
    r"thị trấn|cấp|nhà nước|chức năng|mặt trận)\b)"
)


def org_start(text: str) -> bool:
    """Whether `text` begins with the name of an organisation (or a generic "các cơ quan, đơn vị ...")."""
    if _GENERIC_HEAD.match(text):
        return True
    head = _PROPER_HEAD.match(text)
    if head is None:
        return False
    rest = text[head.end() :]
    if rest.startswith(","):
        return head.group(0) in ("Sở", "Bộ", "Ban")  # "Sở, ban, ngành", not "Phòng, chống"
    following = rest.lstrip()
    return bool(_AFTER_HEAD.match(rest)) or (rest[:1].isspace() and following[:1].isupper())


_LEAD_IN = re.compile(
    r"^(?:Đề nghị|Giao cho|Giao|Yêu cầu|Trách nhiệm của|Nhiệm vụ của|Đối với)(?:\s+|$)", re.IGNORECASE
)
_ROLE_HEADING = re.compile(r"^(?:Trách nhiệm của|Nhiệm vụ của|Đối với)\s+", re.IGNORECASE)
_REQUESTED = re.compile(r"^Đề nghị\s+", re.IGNORECASE)
# Where a subject ends: the predicate's first word (lower case, as verbs are written mid-sentence).
_VERBS = (
    r"có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp|tham mưu|xây dựng|triển khai|thực hiện|hướng dẫn|"
    r"kiểm tra|rà soát|theo dõi|đôn đốc|tăng cường|bố trí|cân đối|đề xuất|báo cáo|tổng hợp|chỉ đạo|phát động|"
    r"vận động|tuyên truyền|nghiên cứu|căn cứ|chủ động|khẩn trương|tiếp tục|quán triệt|ban hành|đẩy mạnh|"
    r"nâng cao|bảo đảm|đảm bảo|hỗ trợ|giám sát|phổ biến|lập|trình|thẩm định|phê duyệt|hoàn thành|là|kịp thời|"
    r"thường xuyên|định kỳ|hằng năm|hàng năm|trong|để|nhằm|về|lồng ghép|phát hiện|đấu tranh|xử lý|giải quyết|"
    r"cung cấp|phản ánh|gửi|giúp|tiếp nhận|thành lập|kiện toàn|huy động|sử dụng|công bố|niêm yết|tập huấn|"
    r"bồi dưỡng|đào tạo|sơ kết|tổng kết|đánh giá|chấp hành|duy trì|quản lý|tổ chức|thống nhất|"
    r"tích cực|nghiêm túc|được|tham gia|theo|khi|tại"
)
_VERB = re.compile(rf"(?<![\w-])(?:{_VERBS})(?![\w])")
_NOUN_BEFORE = re.compile(r"(?:cơ quan|đơn vị|các|những|giao|được|phân công|phạm vi|,)\s*$")
_NOUN_AFTER = re.compile(r"^\s*(?:chính trị|xã hội|đoàn thể|thành viên|hội|kinh tế|tín dụng|khác|có liên quan)")


def without_lead_in(text: str) -> tuple[str, bool]:
    """The text past "Đề nghị", "Giao", "Trách nhiệm của", ...; and whether the body is requested ("Đề nghị")."""
    requested = bool(_REQUESTED.match(text))
    while (lead := _LEAD_IN.match(text)) is not None:
        text = text[lead.end() :]
    return text, requested


def is_role_heading(text: str) -> bool:
    """ "Trách nhiệm của ...", "Đối với ...": a heading that may name one body or a group of them."""
    return bool(_ROLE_HEADING.match(text))


def names_body(text: str) -> bool:
    stripped, _ = without_lead_in(text.strip())
    return org_start(stripped)


def subject_end(text: str) -> int:
    """Where the organisation phrase at the start of `text` ends: before its predicate's first verb."""
    for verb in _VERB.finditer(text):
        before, after = text[: verb.start()], text[verb.end() :]
        word = verb.group(0)
        if word in ("tổ chức", "quản lý", "chủ trì", "phối hợp") and (
            _NOUN_BEFORE.search(before) or (word == "tổ chức" and _NOUN_AFTER.match(after))
        ):
            continue  # "các tổ chức chính trị - xã hội", "cơ quan chủ trì", "cơ quan quản lý": nouns here
        if word == "được" and re.match(r"\s+(?:giao|phân công)", after):
            continue  # "Các cơ quan, đơn vị được giao chủ trì"
        if verb.start() == 0:
            return 0
        return verb.start()
    return len(text)


def subject_of(text: str) -> tuple[str, bool] | None:
    """The body a sentence is about ("Sở Tài chính có trách nhiệm ...", "Căn cứ ..., các sở, ngành xây dựng ...",
    "Giao Công an tỉnh chủ trì ..."), and whether it is requested; None when the sentence is not about a body."""
    candidates = [text]
    if re.match(r"^(?:Căn cứ|Trên cơ sở)\b", text):
        candidates = [text[m.end() :].lstrip() for m in re.finditer(r",\s*", text)][:4]
    for candidate in candidates:
        stripped, requested = without_lead_in(candidate)
        if not org_start(stripped):
            continue
        end = subject_end(stripped)
        name = stripped[:end].strip(" ,;:")
        if name and end < len(stripped) and len(name.split()) <= 80:
            return name, requested
    return None


_WITH = re.compile(r"(?<![\w])phối hợp(?: chặt chẽ)?(?: với)?\s+", re.IGNORECASE)
_SPLIT = re.compile(r"(?:,\s*|\s+và\s+|\s*;\s*)(?=(?:" + _PROPER + r")(?=[\s,]))")
# After a capitalised name, a generic phrase begins another body ("Sở Công Thương và đơn vị có liên quan").
_SPLIT_GENERIC = re.compile(r"(?:,\s*|\s+và\s+|\s*;\s*)(?=các\s)|\s+và\s+(?=(?:sở, ngành|sở, ban|đơn vị|cơ quan)\s)")
# "các đơn vị có liên quan đến các nội dung ...": what follows "liên quan đến" says what to, not who.
_RELATED_TO = re.compile(r"(?<=liên quan)\s+(?:đến|tới)\s.*$")
# "X có trách nhiệm:" as a heading: everything before the predicate is the subject, whatever words it holds.
RESPONSIBLE = re.compile(
    r"\s+(?:có|chịu) trách nhiệm(?:\s+(?:thực hiện\s+)?(?:các|những)?\s*(?:nội dung|nhiệm vụ) sau)?\s*:?\s*$"
)
_AND_OTHERS = re.compile(r"\s+và\s+(?=các\s)")


def partners(text: str) -> list[str]:
    """The bodies named after each "phối hợp (với)", as written: a list split where a new body's name begins
    ("Sở Y tế, Sở Nội vụ"), a generic phrase kept whole ("các sở, ban, ngành có liên quan")."""
    found: list[str] = []
    for start in _WITH.finditer(text):
        rest = text[start.end() :]
        end = subject_end(rest)
        if end == 0 or not org_start(rest):
            continue
        phrase = _RELATED_TO.sub("", rest[:end]).strip(" ,;:.")
        for name in _split(phrase):
            if name and name not in found:
                found.append(name)
    return found


def _split(phrase: str) -> list[str]:
    parts: list[str] = []
    for piece in _SPLIT.split(phrase):
        if parts and not piece[:1].isupper():
            parts[-1] = f"{parts[-1]}, {piece}"
            continue
        # After a capitalised name, "và các ..." begins another body; after a generic phrase it goes on.
        sub = _SPLIT_GENERIC.split(piece) if piece[:1].isupper() else _AND_OTHERS.split(piece)
        parts.extend(s.strip(" ,;") for s in sub)
    return [p for p in parts if p]
