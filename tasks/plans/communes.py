"""Plausible names for a province's communes and wards (xã, phường), the same for the same seed."""

from __future__ import annotations

import random
import re
import unicodedata

from models.planfile import Unit

# Words that Vietnamese place names are made of (Hán-Việt words of hope, peace and prosperity).
FIRST = (
    "An", "Bình", "Tân", "Long", "Phước", "Hòa", "Thạnh", "Mỹ", "Vĩnh", "Hưng", "Phú", "Thới", "Đông", "Tây",
    "Nhơn", "Thuận", "Tam", "Trung", "Lộc", "Hiệp", "Quới", "Thanh", "Đức", "Hữu", "Ngãi", "Kim", "Đại", "Song",
)  # fmt: skip
SECOND = (
    "Phú", "Thành", "Hòa", "Lợi", "Bình", "Thuận", "Hưng", "Đông", "Tây", "Mỹ", "Lộc", "Phước", "Khánh", "Sơn",
    "Thạnh", "Hiệp", "Quang", "Định", "Xuyên", "Giang", "Biên", "Nghĩa", "Tiến", "Châu", "Hậu", "Điền", "Trạch",
)  # fmt: skip
WARD_SHARE = 0.2  # about one unit in five is a ward (phường) of a town or city


def slug(text: str) -> str:
    """ASCII, lower case, hyphens: "Phường Long Châu" -> "phuong-long-chau"."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def commune_units(count: int, *, seed: int) -> list[Unit]:
    """`count` communes and wards with distinct codes, wards first (as lists of units put them)."""
    if not 1 <= count <= len(FIRST) * len(SECOND):
        raise ValueError("count out of range")
    rng = random.Random(seed)
    names: set[str] = set()
    units: list[tuple[str, str]] = []
    wards = max(1, round(count * WARD_SHARE))
    while len(units) < count:
        first, second = rng.choice(FIRST), rng.choice(SECOND)
        name = f"{first} {second}"
        if first == second or slug(name) in names:  # "Thạnh Phú" and "Thanh Phú" would share a code
            continue
        names.add(slug(name))
        units.append(("ward" if len(units) < wards else "commune", name))
    made = []
    for kind, name in units:
        full = f"{'Phường' if kind == 'ward' else 'Xã'} {name}"
        made.append(Unit(code=slug(full), name=full, kind="ward" if kind == "ward" else "commune"))
    return made
