"""A body's desk: my duties, an occurrence with its history, submitting with evidence, acknowledging, deciding."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from dutyflow.i18n import t
from dutyflow.refusals import explain
from models.access import Evidence
from models.duty import Occurrence
from tasks.desk.duties import acknowledge, act
from tasks.desk.mine import desk_duties, desk_units
from tasks.duties.statuses import Action, Status, TransitionError, allowed_actions
from tasks.duties.views import occurrence_view, upcoming
from tasks.people.access import (
    answers_for,
    body_scope,
    may_change,
    require_occurrence,
    require_office,
    sees,
)
from tasks.people.accounts import actor_of
from tasks.reminders.on_demand import queue_submission_notice
from web.context import DbDep, NowDep, WebDep, as_of_or_today, flash
from web.delivery import deliver_now
from web.ids import IdPath
from web.security import PersonDep

router = APIRouter()
OFFICE_ACTIONS = (Action.ACCEPT, Action.REJECT, Action.WAIVE, Action.SUSPEND, Action.RESUME)


def read_upload(upload: UploadFile | None, max_bytes: int) -> tuple[str, bytes] | None:
    """The file's name and content, read no further than one byte past the limit."""
    if upload is None or not upload.filename:
        return None
    data = upload.file.read(max_bytes + 1)
    return upload.filename, data


@router.get("/my")
def my_duties(
    request: Request,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    as_of: str | None = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """A body's desk, in every plan that names the body; a commune's own people see only their commune, the body's
    people choose one or all."""
    scope = body_scope(me)
    if scope is None:
        return RedirectResponse("/", status_code=303)
    units = desk_units(db, scope=scope)
    chosen = me.unit or next((u for u in units if u.code == unit), None)
    day = as_of_or_today(as_of, now)
    rows = desk_duties(
        db,
        scope=scope,
        as_of=day,
        calendar=web.calendar,
        due_soon_workdays=web.settings.due_soon_workdays,
        unit_code=chosen.code if chosen else None,
    )
    overdue, rest = upcoming(rows)
    return web.render(
        request,
        "my.html.j2",
        body=me.body,
        overdue=overdue,
        rest=rest,
        as_of=day,
        unit=chosen,
        units=units,
    )


def occurrence_or_404(db: DbDep, occurrence_id: IdPath) -> Occurrence:
    occurrence = db.get(Occurrence, occurrence_id)
    if occurrence is None:
        raise HTTPException(404)
    return occurrence


@router.get("/occurrences/{occurrence_id}")
def occurrence_page(request: Request, web: WebDep, db: DbDep, me: PersonDep, occurrence_id: IdPath) -> Response:
    occurrence = occurrence_or_404(db, occurrence_id)
    require_occurrence(me, occurrence)
    view = occurrence_view(db, occurrence_id=occurrence_id)
    status = Status(occurrence.status)
    return web.render(
        request,
        "occurrence.html.j2",
        view=view,
        can_submit=may_change(me) and Action.SUBMIT in allowed_actions(status),
        can_ack=may_change(me) and answers_for(me, occurrence) and bool(view and view.notices),
        sees_parent=occurrence.parent is not None and sees(me, occurrence.parent),
        decisions=[a for a in OFFICE_ACTIONS if a in allowed_actions(status)] if me.role == "office" else [],
        max_mb=web.settings.evidence_max_bytes // 1_048_576,
    )


def submit_occurrence(
    web: WebDep, db: DbDep, now: NowDep, me: PersonDep, occurrence_id: IdPath, note: str, evidence: UploadFile | None
) -> Occurrence:
    """Submit as the signed-in person, with the note and the file; committed, or refused with nothing changed."""
    occurrence = occurrence_or_404(db, occurrence_id)
    require_occurrence(me, occurrence, change=True)
    upload = read_upload(evidence, web.settings.evidence_max_bytes)
    event, _ = act(
        db,
        occurrence=occurrence,
        action=Action.SUBMIT,
        person=me,
        now=now,
        note=note,
        upload=upload,
        max_bytes=web.settings.evidence_max_bytes,
        daily_quota=web.settings.upload_quota_bytes_per_day,
    )
    db.flush()
    queue_submission_notice(
        db, occurrence=occurrence, event_id=event.id, actor=actor_of(me), note=event.note, now=now, setup=web.notices
    )
    db.commit()
    return occurrence


@router.post("/occurrences/{occurrence_id}/submit")
def submit(
    request: Request,
    background: BackgroundTasks,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    occurrence_id: IdPath,
    note: Annotated[str, Form(max_length=8000)] = "",
    evidence: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        occurrence = submit_occurrence(web, db, now, me, occurrence_id, note, evidence)
        flash(request, t("web.submitted", key=occurrence.key))
        background.add_task(deliver_now, web, occurrence.body_id)
    except TransitionError as error:
        db.rollback()
        flash(request, explain(error), "error")
    return RedirectResponse(f"/occurrences/{occurrence_id}", status_code=303)


@router.post("/occurrences/{occurrence_id}/decide")
def decide(
    request: Request,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    occurrence_id: IdPath,
    action: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=8000)] = "",
) -> Response:
    require_office(me)
    occurrence = occurrence_or_404(db, occurrence_id)
    if action not in {a.value for a in OFFICE_ACTIONS}:
        raise HTTPException(400)
    try:
        act(db, occurrence=occurrence, action=Action(action), person=me, now=now, note=note, max_bytes=0)
        db.commit()
        flash(request, t("web.decided", key=occurrence.key, status=t("status." + occurrence.status)))
    except TransitionError as error:
        db.rollback()
        flash(request, explain(error), "error")
    return RedirectResponse(f"/occurrences/{occurrence_id}", status_code=303)


@router.post("/occurrences/{occurrence_id}/acknowledge")
def acknowledge_page(request: Request, db: DbDep, now: NowDep, me: PersonDep, occurrence_id: IdPath) -> Response:
    occurrence = occurrence_or_404(db, occurrence_id)
    require_occurrence(me, occurrence, change=True)
    try:
        count = acknowledge(db, occurrence=occurrence, person=me, now=now)
        db.commit()
        flash(request, t("web.acknowledged", count=count))
    except TransitionError as error:
        db.rollback()
        flash(request, explain(error), "error")
    return RedirectResponse(f"/occurrences/{occurrence_id}", status_code=303)


@router.get("/evidence/{evidence_id}")
def evidence_file(db: DbDep, me: PersonDep, evidence_id: IdPath) -> Response:
    evidence = db.get(Evidence, evidence_id)
    if evidence is None:
        raise HTTPException(404)
    require_occurrence(me, occurrence_or_404(db, evidence.occurrence_id))
    # Always a download, never shown inline: a file cannot run as a page of this site.
    return Response(
        evidence.data,
        media_type=evidence.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(evidence.filename, safe='')}",
            "X-Content-Type-Options": "nosniff",
        },
    )
