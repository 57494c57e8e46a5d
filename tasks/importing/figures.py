"""Targets and baseline figures read from a plan's sentences, in Vietnamese number formats."""

from __future__ import annotations

import re
from typing import Any

from tasks.plans.numbers import parse_vn_number

_PCT = re.compile(r"(\d+(?:,\d+)?)\s*%")
_COUNT = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d+)\s+(lao động|hộ|người|xã|ấp|học viên|lượt|doanh nghiệp|căn nhà|căn|"
    r"công trình|mô hình|thẻ|sinh viên|học sinh)\b"
)
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_CONDITION = re.compile(r"nếu có(?: được)? phân bổ(?: vốn)?", re.IGNORECASE)


def _capital(text: str) -> str:
    text = text.strip(" ,.;:")
    return text[:1].upper() + text[1:]


def _clauses(text: str) -> list[str]:
    """`;`-separated clauses outside parentheses; a clause without a number belongs to the one before."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == ";" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    merged: list[str] = []
    for part in (p.strip() for p in parts if p.strip()):
        if merged and not (_PCT.search(part) or _COUNT.search(part)):
            merged[-1] = f"{merged[-1]}; {part}"
        else:
            merged.append(part)
    return merged


def _one(clause: str) -> dict[str, Any] | None:
    condition = _CONDITION.search(clause)
    body = _PAREN.sub("", clause).strip(" .")
    pct, count = _PCT.search(body), _COUNT.search(body)
    match = pct if pct and (not count or pct.start() <= count.start()) else count
    if match is None:
        return None
    value = parse_vn_number(match.group(1))
    if value is None:
        return None
    before, after = body[: match.start()].strip(), body[match.end() :].strip(" .;,")
    if not before:  # "100% hộ nghèo ..." names the target after the figure
        name, note = after, None
    else:
        name, note = re.sub(r"\s+(đạt|là|còn|cho)$", "", before), after or None
    target: dict[str, Any] = {
        "name": _capital(name),
        "value": value,
        "unit": "%" if match is pct else match.group(2),
        "value_text": match.group(1) + ("%" if match is pct else ""),
        "direction": "reduce" if name.lower().startswith("giảm") else "reach",
    }
    if note:
        target["note"] = note
    if condition:
        target["condition"] = condition.group(0)
    return target


def targets_from(bullets: list[str]) -> list[dict[str, Any]]:
    """Every figure of the specific-targets bullets; a figure in parentheses is a target of its own."""
    found = []
    for bullet in bullets:
        text = bullet.removeprefix("- ").strip()
        for clause in _clauses(text):
            main = _one(clause)
            if main:
                found.append(main)
            for inner in _PAREN.findall(clause):
                if _PCT.search(inner) or _COUNT.search(inner):
                    extra = _one(inner)
                    if extra:
                        found.append(extra)
    return found


_STOP = re.compile(r",|;|\(| được | theo | so với ")


def baseline_from(bullets: list[str]) -> list[dict[str, Any]]:
    """The counts and rates of the situation section, each named by its own words, marked for review."""
    found: list[dict[str, Any]] = []
    for bullet in bullets:
        text = bullet.removeprefix("- ")
        last_count = ""
        for match in sorted([*_COUNT.finditer(text), *_PCT.finditer(text)], key=lambda m: m.start()):
            value = parse_vn_number(match.group(1))
            if value is None:
                continue
            is_pct = match.re is _PCT
            start = max(text.rfind(sep, 0, match.start()) for sep in (",", ";", ":", "("))
            before = text[start + 1 : match.start()].strip()
            after = _STOP.split(text[match.end() :], maxsplit=1)[0].strip()
            if is_pct:
                name = f"tỷ lệ {last_count}".strip()
            elif before and not re.search(r"\b(còn|có|là|và)$", before):
                name = before
            else:
                name = f"{match.group(2)} {after}".strip()
            if not is_pct:
                last_count = name[:1].lower() + name[1:]
            of = re.match(r"\s*so với ([^,;().]+)", text[match.end() :]) if is_pct else None
            item: dict[str, Any] = {
                "name": _capital(name),
                "value": value,
                "unit": "%" if is_pct else match.group(2),
                "value_text": match.group(1) + ("%" if is_pct else ""),
                "review": ["name"],
            }
            if of:
                item["of"] = of.group(1).strip()
            found.append(item)
    return found
