"""Tables for the work: duties, their occurrences, the status audit trail and funding records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UtcDateTime
from models.plan import Body, Unit

# Open or returned: the statuses that still owe something. Literal SQL, so that a query with the same words
# can use the partial index below (a bound parameter would not prove the index applies).
OWED = text("status IN ('open', 'rejected')")


class Duty(Base):
    __tablename__ = "duties"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    order: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    cadence: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    condition: Mapped[str | None] = mapped_column(String(32))
    condition_text: Mapped[str | None] = mapped_column(String(255))
    legal_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    support_lead_workdays: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    body: Mapped[Body] = relationship(back_populates="duties")
    supports: Mapped[list[DutySupport]] = relationship(order_by="DutySupport.order", cascade="all, delete-orphan")


class DutySupport(Base):
    """A body the duty names with "phối hợp với": it owes input before the lead's deadline."""

    __tablename__ = "duty_supports"

    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    order: Mapped[int] = mapped_column(Integer)

    body: Mapped[Body] = relationship()


class Occurrence(Base):
    """One duty owed once: for a period, by a body (or one of its units), with a due date and a status."""

    __tablename__ = "occurrences"
    __table_args__ = (
        UniqueConstraint("plan_id", "key"),
        Index("ix_occurrences_plan_due", "plan_id", "due_on"),
        Index("ix_occurrences_status_due", "status", "due_on"),
        Index("ix_occurrences_body_due", "body_id", "due_on"),
        # What is still owed, in deadline order: the overdue list reads its first page straight from here.
        Index("ix_occurrences_owed_due", "due_on", "id", sqlite_where=OWED, postgresql_where=OWED),
        # Statuses as of a past day: what has no status event after that moment still has its status of now.
        Index("ix_occurrences_due_last_event", "due_on", "last_event_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    # A support body's input points at the lead occurrence it feeds.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16))
    period_kind: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    due_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # When it last became owed (created open, funded, resumed, returned): one that becomes owed after its
    # deadline climbs the escalation ladder from this day, not from the deadline.
    live_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Bumped each time it becomes owed again; the outbox keys messages by round, so the ladder starts afresh.
    live_round: Mapped[int] = mapped_column(default=0, server_default="0")
    # The latest moment in its audit trail (None while it has none): kept by statuses.transition, the one place
    # that writes status events, so that a status as of a past moment needs the trail only for those changed since.
    last_event_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    duty: Mapped[Duty] = relationship()
    body: Mapped[Body] = relationship()
    unit: Mapped[Unit | None] = relationship()
    parent: Mapped[Occurrence | None] = relationship(remote_side="Occurrence.id")
    events: Mapped[list[StatusEvent]] = relationship(
        back_populates="occurrence", order_by="StatusEvent.id", cascade="all, delete-orphan"
    )


class StatusEvent(Base):
    """The audit trail: who changed an occurrence's status, when, from what, to what, and why."""

    __tablename__ = "status_events"
    __table_args__ = (Index("ix_status_events_occurrence_at", "occurrence_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(255))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    occurrence: Mapped[Occurrence] = relationship(back_populates="events")


class FundingRecord(Base):
    """Funds allocated to a conditional duty ("nếu có được phân bổ vốn"), in đồng."""

    __tablename__ = "funding_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(255))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)


def owed_of_plan(plan_id: int) -> list[ColumnElement[bool]]:
    """What is owed in one plan, read through (status, due_on): the cost follows what is owed. Written
    `plan_id + 0` so that SQLite, without statistics, does not take (plan_id, due_on) instead and read every
    row of the plan due before a day (a million, for a plan's years of history)."""
    return [OWED, Occurrence.plan_id + 0 == plan_id]  # type: ignore[list-item]
