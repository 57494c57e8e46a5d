"""Text arrives in NFC: a query string, a form or a JSON body typed on a system that sends decomposed letters
(NFD: "e" + a combining accent) reaches the routes composed, so it matches the names a person sees. Files are
left as sent; the text fields of a multipart form are composed where they are used."""

from __future__ import annotations

import json
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM = b"application/x-www-form-urlencoded"


def _nfc_query(raw: bytes) -> bytes:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    pairs = parse_qsl(text, keep_blank_values=True)
    if all(unicodedata.is_normalized("NFC", k + v) for k, v in pairs):
        return raw
    return urlencode([(unicodedata.normalize("NFC", k), unicodedata.normalize("NFC", v)) for k, v in pairs]).encode()


def _composed(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_composed(v) for v in value]
    if isinstance(value, dict):
        return {_composed(k): _composed(v) for k, v in value.items()}
    return value


def _nfc_json(raw: bytes) -> bytes:
    """The JSON's strings composed, whether sent as UTF-8 or as \\u escapes; a body that is not JSON is left for
    the route to refuse."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return raw
    composed = _composed(data)
    return raw if composed == data else json.dumps(composed, ensure_ascii=False).encode("utf-8")


def _is_json(content_type: bytes) -> bool:
    return content_type == b"application/json" or (
        content_type.startswith(b"application/") and content_type.endswith(b"+json")
    )


class NfcInput:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("query_string"):
            scope = {**scope, "query_string": _nfc_query(scope["query_string"])}
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type != FORM and not _is_json(content_type):
            await self.app(scope, receive, send)
            return
        chunks = []  # bounded: BodyLimit, outside this, cuts a body past the limit
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        body = _nfc_query(raw) if content_type == FORM else _nfc_json(raw)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
