"""Message catalogues: every text a user reads, Vietnamese first, English second."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LOCALE = "vi"
_current = [DEFAULT_LOCALE]


@lru_cache(maxsize=4)
def catalogue(locale: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{locale}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def available_locales() -> list[str]:
    return sorted(p.stem for p in LOCALES_DIR.glob("*.yaml"))


def set_locale(locale: str) -> None:
    _current[0] = locale if locale in available_locales() else DEFAULT_LOCALE


def get_locale() -> str:
    return _current[0]


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(message_id: str, /, **params: Any) -> str:
    """The text of `message_id` in the current locale, with `params` filled in."""
    return text_in(get_locale(), message_id, **params)


def text_in(locale: str, message_id: str, /, **params: Any) -> str:
    """The text of `message_id` in `locale` (Vietnamese where that locale lacks it)."""
    text = catalogue(locale).get(message_id) or catalogue(DEFAULT_LOCALE).get(message_id) or message_id
    return text.format_map(_Keep(params))


def has(message_id: str, /, *, locale: str | None = None) -> bool:
    return message_id in catalogue(locale or get_locale())
