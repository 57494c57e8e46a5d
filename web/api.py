"""The JSON API (/api/v1): the dashboard's data and actions, under the same access rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, HTTPException, Query, Response, UploadFile
from sqlalchemy import select

from models.plan import Body
from models.report import Report
from tasks.calendar.clock import local_date
from tasks.calendar.periods import parse_period
from tasks.desk.duties import acknowledge, act
from tasks.desk.mine import desk_duties
from tasks.desk.values import plans_to_report, record_value, reporting_plan
from tasks.duties.listing import DutyRow
from tasks.duties.overdue import OverdueFilter
from tasks.duties.statuses import Action
from tasks.duties.views import body_duties, failed_deliveries, occurrence_view
from tasks.people.access import (
    Forbidden,
    body_scope,
    require_body,
    require_occurrence,
    require_office,
    require_office_view,
)
from tasks.reports.figures import indicator_progress
from web import schemas
from web.context import DbDep, NowDep, WebDep, as_of_or_today
from web.delivery import deliver_now
from web.ids import IdPath
from web.plans import chosen_plan, one_plan, plan_list, require_known_plan
from web.routes_desk import occurrence_or_404, submit_occurrence
from web.routes_office import overdue_filter
from web.security import PersonDep

router = APIRouter(prefix="/api/v1", tags=["api"])


def _row(row: DutyRow) -> schemas.DutyRowOut:
    return schemas.DutyRowOut.model_validate(row, from_attributes=True)


@router.get("/overview", response_model=schemas.OverviewOut)
def api_overview(
    web: WebDep, db: DbDep, now: NowDep, me: PersonDep, as_of: str | None = None, plan: str | None = None
) -> Any:
    require_office_view(me)
    day = as_of_or_today(as_of, now)
    chosen, plans = chosen_plan(db, plan), plan_list(web, db)
    if chosen is None and len(plans) == 1:
        chosen = plans[0]
    if chosen is None:  # every plan, a line each
        lines_of_plans = web.plans_overview(db, as_of=day) if plans else []
        out = [
            schemas.PlanLineOut(plan_code=x.plan.code, title=x.plan.title, counts=x.counts, total=x.total)
            for x in lines_of_plans
        ]
        return schemas.OverviewOut(plan=None, as_of=day, bodies=[], plans=out)
    lines = web.overview(db, plan=chosen, as_of=day)
    bodies = [
        schemas.BodyLineOut(
            body_id=x.body.id, body_code=x.body.code, body_name=x.body.name, counts=x.counts, total=x.total
        )
        for x in lines
    ]
    return schemas.OverviewOut(plan=chosen.code, as_of=day, bodies=bodies)


@router.get("/overdue", response_model=schemas.OverduePageOut)
def api_overdue(
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    wanted: Annotated[OverdueFilter, Depends(overdue_filter)],
    as_of: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Any:
    require_office_view(me)
    day = as_of_or_today(as_of, now)
    require_known_plan(db, wanted.plan_code)

    def answer() -> bytes:
        found = web.overdue(db, wanted, as_of=day, now=now, page=page, per_page=per_page)
        rows = [_row(r) for r in found.rows]
        page_out = schemas.OverduePageOut(
            as_of=day, total=found.total, page=found.page, per_page=found.per_page, rows=rows
        )
        return page_out.model_dump_json().encode()

    # The JSON itself is kept with the view: a page of 500 rows is serialised once per state of the data.
    body = web.views.get(db, ("overdue-json", wanted, day, local_date(now), page, per_page), answer)
    return Response(body, media_type="application/json")


@router.get("/bodies/{body_id}/duties", response_model=list[schemas.DutyRowOut])
def api_body(web: WebDep, db: DbDep, now: NowDep, me: PersonDep, body_id: IdPath, as_of: str | None = None) -> Any:
    body = db.get(Body, body_id)
    if body is None:
        raise HTTPException(404)
    require_body(me, body)
    day = as_of_or_today(as_of, now)
    rows = body_duties(
        db, body=body, as_of=day, calendar=web.calendar, due_soon_workdays=web.settings.due_soon_workdays
    )
    return [_row(r) for r in rows]


@router.get("/my/duties", response_model=list[schemas.DutyRowOut])
def api_my(web: WebDep, db: DbDep, now: NowDep, me: PersonDep, as_of: str | None = None) -> Any:
    scope = body_scope(me)
    if scope is None:
        raise Forbidden  # the office has no desk of its own: it reads /overview and /overdue
    rows = desk_duties(
        db,
        scope=scope,
        as_of=as_of_or_today(as_of, now),
        calendar=web.calendar,
        due_soon_workdays=web.settings.due_soon_workdays,
    )
    return [_row(r) for r in rows]


@router.get("/occurrences/{occurrence_id}", response_model=schemas.OccurrenceOut)
def api_occurrence(db: DbDep, me: PersonDep, occurrence_id: IdPath) -> Any:
    occurrence = occurrence_or_404(db, occurrence_id)
    require_occurrence(me, occurrence)
    view = occurrence_view(db, occurrence_id=occurrence_id)
    assert view is not None
    occ = view.occurrence
    return schemas.OccurrenceOut(
        id=occ.id,
        key=occ.key,
        body_code=occ.body.code,
        unit_code=occ.unit.code if occ.unit else None,
        duty_code=occ.duty.code,
        duty_text=occ.duty.text,
        period=occ.period,
        due_on=occ.due_on,
        status=occ.status,
        events=[schemas.EventOut.model_validate(e, from_attributes=True) for e in view.events],
        notices=[
            schemas.NoticeOut(
                step=n.notice.step,
                recipient=n.notice.recipient,
                status=n.notice.status,
                sent_at=n.notice.sent_at,
                deliveries=n.notice.deliveries,
                acknowledged_by=[name for name, _ in n.acknowledged_by],
            )
            for n in view.notices
        ],
        evidence=[schemas.EvidenceOut.model_validate(e, from_attributes=True) for e, _ in view.evidence],
    )


@router.post("/occurrences/{occurrence_id}/submit", response_model=schemas.OccurrenceOut)
def api_submit(
    background: BackgroundTasks,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    occurrence_id: IdPath,
    note: Annotated[str, Form(max_length=8000)] = "",
    evidence: Annotated[UploadFile | None, File()] = None,
) -> Any:
    occurrence = submit_occurrence(web, db, now, me, occurrence_id, note, evidence)
    answer = api_occurrence(db, me, occurrence_id)
    db.commit()  # the read above must not hold SQLite's writer lock while the notice is delivered after the answer
    background.add_task(deliver_now, web, occurrence.body_id)
    return answer


@router.post("/occurrences/{occurrence_id}/decide", response_model=schemas.OccurrenceOut)
def api_decide(db: DbDep, now: NowDep, me: PersonDep, occurrence_id: IdPath, decision: schemas.DecisionIn) -> Any:
    require_office(me)
    occurrence = occurrence_or_404(db, occurrence_id)
    act(db, occurrence=occurrence, action=Action(decision.action), person=me, now=now, note=decision.note, max_bytes=0)
    db.commit()
    return api_occurrence(db, me, occurrence_id)


@router.post("/occurrences/{occurrence_id}/acknowledge", response_model=schemas.OccurrenceOut)
def api_acknowledge(db: DbDep, now: NowDep, me: PersonDep, occurrence_id: IdPath) -> Any:
    occurrence = occurrence_or_404(db, occurrence_id)
    require_occurrence(me, occurrence, change=True)
    acknowledge(db, occurrence=occurrence, person=me, now=now)
    db.commit()
    return api_occurrence(db, me, occurrence_id)


@router.get("/deliveries/failed", response_model=list[schemas.FailedOut])
def api_failed(web: WebDep, db: DbDep, now: NowDep, me: PersonDep) -> Any:
    require_office_view(me)
    return [
        schemas.FailedOut(
            id=f.message.id,
            recipient=f.recipient,
            step=f.message.step,
            occurrence_id=f.message.occurrence_id,
            report_id=f.message.report_id,
            status=f.message.status,
            attempts=f.message.attempts,
            last_error=f.message.last_error,
            created_at=f.message.created_at,
        )
        for f in failed_deliveries(db, wall=now, lease=web.lease)
    ]


@router.get("/reports", response_model=list[schemas.ReportOut])
def api_reports(db: DbDep, me: PersonDep) -> Any:
    require_office_view(me)
    reports = db.scalars(select(Report).order_by(Report.compiled_at.desc(), Report.id.desc()).limit(200))
    return [
        schemas.ReportOut(
            id=r.id,
            period=r.period,
            version=r.version,
            draft=r.draft,
            compiled_at=r.compiled_at,
            formats=sorted(r.files),
        )
        for r in reports
    ]


@router.get("/indicators")
def api_indicators(
    db: DbDep, me: PersonDep, period: str, plan_code: Annotated[str | None, Query(alias="plan", max_length=64)] = None
) -> list[dict[str, Any]]:
    """The indicators of the plan named (`?plan=`), else of the plan loaded last."""
    require_office_view(me)
    plan = one_plan(db, plan_code)
    return indicator_progress(db, plan, parse_period(period)) if plan else []


@router.post("/indicators/values", status_code=201)
def api_report_value(db: DbDep, now: NowDep, me: PersonDep, value: schemas.ValueIn) -> dict[str, str]:
    """A value for the plan named (`"plan"`), else for the latest plan the person reports for."""
    require_known_plan(db, value.plan)
    plan = reporting_plan(plans_to_report(db, me), value.plan)
    if plan is None:
        raise HTTPException(404)
    record_value(
        db,
        person=me,
        plan=plan,
        target=value.target,
        scope=value.scope,
        period=value.period,
        value_text=value.value,
        note=value.note,
        now=now,
    )
    db.commit()
    return {"status": "saved"}
