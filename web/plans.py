"""The plan a page is asked for (`?plan=<code>`): all of them when none is named, a clear 404 for an unknown one."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.i18n import t
from models.plan import Plan


def chosen_plan(db: Session, code: str | None) -> Plan | None:
    """The plan named by `code`, or None when no plan is named; an unknown code is refused."""
    if not code:
        return None
    plan = db.scalars(select(Plan).where(Plan.code == code)).first()
    if plan is None:
        raise HTTPException(404, t("web.plan.unknown", plan=code[:64]))
    return plan


def require_known_plan(db: Session, code: str | None) -> None:
    chosen_plan(db, code)
