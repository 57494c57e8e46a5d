"""Calendar feeds: the ICS file at a private address, and the page where people get or revoke their address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import ColumnElement, select

from dutyflow.i18n import t
from models.access import AccessToken, Person
from models.plan import Body
from tasks.calendar.clock import local_date
from tasks.duties.actions import MAX_ID
from tasks.duties.statuses import Status
from tasks.people.access import Forbidden, Scope, body_scope
from tasks.people.accounts import actor_of, issue_token, live_token, revoke_token
from tasks.people.calendar_feed import build_feed, occurrences_for_feed
from web.context import DbDep, NowDep, WebDep, flash
from web.security import PersonDep

router = APIRouter()


def _labels() -> dict[str, str]:
    return {"due": t("web.ics.due"), "status": t("web.col.status")} | {
        f"status.{s.value}": t(f"status.{s.value}") for s in Status
    }


@router.get("/calendar/{secret}.ics")
def feed(web: WebDep, db: DbDep, now: NowDep, secret: str) -> Response:
    """No sign-in: the address itself is the key, and a revoked address answers 404 like one never issued."""
    token = live_token(db, secret=secret, kind="calendar")
    if token is None:
        raise HTTPException(404)
    owned: ColumnElement[bool] | None
    if token.body_id is not None:  # a body's feed: that body in every plan that has a body of its code
        body = db.get(Body, token.body_id)
        if body is None:
            raise HTTPException(404)
        owned, name = Scope(body.code).occurrences(), body.short_name or body.name
    else:
        person = db.get(Person, token.person_id)
        if person is None:
            raise HTTPException(404)
        scope = body_scope(person)  # a person's feed: their body or commune in every plan
        owned, name = scope.occurrences() if scope else None, person.name
    items = occurrences_for_feed(db, owned=owned, today=local_date(now))
    ics = build_feed(
        items, name=f"dutyflow: {name}", dashboard_url=web.settings.dashboard_url, now=now, labels=_labels()
    )
    return Response(ics, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "private, max-age=300"})


@router.get("/calendar")
def calendar_page(request: Request, web: WebDep, db: DbDep, me: PersonDep) -> Response:
    tokens = list(
        db.scalars(
            select(AccessToken)
            .where(AccessToken.person_id == me.id, AccessToken.kind == "calendar")
            .order_by(AccessToken.id.desc())
        )
    )
    new_secret = request.session.pop("new_calendar", None)
    base = web.settings.dashboard_url.rstrip("/")
    return web.render(
        request, "calendar.html.j2", tokens=tokens, new_url=f"{base}/calendar/{new_secret}.ics" if new_secret else None
    )


@router.post("/calendar")
def calendar_issue(request: Request, db: DbDep, now: NowDep, me: PersonDep) -> Response:
    _, secret = issue_token(db, kind="calendar", now=now, actor=actor_of(me), person=me)
    db.commit()
    request.session["new_calendar"] = secret  # shown once, on the next page
    return RedirectResponse("/calendar", status_code=303)


@router.post("/calendar/revoke")
def calendar_revoke(
    request: Request, db: DbDep, now: NowDep, me: PersonDep, token_id: Annotated[int, Form(ge=1, le=MAX_ID)]
) -> Response:
    token = db.get(AccessToken, token_id)
    if token is None or (token.person_id != me.id and me.role != "office"):
        raise Forbidden
    revoke_token(db, token_id=token_id, now=now, actor=actor_of(me))
    db.commit()
    flash(request, t("web.calendar.revoked"))
    return RedirectResponse("/calendar", status_code=303)
