"""The steering office's views: overview, overdue list (and its CSV), bodies, failed deliveries, reports, indicators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from dutyflow.i18n import t
from models.plan import Plan
from models.report import IndicatorValue, Report
from reports import labels
from reports.overdue_csv import overdue_csv as csv_text
from tasks.calendar.clock import local_date
from tasks.calendar.periods import PeriodError, parse_period
from tasks.duties.actions import MAX_ID
from tasks.duties.overdue import SORTS, OverdueFilter, all_overdue
from tasks.duties.views import body_by_ref, body_duties, failed_deliveries, upcoming
from tasks.people.access import require_body, require_office_view, sees_everything
from tasks.reminders.health import sweep_health
from tasks.reports.figures import indicator_progress
from web.context import DbDep, NowDep, WallDep, WebDep, as_of_or_today
from web.ids import BodyRef, IdPath
from web.plans import chosen_plan, one_plan, overview_table, plan_list, require_known_plan
from web.security import PersonDep

router = APIRouter()


async def overdue_filter(
    plan: str | None = None,
    body: str | None = None,
    unit: str | None = None,
    kind: str | None = None,
    days: Annotated[int, Query(ge=1, le=3660)] = 1,
    step: str | None = None,
    sort: str = "due",
) -> OverdueFilter:
    return OverdueFilter(
        plan_code=plan or None,
        body_code=body or None,
        unit_code=unit or None,
        kind=kind or None,
        min_days=days,
        step=step or None,
        sort=sort if sort in SORTS else "due",
    )


@router.get("/")
def overview_page(
    request: Request,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    wall: WallDep,
    me: PersonDep,
    as_of: str | None = None,
    plan: str | None = None,
) -> Response:
    if not sees_everything(me):  # a body's people start at their own desk
        return RedirectResponse("/my", status_code=303)
    require_office_view(me)
    day = as_of_or_today(as_of, now)
    chosen, plans = chosen_plan(db, plan), plan_list(web, db)
    if chosen is None and len(plans) == 1:  # one plan loaded: the page it has always been
        chosen = plans[0]
    health = []
    if chosen is not None:
        health = sweep_health(db, plan=chosen, wall=wall, calendar=web.calendar, times=web.sweep_times)
    content = web.page_part(
        db,
        request,
        "_overview_content.html.j2",
        (chosen.id if chosen else None, day),
        lambda: {
            "plan": chosen,
            "plans": plans,
            "plan_lines": chosen is None and bool(plans),
            "table": overview_table(web, db, plan=chosen, as_of=day, many=len(plans) > 1) if plans else "",
            "as_of": day,
        },
    )
    return web.render(request, "overview.html.j2", content=content, health=health)


@router.get("/overdue")
def overdue_list(
    request: Request,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    wanted: Annotated[OverdueFilter, Depends(overdue_filter)],
    as_of: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    require_office_view(me)
    day = as_of_or_today(as_of, now)
    require_known_plan(db, wanted.plan_code)

    def values() -> dict[str, Any]:
        found, bodies, units, table = web.overdue_with_choices(db, wanted, as_of=day, now=now, page=page)
        query = urlencode([(k, v) for k, v in request.query_params.items() if k != "page"])
        return {
            "found": found,
            "wanted": wanted,
            "as_of": day,
            "bodies": bodies,
            "units": units,
            "plans": plan_list(web, db),
            "query": query,
            "table": table,
        }

    question = (wanted, day, local_date(now), page)
    content = web.page_part(db, request, "_overdue_content.html.j2", question, values)
    return web.render(request, "overdue.html.j2", content=content)


@router.get("/overdue.csv")
def overdue_csv(
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    wanted: Annotated[OverdueFilter, Depends(overdue_filter)],
    as_of: str | None = None,
) -> Response:
    require_office_view(me)
    day = as_of_or_today(as_of, now)
    require_known_plan(db, wanted.plan_code)
    found = all_overdue(
        db, wanted, as_of=day, now=now, calendar=web.calendar, due_soon_workdays=web.settings.due_soon_workdays
    )
    name = f"qua-han-{day.isoformat()}.csv"
    return StreamingResponse(
        csv_text(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/bodies/{body}")
def body_page(
    request: Request,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    body: BodyRef,
    as_of: str | None = None,
    plan: str | None = None,
) -> Response:
    """A body's duties: in the plan asked for (the overview's links name it when several plans are loaded)."""
    chosen = chosen_plan(db, plan)
    found = body_by_ref(db, body, max_id=MAX_ID, plan_id=chosen.id if chosen else None)
    if found is None:
        raise HTTPException(404)
    require_body(me, found)
    day = as_of_or_today(as_of, now)
    rows = body_duties(
        db, body=found, as_of=day, calendar=web.calendar, due_soon_workdays=web.settings.due_soon_workdays
    )
    overdue, rest = upcoming(rows)
    return web.render(request, "body.html.j2", body=found, overdue=overdue, rest=rest, as_of=day)


@router.get("/deliveries/failed")
def failed_page(request: Request, web: WebDep, db: DbDep, now: NowDep, me: PersonDep) -> Response:
    require_office_view(me)
    return web.render(request, "deliveries.html.j2", failed=failed_deliveries(db, wall=now, lease=web.lease))


@router.get("/reports")
def reports_page(request: Request, web: WebDep, db: DbDep, me: PersonDep) -> Response:
    require_office_view(me)
    reports = list(db.scalars(select(Report).order_by(Report.compiled_at.desc(), Report.id.desc()).limit(200)))
    return web.render(request, "reports.html.j2", reports=reports, period_label=labels.period_label)


@router.get("/reports/{report_id}")
def report_page(request: Request, web: WebDep, db: DbDep, me: PersonDep, report_id: IdPath) -> Response:
    require_office_view(me)
    report = db.get(Report, report_id)
    if report is None:
        raise HTTPException(404)
    return web.render(
        request, "report.html.j2", report=report, figures=report.figures, period_label=labels.period_label
    )


MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
}


@router.get("/reports/{report_id}/{fmt}")
def report_file(web: WebDep, db: DbDep, me: PersonDep, report_id: IdPath, fmt: str) -> Response:
    require_office_view(me)
    report = db.get(Report, report_id)
    if report is None or fmt not in report.files or fmt not in MEDIA:
        raise HTTPException(404)
    path = Path(report.files[fmt])
    if not path.is_file():
        raise HTTPException(404, t("web.report.file_gone"))
    return FileResponse(path, media_type=MEDIA[fmt], filename=path.name)


@router.get("/indicators")
def indicators_page(
    request: Request,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    period: str | None = None,
    plan: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """One plan's indicators: `?plan=`, else the plan loaded last."""
    require_office_view(me)
    chosen_one = one_plan(db, plan)
    try:
        chosen = parse_period(period or _last_reported(db, chosen_one))
    except PeriodError:
        raise HTTPException(400, t("web.bad_period", period=period or "")) from None
    rows = indicator_progress(db, chosen_one, chosen) if chosen_one else []
    return web.render(
        request,
        "indicators.html.j2",
        plan=chosen_one,
        rows=rows,
        period=chosen,
        plans=plan_list(web, db),
    )


def _last_reported(db: Session, plan: Plan | None) -> str:
    """The period values were last reported for, else the plan's year."""
    if plan is None:
        return ""
    last = db.scalars(
        select(IndicatorValue.period)
        .where(IndicatorValue.plan_id == plan.id)
        .order_by(IndicatorValue.reported_at.desc())
        .limit(1)
    ).first()
    return last or str(plan.year)
