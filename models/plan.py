"""Tables for a loaded plan: the plan, its bodies and their units, contacts, targets, baseline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UtcDateTime

if TYPE_CHECKING:
    from models.duty import Duty


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(String(255))
    place: Mapped[str] = mapped_column(String(255))
    issued_on: Mapped[dt.date]
    year: Mapped[int]
    effective_from: Mapped[dt.date]
    effective_to: Mapped[dt.date]
    signer_name: Mapped[str] = mapped_column(String(255))
    signer_title: Mapped[str] = mapped_column(String(255))
    signer_contact: Mapped[str] = mapped_column(String(64))
    bases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    support_lead_workdays: Mapped[int | None]
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # Bumped whenever due dates of its occurrences move without a status change (a new day off): what was counted
    # or shown from the old dates is stale.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    bodies: Mapped[list[Body]] = relationship(back_populates="plan", order_by="Body.order")


class Body(Base):
    __tablename__ = "bodies"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(255))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(32))
    authority: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)

    plan: Mapped[Plan] = relationship(back_populates="bodies")
    units: Mapped[list[Unit]] = relationship(back_populates="body", order_by="Unit.order")
    duties: Mapped[list[Duty]] = relationship(back_populates="body", order_by="Duty.order")


class Unit(Base):
    """A place on the ground that owes a body's duties on its own (a commune or town)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("body_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)

    body: Mapped[Body] = relationship(back_populates="units")


class Contact(Base):
    """A person or office; `channel_ref` says where the address lives, never the address itself."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    channel_ref: Mapped[str] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(default=True)


class Target(Base):
    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64))
    value_text: Mapped[str | None] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16))
    condition: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    # The body whose people report this target (None: the steering office only); `body_assumed` when the plan's
    # document does not say and the programme's lead body was taken.
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"), index=True)
    body_assumed: Mapped[bool] = mapped_column(default=False)


class TargetAllocation(Base):
    """A target's share for one unit (the per-commune annex, "phụ lục phân giao chỉ tiêu")."""

    __tablename__ = "target_allocations"
    __table_args__ = (UniqueConstraint("target_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(Float)
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    set_by: Mapped[str] = mapped_column(String(255))


class BaselineFigure(Base):
    __tablename__ = "baseline_figures"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64))
    value_text: Mapped[str | None] = mapped_column(String(64))
    of: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
