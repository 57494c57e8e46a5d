"""Reporting an indicator value from the dashboard: the office for any scope, a body's people for their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from dutyflow.i18n import t
from tasks.desk.values import record_value, scopes_for, targets_for
from tasks.duties.views import current_plan
from tasks.people.access import Forbidden, require_reporter
from tasks.reports.indicators import ValuesRefused
from web.context import DbDep, NowDep, WebDep, flash
from web.security import PersonDep

router = APIRouter()


@router.get("/indicators/report")
def value_form(request: Request, web: WebDep, db: DbDep, me: PersonDep) -> Response:
    require_reporter(me)
    plan = current_plan(db)
    targets = targets_for(db, me, plan) if plan else []
    scopes = scopes_for(db, me, plan) if plan else []
    return web.render(request, "value_form.html.j2", targets=targets, scopes=scopes, plan=plan)


@router.post("/indicators/report")
def value_submit(
    request: Request,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    target: Annotated[str, Form(max_length=64)],
    scope: Annotated[str, Form(max_length=64)],
    period: Annotated[str, Form(max_length=16)],
    value: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    plan = current_plan(db)
    if plan is None:
        raise Forbidden
    try:
        record_value(
            db,
            person=me,
            plan=plan,
            target=target,
            scope=scope,
            period=period,
            value_text=value,
            note=note.strip() or None,
            now=now,
        )
        db.commit()
        flash(request, t("web.values.saved", target=target, period=period))
    except ValuesRefused as refused:
        db.rollback()
        problems = "; ".join(t(i.code, **i.params) for i in refused.issues) or t("web.values.not_a_number", value=value)
        flash(request, problems, "error")
    return RedirectResponse("/indicators/report", status_code=303)
