"""Sends prepared messages through Apprise, concurrently with a bound, one Apprise object per address."""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import apprise

from notifications import inbox
from notifications.apprise_log import captured
from notifications.failures import UNREADABLE, is_permanent
from notifications.masking import Masker, mask_url

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


@dataclass(frozen=True)
class AddressResult:
    """One send of one message to one address."""

    key: str  # address_key(url): the address, named without keeping it
    masked: str
    ok: bool
    error: str | None = None  # masked
    permanent: bool = False  # a retry would meet the same refusal


@dataclass
class Outcome:
    message_id: int
    attempts: list[AddressResult] = field(default_factory=list)
    inbox: list[tuple[str, str, str]] = field(default_factory=list)  # (person, title, body)


def address_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _content(url: str, message: Prepared) -> tuple[str, apprise.NotifyFormat]:
    scheme = urlsplit(url).scheme.lower()
    if scheme in EMAIL_SCHEMES:
        return message.html, apprise.NotifyFormat.HTML  # Apprise adds the plain-text alternative
    if scheme in TEXT_SCHEMES:
        return message.text, apprise.NotifyFormat.TEXT
    return message.chat, apprise.NotifyFormat.TEXT


def _send_to(url: str, message: Prepared, masker: Masker) -> tuple[AddressResult, list[inbox.Received]]:
    """One address's send; whatever goes wrong in it is that address's passing fault, not the batch's."""
    try:
        return _send(url, message, masker)
    except Exception as error:  # a plugin bug, an unreadable attachment: recorded and retried, never fatal
        problem = masker(f"{type(error).__name__}: {error}")[:500]
        return AddressResult(address_key(url), mask_url(url), False, problem), []


def _send(url: str, message: Prepared, masker: Masker) -> tuple[AddressResult, list[inbox.Received]]:
    token = f"{message.message_id}-{id(message)}-{url.__hash__() & 0xFFFFFF}"
    target = f"{url}{'&' if '?' in url else '?'}msg={token}" if url.startswith("inbox://") else url
    # One plugin object per send: Apprise's own notify() funnels every call through a process-wide pool
    # of cpu+4 threads, which would cap our bound at 6 here, and a reused email object throttles itself.
    plugin = apprise.Apprise.instantiate(target)
    if plugin is None:
        return AddressResult(address_key(url), mask_url(url), False, UNREADABLE, permanent=True), []
    body, body_format = _content(url, message)
    attach = None
    if message.attachment and urlsplit(url).scheme.lower() in EMAIL_SCHEMES:
        attach = apprise.AppriseAttachment(message.attachment)
    with captured() as lines:
        ok = bool(plugin.notify(title=message.subject, body=body, body_format=body_format, attach=attach))
    log = "" if ok else "\n".join(lines)
    received = inbox.collect(token) if url.startswith("inbox://") else []
    if ok:
        return AddressResult(address_key(url), mask_url(url), True), received
    warnings = [line.split(" ", 1)[-1] for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    problem = masker((warnings or ["notify failed"])[-1])
    return AddressResult(address_key(url), mask_url(url), False, problem, is_permanent(log)), received


async def send_all(messages: list[Prepared], *, concurrency: int, masker: Masker) -> list[Outcome]:
    """Every message to every one of its addresses; at most `concurrency` sends in flight at once.

    `masker` hides every configured address's secrets: an error text may quote any of them.
    """
    gate = asyncio.Semaphore(concurrency)
    loop = asyncio.get_running_loop()
    # Apprise's plugins block, so each send runs in a thread; the default pool has only cpu+4 threads,
    # which would quietly lower the bound, hence a pool of exactly `concurrency`.
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="dutyflow-send")

    async def one(url: str, message: Prepared) -> tuple[int, tuple[AddressResult, list[inbox.Received]]]:
        async with gate:
            return message.message_id, await loop.run_in_executor(pool, _send_to, url, message, masker)

    outcomes = {m.message_id: Outcome(m.message_id) for m in messages}
    try:
        results = await asyncio.gather(*(one(url, m) for m in messages for url in m.urls))
    finally:
        pool.shutdown(wait=True)
    for message_id, (result, received) in results:
        outcomes[message_id].attempts.append(result)
        outcomes[message_id].inbox += [(r.person, r.title, r.body) for r in received]
    return list(outcomes.values())
