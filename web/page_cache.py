"""Pages asked again, answered without the framework: the office's overview and overdue list (pages and API) as
the app last gave them to the same person, reused while nothing they show can have changed.

An answer is kept under everything it depends on: the address, who asked (their id, name, role, body and unit,
so a changed account never gets an answer made for what it was), the data's fingerprint, the business day, the
wall clock's minute (the sweeps' next run), the demo day, and whether a bearer token asked. Before reusing one,
the session or the token is checked against the database exactly as the app checks it, so an ended session or a
revoked token is refused as before (the app itself answers, and redirects or says 401). The page's form token is
the one thing that differs between two sessions of one person: it is kept as a mark and filled in per session.
Only a 200 answer is kept, and never one with a notice (a flash) to show once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dutyflow import runtime
from dutyflow.i18n import get_locale
from tasks.calendar.clock import local_date
from tasks.duties.data_version import data_version
from tasks.people.sessions import live_owner
from web.context import WebContext, now

CACHED_PATHS = frozenset({"/", "/overdue", "/api/v1/overdue", "/api/v1/overview"})
FORM_TOKEN_MARK = b"\x00form-token\x00"  # never sent: replaced by the session's own token before sending
MAX_ANSWER_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Answers:
    """An LRU of answers, bounded by their total size; shared by the threads of one worker process."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            return found

    def put(self, key: Hashable, answer: Answer) -> None:
        with self._lock:
            old = self._answers.pop(key, None)
            self._bytes += len(answer.body) - (len(old.body) if old else 0)
            self._answers[key] = answer
            while self._bytes > self._max_bytes and self._answers:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def asker(web: WebContext, scope: Scope, session: dict[str, object]) -> tuple[Hashable, ...] | None:
    """The key of this request's answer, read from the database in one short read-only transaction; None when
    the app must answer itself (nobody valid signed in, a bad token: it refuses in its own words)."""
    wall = runtime.utc_now()
    authorization = _header(scope, b"authorization")
    bearer = authorization.lower().startswith("bearer ")
    secret = session.get("sid")
    with web.sessions(web.glance)() as db:
        who = live_owner(
            db,
            api_token=authorization[7:].strip() if bearer else "",
            session_secret=secret if isinstance(secret, str) and not bearer else "",
            wall=wall,
        )
        if who is None:
            return None
        version = data_version(db)
    frozen = scope["app"].dependency_overrides.get(now)  # the app's business clock, as a test may have set it
    moment = frozen() if frozen is not None else web.moment(wall)
    clock = (local_date(moment), wall.replace(second=0, microsecond=0), web.demo_day)
    return (scope["path"], scope.get("query_string", b""), get_locale(), who, bearer, version, clock)


class PageCache:
    """The ASGI middleware that answers a GET of `CACHED_PATHS` from `Answers` when it can (inside the session
    middleware, which has read the cookie)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.answers = Answers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        session: dict[str, object] = scope.get("session") or {}
        if session.get("flash"):
            await self.app(scope, receive, send)
            return
        web: WebContext = scope["app"].state.web
        key = await run_in_threadpool(asker, web, scope, session)
        found = self.answers.get(key) if key is not None else None
        form_token = str(session.get("csrf", "")).encode()
        if found is not None:
            body = found.body.replace(FORM_TOKEN_MARK, form_token) if form_token else found.body
            headers = [*found.headers, (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": found.status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        if key is None:
            await self.app(scope, receive, send)
            return
        await self._answer_and_keep(scope, receive, send, key, form_token)

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: Hashable, form_token: bytes
    ) -> None:
        start: Message | None = None
        parts: list[bytes] = []
        whole = True

        async def keeping(message: Message) -> None:
            nonlocal start, whole
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and whole:
                parts.append(message.get("body", b""))
                whole = sum(map(len, parts)) <= MAX_ANSWER_BYTES
            await send(message)

        await self.app(scope, receive, keeping)
        if start is None or start["status"] != 200 or not whole:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"set-cookie")]
        body = b"".join(parts)
        if form_token:
            body = body.replace(form_token, FORM_TOKEN_MARK)
        self.answers.put(key, Answer(start["status"], headers, body))
