"""What Apprise logs while one send runs on this thread, kept apart from the sends running beside it.

Apprise logs to one process-wide logger. Its own `LogCapture` adds a handler that hears every thread, so
twenty sends in flight would read each other's errors. Here one handler routes each record to the capture
of the thread that logged it. DEBUG is needed (the SMTP reply code is only logged there), so the logger
stops propagating and only WARNING and above are passed on to the application's handlers, as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_LOGGER = logging.getLogger("apprise")
_lock = threading.Lock()
_installed = False


class _ByThread(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.captures: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        lines = self.captures.get(record.thread or 0)
        if lines is not None:
            lines.append(f"{record.levelname} {record.getMessage()}")


class _Onward(logging.Handler):
    """WARNING and above go on to the root logger's handlers, as propagation would have sent them, with the
    configured addresses' secrets masked (a plugin may quote a token it found wrong)."""

    masker: Callable[[str], str] | None = None

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if self.masker is not None:
            record = logging.makeLogRecord({**record.__dict__, "msg": self.masker(record.getMessage()), "args": None})
        logging.getLogger().handle(record)


_BY_THREAD = _ByThread()
_ONWARD = _Onward()


def mask_onward(masker: Callable[[str], str]) -> None:
    """Mask what goes on to the application's logs with `masker` (the current channel book's secrets)."""
    _ONWARD.masker = masker


def install() -> None:
    """Route Apprise's logger as described above; done once, when `notifications` is first imported, so that
    no Apprise record (DEBUG ones quote whole addresses) reaches the application's handlers before it."""
    global _installed
    with _lock:
        if not _installed:
            _LOGGER.addHandler(_BY_THREAD)
            _LOGGER.addHandler(_ONWARD)
            _LOGGER.setLevel(logging.DEBUG)
            _LOGGER.propagate = False
            _installed = True


@contextmanager
def captured() -> Iterator[list[str]]:
    """The lines ("LEVEL message") Apprise logs on this thread inside the block."""
    install()
    ident = threading.get_ident()
    lines: list[str] = []
    _BY_THREAD.captures[ident] = lines
    try:
        yield lines
    finally:
        _BY_THREAD.captures.pop(ident, None)
