"""On-time rates per body and quarter, a ranking, and the plan's trend: how a steering office reviews its bodies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dutyflow.i18n import t
from models.plan import Plan
from reports.labels import ROMAN
from tasks.duties.listing import list_duties
from tasks.duties.trends import Trend, timeliness
from tasks.people.access import require_office_view
from web.context import DbDep, NowDep, WebContext, WebDep, as_of_or_today
from web.plans import one_plan, plan_list
from web.security import PersonDep
from web.trend_chart import trend_svg

router = APIRouter()


def _trend(web: WebContext, db: DbDep, as_of: Any, plan: Plan | None) -> Trend:
    if plan is None:
        return Trend([])
    rows = list_duties(
        db,
        as_of=as_of,
        calendar=web.calendar,
        due_soon_workdays=web.settings.due_soon_workdays,
        plan_code=plan.code,
        include_all=True,
    )
    return timeliness(rows, today=as_of)


def _short(quarter: str) -> str:
    """A quarter on the chart's axis: "Q.II/2023"."""
    year, _, number = quarter.partition("-Q")
    return t("web.trends.quarter_short", roman=ROMAN[int(number)], year=year)


def _chosen(trend: Trend, period: str | None) -> list[str]:
    """The quarters asked for: one quarter (2023-Q2), a year (2023), or all so far."""
    if not period:
        return trend.quarters
    return [q for q in trend.quarters if q == period or q.startswith(f"{period}-")]


@router.get("/trends")
def trends_page(
    request: Request,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    as_of: str | None = None,
    period: Annotated[str | None, Query(max_length=16)] = None,
    plan: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """One plan's trends: `?plan=`, else the plan loaded last."""
    require_office_view(me)
    day = as_of_or_today(as_of, now)
    chosen_one = one_plan(db, plan)
    trend = _trend(web, db, day, chosen_one)
    chosen = _chosen(trend, period)
    chart = trend_svg([(_short(q), trend.plan[q].rate) for q in trend.quarters], title=t("web.trends.chart"))
    years = sorted({q[:4] for q in trend.quarters})
    return web.render(
        request,
        "trends.html.j2",
        trend=trend,
        ranking=trend.ranking(chosen),
        chosen=chosen,
        period=period or "",
        choices=[*years, *trend.quarters],
        chart=chart,
        as_of=day,
        plans=plan_list(web, db),
        plan=chosen_one,
    )


@router.get("/api/v1/trends")
def api_trends(
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    as_of: str | None = None,
    period: Annotated[str | None, Query(max_length=16)] = None,
    plan: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Per body and quarter: due, on time, late, still overdue, on-time rate; and the ranking for `period`; of the
    plan named (`?plan=`), else of the plan loaded last."""
    require_office_view(me)
    trend = _trend(web, db, as_of_or_today(as_of, now), one_plan(db, plan))
    return {
        "quarters": trend.quarters,
        "plan": {q: r.as_json() for q, r in trend.plan.items()},
        "bodies": {code: {q: r.as_json() for q, r in records.items()} for code, records in trend.by_body.items()},
        "ranking": [r.as_json() for r in trend.ranking(_chosen(trend, period))],
    }
