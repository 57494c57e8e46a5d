"""Real receivers on loopback for delivery tests: an SMTP server and an HTTP webhook endpoint."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from aiosmtpd.controller import Controller

from dutyflow.serving import free_port


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"


H = TypeVar("H")


@contextmanager
def smtp_controller(handler: H) -> Iterator[tuple[int, H]]:
    """A real SMTP server on loopback answering with `handler` (aiosmtpd's handle_* hooks)."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


@contextmanager
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    with smtp_controller(Mailbox()) as (port, mailbox):
        yield port, mailbox


@dataclass
class Hook:
    status: int = 200
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0  # requests being answered right now


@contextmanager
def http_receiver(status: int = 200, delay: float = 0.0) -> Iterator[tuple[int, Hook]]:
    hook = Hook(status=status, delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with hook.lock:
                hook.in_flight += 1
            try:
                if hook.delay:
                    time.sleep(hook.delay)
                with hook.lock:
                    hook.received.append(json.loads(body.decode("utf-8")))
                    hook.headers.append(dict(self.headers))
                self.send_response(hook.status)
                self.end_headers()
            finally:
                with hook.lock:
                    hook.in_flight -= 1

        def log_message(self, *args: Any) -> None:
            return

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024  # the default backlog of 5 would refuse a burst of concurrent senders

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hook
    finally:
        server.shutdown()
        server.server_close()
