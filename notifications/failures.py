"""Whether a failed send is worth trying again, read from what Apprise logged about it.

Permanent: the receiver refused the message itself (SMTP 5xx; HTTP 4xx except 408 Request Timeout and 429
Too Many Requests) or Apprise cannot read the address. Everything else (a refused connection, a timeout,
SMTP 4xx, HTTP 5xx) is temporary and backs off.
"""

from __future__ import annotations

import re

UNREADABLE = "apprise could not read this address"

# Apprise's HTTP plugins log "... error=404." on a refused request.
_HTTP_STATUS = re.compile(r"error=(\d{3})\b")
# smtplib's exceptions print as "(550, b'5.1.1 ...')" or "{'to@x': (550, b'...')}".
_SMTP_REPLY = re.compile(r"\((\d{3}), b?['\"]")
_TEMPORARY_HTTP = {408, 429}


def is_permanent(log: str) -> bool:
    """True when the log of one failed send shows a refusal that a retry would meet again."""
    if UNREADABLE in log:
        return True
    for found in _HTTP_STATUS.finditer(log):
        code = int(found.group(1))
        if 400 <= code < 500 and code not in _TEMPORARY_HTTP:
            return True
    return any(500 <= int(found.group(1)) < 600 for found in _SMTP_REPLY.finditer(log))
