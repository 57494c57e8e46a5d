"""What awaits the steering office: the queue of submissions to accept or return (many at once), and "remind
now" from an occurrence. Messages a person sets off are delivered right after the answer, in the background."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from dutyflow.i18n import t
from dutyflow.refusals import explain
from tasks.desk.awaiting import awaiting, decide_many
from tasks.duties.statuses import Action, TransitionError
from tasks.people.access import require_office, require_office_view
from tasks.people.accounts import actor_of, audit
from tasks.reminders.on_demand import remind_now
from web.context import DbDep, NowDep, WebDep, flash
from web.delivery import deliver_now
from web.ids import IdPath
from web.routes_desk import occurrence_or_404
from web.security import PersonDep

router = APIRouter()
DECISIONS = {"accept": Action.ACCEPT, "reject": Action.REJECT}


@router.get("/awaiting")
def awaiting_page(request: Request, web: WebDep, db: DbDep, me: PersonDep) -> Response:
    require_office_view(me)
    return web.render(request, "awaiting.html.j2", rows=awaiting(db))


@router.post("/awaiting/decide")
def decide_page(
    request: Request,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    action: Annotated[str, Form(max_length=16)],
    ids: Annotated[list[int] | None, Form(max_length=1000)] = None,
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    require_office(me)
    if action not in DECISIONS:
        raise HTTPException(400)
    result = decide_many(
        db, occurrence_ids=ids or [], action=DECISIONS[action], person=me, now=now, note=note.strip() or None
    )
    db.commit()
    if result.done:
        flash(request, t(f"web.awaiting.done_{action}", count=len(result.done)))
    for key, why in result.refused:
        flash(request, f"{key}: {explain(why)}", "error")
    return RedirectResponse("/awaiting", status_code=303)


@router.post("/occurrences/{occurrence_id}/remind")
def remind_page(
    request: Request,
    background: BackgroundTasks,
    web: WebDep,
    db: DbDep,
    now: NowDep,
    me: PersonDep,
    occurrence_id: IdPath,
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    require_office(me)
    occurrence = occurrence_or_404(db, occurrence_id)
    try:
        sent = remind_now(
            db, occurrence=occurrence, actor=actor_of(me), note=note.strip() or None, now=now, setup=web.notices
        )
        audit(db, person=me, actor=actor_of(me), action="occurrence:remind_now", subject=occurrence.key, now=now,
              detail={"messages": sent})  # fmt: skip
        db.commit()
        flash(request, t("web.remind_now.queued", count=len(sent)))
        background.add_task(deliver_now, web, occurrence.body_id)
    except TransitionError as error:
        db.rollback()
        flash(request, explain(error), "error")
    return RedirectResponse(f"/occurrences/{occurrence_id}", status_code=303)


@router.get("/api/v1/awaiting")
def api_awaiting(db: DbDep, me: PersonDep) -> list[dict[str, Any]]:
    """Submissions awaiting the office's decision, the longest waiting first."""
    require_office_view(me)
    return [row.as_json() for row in awaiting(db)]
