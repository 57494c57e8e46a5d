"""How a secret handed to a person (a session cookie, an API token, a calendar address) is kept: its SHA-256."""

from __future__ import annotations

import hashlib


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
