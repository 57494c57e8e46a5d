"""Reporting an indicator value from the dashboard: the office for any scope, a body's people for their own."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from dutyflow.i18n import t
from tasks.desk.values import plans_to_report, record_value, reporting_plan, scopes_for, targets_for
from tasks.people.access import Forbidden
from tasks.reports.indicators import ValuesRefused
from web.context import DbDep, NowDep, WebDep, flash
from web.plans import require_known_plan
from web.security import PersonDep

router = APIRouter()


@router.get("/indicators/report")
def value_form(request: Request, web: WebDep, db: DbDep, me: PersonDep, plan: str | None = None) -> Response:
    """The form for one plan: `?plan=` among those the person reports for, else the one loaded last."""
    require_known_plan(db, plan)
    plans = plans_to_report(db, me)
    chosen = reporting_plan(plans, plan)
    targets = targets_for(db, me, chosen) if chosen else []
    scopes = scopes_for(db, me, chosen) if chosen else []
    return web.render(request, "value_form.html.j2", targets=targets, scopes=scopes, plan=chosen, plans=plans)


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
    plan_code: Annotated[str, Form(alias="plan", max_length=64)] = "",
) -> Response:
    require_known_plan(db, plan_code)
    plan = reporting_plan(plans_to_report(db, me), plan_code)
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
    return RedirectResponse(f"/indicators/report?{urlencode({'plan': plan.code})}", status_code=303)
