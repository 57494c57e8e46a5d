"""Where each contact is reached: plan references (`contacts:KEY`, `env:NAME`) resolved to Apprise URLs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import apprise
import yaml

from notifications.inbox import inbox_url
from notifications.masking import mask_url

_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class ChannelIssue:
    """A configuration problem, named by contact: a message code and its params (never a secret)."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class ChannelBook:
    """Apprise URLs by contact code; whatever is shown of them goes through `mask_url` first."""

    urls: dict[str, list[str]] = field(default_factory=dict)

    def for_contact(self, contact_code: str) -> list[str]:
        return self.urls.get(contact_code) or [inbox_url(contact_code)]

    def all_urls(self) -> list[str]:
        return [u for urls in self.urls.values() for u in urls]


def load_channel_book(
    contacts: list[tuple[str, str]], *, contacts_file: Path | None, environ: Mapping[str, str]
) -> tuple[ChannelBook, list[ChannelIssue]]:
    """Resolve `(contact code, channel reference)` pairs; every problem is returned, naming the contact.

    `contacts:KEY` takes KEY's URLs from the contacts file and falls back to the contact's inbox;
    `env:NAME` takes the URLs in that environment variable, which must then be set.
    """
    issues: list[ChannelIssue] = []
    entries = _read_contacts_file(contacts_file, issues) if contacts_file else {}
    known_keys = {ref.removeprefix("contacts:") for _, ref in contacts if ref.startswith("contacts:")}
    for key in sorted(set(entries) - known_keys):
        issues.append(ChannelIssue("channel.unknown_contact", {"key": key}))
    book = ChannelBook()
    for code, ref in contacts:
        if ref.startswith("env:"):
            value = environ.get(ref.removeprefix("env:"), "").strip()
            if not value:
                issues.append(ChannelIssue("channel.env_missing", {"contact": code, "name": ref.removeprefix("env:")}))
                continue
            urls = [u for u in _SPLIT.split(value) if u]
        else:
            urls = entries.get(ref.removeprefix("contacts:"), [])
        for url in urls:
            if url.startswith("inbox://"):
                continue
            if apprise.Apprise.instantiate(url) is None:
                issues.append(ChannelIssue("channel.bad_url", {"contact": code, "url": mask_url(url)}))
        if urls:
            book.urls[code] = urls
    return book, issues


def _read_contacts_file(path: Path, issues: list[ChannelIssue]) -> dict[str, list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        issues.append(ChannelIssue("channel.file_unreadable", {"file": str(path), "problem": type(error).__name__}))
        return {}
    if not isinstance(data, dict):
        issues.append(ChannelIssue("channel.file_unreadable", {"file": str(path), "problem": "not a mapping"}))
        return {}
    entries: dict[str, list[str]] = {}
    for key, value in data.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            issues.append(ChannelIssue("channel.bad_entry", {"key": str(key)}))
            continue
        entries[str(key)] = [v.strip() for v in values if v.strip()]
    return entries
