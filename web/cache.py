"""Views computed once per state of the data: reused while the data's fingerprint and the question stay the same."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from tasks.duties.data_version import data_version

T = TypeVar("T")


class ViewCache:
    """A small LRU of computed views, keyed by (question, data fingerprint); each worker process has its own.

    When many requests ask the same new question at once, one computes and the others wait for its answer."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._views: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, question: Hashable, compute: Callable[[], T]) -> T:
        key = (question, _version(session))
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                found: T = self._views[key]
                return found
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._views:  # computed by the request we waited for
                    answer: T = self._views[key]
                    return answer
            try:
                value = compute()
            finally:  # a failed computation leaves nothing behind; the next request tries again
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._views[key] = value
                while len(self._views) > self._size:
                    self._views.popitem(last=False)
        return value


def _version(session: Session) -> tuple[Any, ...]:
    """The data's fingerprint, read once per request that only reads (a page asks several views of one state)."""
    if not session.info.get("reads_only"):
        return data_version(session)
    if "data_version" not in session.info:
        session.info["data_version"] = data_version(session)
    version: tuple[Any, ...] = session.info["data_version"]
    return version
