"""Tables for messages: the outbox (one row per occurrence, step and recipient), delivery results, the inbox."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UtcDateTime


class OutboxMessage(Base):
    """A message owed to one recipient for one step of one occurrence; the unique key makes it sent once."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "step", "contact_id"),
        UniqueConstraint("report_id", "step", "contact_id"),
        Index("ix_outbox_status_not_before", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    # A message is about an occurrence (a reminder, an escalation) or about a compiled report.
    occurrence_id: Mapped[int | None] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    channel_ref: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    chat_text: Mapped[str] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(String(1024))  # a file sent with email (the report's DOCX)
    status: Mapped[str] = mapped_column(String(16))  # pending, sending, sent, failed
    not_before: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)  # masked: never a secret
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DeliveryAttempt(Base):
    """One try of one message on one channel address (shown masked)."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    url_masked: Mapped[str] = mapped_column(String(512))
    ok: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)


class InboxMessage(Base):
    """The embedded channel `inbox://PERSON`: what a person received, kept in the database."""

    __tablename__ = "inbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(128), index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
