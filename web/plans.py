"""The plan a page is asked for (`?plan=<code>`): all of them when none is named, a clear 404 for an unknown one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import HTTPException
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.i18n import t
from models.plan import Plan
from tasks.duties.views import all_plans, current_plan
from web.context import WebContext


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


def one_plan(db: Session, code: str | None) -> Plan | None:
    """For a page of one plan's figures (indicators, trends): the plan named, else the one loaded last."""
    return chosen_plan(db, code) or current_plan(db)


def plan_list(web: WebContext, db: Session) -> list[Plan]:
    """Every plan, for the picker; read once per state of the data."""
    return web.views.get(db, ("plans",), lambda: all_plans(db))


def overview_table(web: WebContext, db: Session, *, plan: Plan | None, as_of: dt.date, many: bool) -> Markup:
    """The overview's table, rendered once per state of the data: a plan's bodies, or a line per plan. With
    `many` plans loaded, a body's link names its plan (a code alone opens the body in the plan loaded last)."""

    def compute() -> Markup:
        if plan is None:
            values: dict[str, Any] = {"plan_lines": web.plans_overview(db, as_of=as_of)}
        else:
            values = {"lines": web.overview(db, plan=plan, as_of=as_of)}
        template = web.templates.get_template("_overview_table.html.j2")
        return Markup(template.render(plan=plan, as_of=as_of, many=many, **values))

    return web.views.get(db, ("overview-table", plan.id if plan else None, as_of, many), compute)
