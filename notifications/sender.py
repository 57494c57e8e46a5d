"""Sends prepared messages through Apprise, concurrently with a bound, one Apprise object per address."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import apprise

from notifications import inbox
from notifications.masking import mask_text, mask_url

EMAIL_SCHEMES = {"mailto", "mailtos"}
TEXT_SCHEMES = {"json", "jsons", "form", "forms", "xml", "xmls", "inbox"}


@dataclass(frozen=True)
class Prepared:
    message_id: int
    urls: list[str]
    subject: str
    text: str
    html: str
    chat: str
    attachment: str | None = None  # sent with email; other channels carry the link in their text


@dataclass
class Outcome:
    message_id: int
    attempts: list[tuple[str, bool, str | None]] = field(default_factory=list)  # (masked url, ok, error)
    inbox: list[tuple[str, str, str]] = field(default_factory=list)  # (person, title, body)


def _content(url: str, message: Prepared) -> tuple[str, apprise.NotifyFormat]:
    scheme = urlsplit(url).scheme.lower()
    if scheme in EMAIL_SCHEMES:
        return message.html, apprise.NotifyFormat.HTML  # Apprise adds the plain-text alternative
    if scheme in TEXT_SCHEMES:
        return message.text, apprise.NotifyFormat.TEXT
    return message.chat, apprise.NotifyFormat.TEXT


def _send_to(url: str, message: Prepared, secrets: list[str]) -> tuple[str, bool, str | None, list[inbox.Received]]:
    token = f"{message.message_id}-{id(message)}-{url.__hash__() & 0xFFFFFF}"
    target = f"{url}{'&' if '?' in url else '?'}msg={token}" if url.startswith("inbox://") else url
    # One plugin object per send: Apprise's own notify() funnels every call through a process-wide pool
    # of cpu+4 threads, which would cap our bound at 6 here, and a reused email object throttles itself.
    plugin = apprise.Apprise.instantiate(target)
    if plugin is None:
        return mask_url(url), False, "apprise could not read this address", []
    body, body_format = _content(url, message)
    attach = None
    if message.attachment and urlsplit(url).scheme.lower() in EMAIL_SCHEMES:
        attach = apprise.AppriseAttachment(message.attachment)
    with apprise.LogCapture(level=apprise.logging.WARNING) as logs:
        ok = bool(plugin.notify(title=message.subject, body=body, body_format=body_format, attach=attach))
        problem = None if ok else (logs.getvalue().strip().splitlines() or ["notify failed"])[-1]
    received = inbox.collect(token) if url.startswith("inbox://") else []
    return mask_url(url), ok, mask_text(problem, secrets) if problem else None, received


async def send_all(messages: list[Prepared], *, concurrency: int, secrets: list[str]) -> list[Outcome]:
    """Every message to every one of its addresses; at most `concurrency` sends in flight at once.

    `secrets` are all configured addresses: an error text may quote any of them and is masked against all.
    """
    gate = asyncio.Semaphore(concurrency)
    loop = asyncio.get_running_loop()
    # Apprise's plugins block, so each send runs in a thread; the default pool has only cpu+4 threads,
    # which would quietly lower the bound, hence a pool of exactly `concurrency`.
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="dutyflow-send")

    async def one(url: str, message: Prepared) -> tuple[int, tuple[str, bool, str | None, list[inbox.Received]]]:
        async with gate:
            return message.message_id, await loop.run_in_executor(pool, _send_to, url, message, secrets)

    outcomes = {m.message_id: Outcome(m.message_id) for m in messages}
    try:
        results = await asyncio.gather(*(one(url, m) for m in messages for url in m.urls))
    finally:
        pool.shutdown(wait=True)
    for message_id, (masked, ok, error, received) in results:
        outcomes[message_id].attempts.append((masked, ok, error))
        outcomes[message_id].inbox += [(r.person, r.title, r.body) for r in received]
    return list(outcomes.values())
