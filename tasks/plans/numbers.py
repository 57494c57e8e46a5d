"""Numbers as Vietnamese documents write them: "." groups thousands, "," marks decimals."""

from __future__ import annotations

import re

_VN_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*%?\s*$")


def parse_vn_number(text: str) -> float | None:
    """`1.938` -> 1938, `4,47` -> 4.47, `3.000` -> 3000, `85.000` -> 85000; None when not a number."""
    match = _VN_NUMBER.match(text)
    if not match:
        return None
    whole = match.group(1).replace(".", "")
    return float(f"{whole}.{match.group(2)}" if match.group(2) else whole)


def format_vn_number(value: float) -> str:
    """The inverse of `parse_vn_number` for display: 1938 -> `1.938`, 4.47 -> `4,47`."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _, frac = f"{value:.6f}".rstrip("0").partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")
