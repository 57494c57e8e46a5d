"""Evidence files sent with a submission: checked for size and type (by name and by content), then stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from models.access import Evidence, Person
from models.db import serialize
from tasks.calendar.clock import VN_TZ, local_date
from tasks.duties.statuses import TransitionError

# extension -> (content type, the first bytes such a file starts with)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}


class EvidenceRefused(TransitionError):
    """An upload refused before anything was stored."""


def safe_filename(name: str) -> str:
    """The file's own name without any folder, control characters or quotes; at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable() and c not in '"<>')
    return cleaned.strip()[-200:] or "tep"


def check_upload(filename: str, data: bytes, *, max_bytes: int) -> tuple[str, str]:
    """(safe file name, content type) of an acceptable file; an oversized, empty or disguised file is refused."""
    name = safe_filename(filename)
    if len(data) > max_bytes:
        raise EvidenceRefused("evidence.too_big", max_mb=f"{max_bytes / 1_048_576:.0f}")
    if not data:
        raise EvidenceRefused("evidence.empty")
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        raise EvidenceRefused("evidence.bad_type", allowed=", ".join(sorted(ALLOWED)))
    content_type, magic = ALLOWED[extension]
    if not data.startswith(magic):
        raise EvidenceRefused("evidence.content_mismatch", extension=extension)
    return name, content_type


def check_quota(session: Session, *, person: Person, size: int, now: dt.datetime, quota: int) -> None:
    """Refuses a file that would take the person past their daily upload quota (a Vietnam day)."""
    serialize(session, f"upload-quota:{person.id}")  # parallel uploads are counted one after another
    midnight = dt.datetime.combine(local_date(now), dt.time(), tzinfo=VN_TZ)
    used = session.scalar(
        select(func.coalesce(func.sum(Evidence.size), 0)).where(
            Evidence.uploaded_by == person.id, Evidence.uploaded_at >= midnight
        )
    )
    if int(used or 0) + size > quota:
        shown = f"{quota / 1_048_576:.0f} MB" if quota >= 1_048_576 else f"{max(1, round(quota / 1024))} KB"
        raise EvidenceRefused("evidence.quota", quota=shown)


def store_evidence(
    session: Session,
    *,
    occurrence_id: int,
    filename: str,
    data: bytes,
    max_bytes: int,
    person: Person | None,
    now: dt.datetime,
    event_id: int | None = None,
) -> Evidence:
    name, content_type = check_upload(filename, data, max_bytes=max_bytes)
    row = Evidence(
        occurrence_id=occurrence_id,
        event_id=event_id,
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=person.id if person else None,
        uploaded_at=now,
    )
    session.add(row)
    session.flush()
    return row


def evidence_of(session: Session, *, occurrence_id: int) -> list[Evidence]:
    """The occurrence's files, without loading their content."""
    return list(
        session.scalars(
            select(Evidence)
            .where(Evidence.occurrence_id == occurrence_id)
            .options(defer(Evidence.data))
            .order_by(Evidence.id)
        )
    )
