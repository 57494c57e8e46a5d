"""The embedded channel: `inbox://PERSON` keeps a message in the database instead of sending it anywhere."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from apprise.decorators import notify


@dataclass(frozen=True)
class Received:
    person: str
    title: str
    body: str


_lock = threading.Lock()
_received: dict[str, list[Received]] = {}


@notify(on="inbox", name="dutyflow inbox")
def _inbox(body: str, title: str, notify_type: str, meta: dict[str, Any], *args: Any, **kwargs: Any) -> bool:
    """Apprise calls this for `inbox://PERSON?msg=TOKEN`; the sender collects it by its token."""
    person = str(meta.get("host") or "").strip()
    token = str((meta.get("qsd") or {}).get("msg") or "")
    if not person or not token:
        return False  # nowhere to keep it: a failure, never a silent loss
    with _lock:
        _received.setdefault(token, []).append(Received(person, title, body))
    return True


def inbox_url(person: str) -> str:
    return f"inbox://{person}"


def collect(token: str) -> list[Received]:
    """What the inbox plugin received for `token`, taken out of the holding area."""
    with _lock:
        return _received.pop(token, [])
