"""Channel addresses as they may be shown: Apprise's privacy form, and custom headers masked too."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import apprise

_CREDENTIALS = re.compile(r"(://)([^/@\s]+)@")
_QUERY_ITEM = re.compile(r"([?&])([^=&\s]+)=([^&\s]*)")
_SECRET_KEY = re.compile(r"^(\+|%2B|%2b)|token|secret|pass|key|auth|sig", re.IGNORECASE)


def mask_url(url: str) -> str:
    """A URL safe to print. Apprise masks what its plugin marks secret; header values (`+X-Api-Key=...`,
    which Apprise leaves in clear) and secret-looking query values are masked here too."""
    if url.startswith("inbox://"):
        return url.split("?", 1)[0]  # a person's code, nothing secret
    plugin = apprise.Apprise.instantiate(url)
    shown = plugin.url(privacy=True) if plugin is not None else _CREDENTIALS.sub(r"\1****@", url)
    return _QUERY_ITEM.sub(
        lambda m: f"{m.group(1)}{m.group(2)}={'****' if _SECRET_KEY.search(m.group(2)) else m.group(3)}", shown
    )


def secret_parts(url: str) -> list[str]:
    """The pieces of `url` that must never be printed: credentials and secret-looking query values."""
    parts = [p for match in _CREDENTIALS.findall(url) for p in match[1].split(":")]
    parts += [m.group(3) for m in _QUERY_ITEM.finditer(url) if _SECRET_KEY.search(m.group(2))]
    plugin = apprise.Apprise.instantiate(url) if not url.startswith("inbox://") else None
    if plugin is not None:  # path tokens (e.g. a bot token) that the plugin itself hides
        shown = plugin.url(privacy=True)
        parts += [p for p in re.split(r"[/:@?&=]", url.split("://", 1)[-1]) if len(p) >= 8 and p not in shown]
    return [p for p in parts if len(p) >= 4]


@dataclass(frozen=True)
class Masker:
    """The replacements that hide every secret of some URLs, worked out once (each needs Apprise to parse
    the URL) and applied to as many texts as there are errors."""

    replacements: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, urls: Sequence[str]) -> Masker:
        pairs: list[tuple[str, str]] = []
        for url in sorted(urls, key=len, reverse=True):
            pairs.append((url, mask_url(url)))
            pairs += [(part, "****") for part in sorted(secret_parts(url), key=len, reverse=True)]
        return cls(tuple(pairs))

    def __call__(self, text: str) -> str:
        for secret, shown in self.replacements:
            text = text.replace(secret, shown)
        return text


def mask_text(text: str, urls: Sequence[str]) -> str:
    """`text` (an error message, say) with every secret part of the given URLs replaced."""
    return Masker.of(urls)(text)
