"""Tables for messages: the outbox (one row per occurrence, step and recipient), delivery results, the inbox."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UtcDateTime


class OutboxMessage(Base):
    """A message owed to one recipient: a step of one occurrence (per round), a report, or a digest of one day.

    The unique keys make each of them queued once, whichever sweep gets there first.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "round", "step", "contact_id"),
        UniqueConstraint("report_id", "step", "contact_id"),
        UniqueConstraint("digest_key", "contact_id"),
        Index("ix_outbox_status_not_before", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    # A message is about an occurrence (a reminder, an escalation) or about a compiled report.
    occurrence_id: Mapped[int | None] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(32))  # remind-5, escalate-2, report, digest-body, digest-office
    round: Mapped[int] = mapped_column(default=0, server_default="0")  # the occurrence's live_round
    digest_key: Mapped[str | None] = mapped_column(String(128))  # e.g. digest-body:2023-07-10
    channel_ref: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    chat_text: Mapped[str] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(String(1024))  # a file sent with email (the report's DOCX)
    status: Mapped[str] = mapped_column(String(16))  # pending, sending, sent, partial, failed
    not_before: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)  # masked: never a secret
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def held_past(cutoff: dt.datetime) -> ColumnElement[bool]:
    """Messages a sweep claimed before `cutoff` (the wall clock less the lease) and still has not finished."""
    return (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < cutoff)


class OutboxMention(Base):
    """An occurrence named in a message: its own reminder or escalation, or one line of a digest."""

    __tablename__ = "outbox_mentions"

    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("occurrences.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AddressDelivery(Base):
    """Where one message stands at one address: each address gets it once; only failed ones are tried again."""

    __tablename__ = "address_deliveries"
    __table_args__ = (UniqueConstraint("outbox_id", "address_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    address_key: Mapped[str] = mapped_column(String(64))  # SHA-256 of the address: names it without keeping it
    url_masked: Mapped[str] = mapped_column(String(512))
    status: Mapped[str] = mapped_column(String(16))  # sent, retry, failed (for good)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)  # masked
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


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


class SweepRun(Base):
    """One sweep that finished: which body (None: all of them), the moment it swept, when it ran on the wall
    clock, and what it queued and sent. The overview reads it to say whether this morning's sweeps ran."""

    __tablename__ = "sweep_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_code: Mapped[str | None] = mapped_column(String(64), index=True)
    as_of: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    worker: Mapped[str] = mapped_column(String(128))
    queued: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
