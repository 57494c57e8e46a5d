"""Tables for indicators and reports: reported values (every correction a new version) and compiled reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UtcDateTime


class IndicatorValue(Base):
    """A value reported for a target, for a period, district-wide (`scope` "-") or for one unit.

    Nothing is overwritten: a correction is the next version, and reports read the latest one.
    """

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("target_id", "scope", "period", "version"),
        Index("ix_indicator_values_plan_period", "plan_id", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(64))  # the unit's code, or "-" for the whole district
    period: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    value: Mapped[float] = mapped_column(Float)
    reported_by: Mapped[str] = mapped_column(String(255))
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    """One compiled version of a period's report: the figures it was made from, frozen, and their hash."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("plan_id", "period", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    draft: Mapped[bool]
    as_of: Mapped[dt.date]
    compiled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    compiled_by: Mapped[str] = mapped_column(String(255))
    content_sha256: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    files: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # format -> path of the rendered file
