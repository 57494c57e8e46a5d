"""Signing in and out, the sign-in throttle, and a person's own sessions."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from dutyflow.i18n import t
from models.access import WebSession
from models.db import serialize
from tasks.people.access import Forbidden
from tasks.people.accounts import audit, authenticate
from tasks.people.sessions import end_session, sessions_of
from tasks.people.throttle import lock_on, record_try
from web.context import DbDep, WallDep, WebDep, flash
from web.ids import IdPath
from web.security import CsrfDep, PersonDep, client_address, csrf_token, sign_in, sign_out

router = APIRouter()


def _local(path: str | None) -> str:
    """Only a path on this site is followed after sign-in (never another site's address)."""
    if not path:
        return "/"
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//"):
        return "/"
    return path


@router.get("/sign-in")
def sign_in_form(request: Request, web: WebDep, next: str | None = None) -> Response:
    csrf_token(request)
    return web.render(request, "sign_in.html.j2", next=_local(next), error=None, login="")


@router.post("/sign-in")
def sign_in_submit(
    request: Request,
    _: CsrfDep,
    web: WebDep,
    db: DbDep,
    wall: WallDep,
    login: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    login = login.strip().lower()
    address = client_address(request)
    csrf_token(request)
    serialize(db, f"sign-in:login:{login}", f"sign-in:address:{address}")  # parallel guesses count one by one
    lock = lock_on(db, login=login, address=address, wall=wall)
    if lock is not None:  # refused without looking at the password, right or wrong
        record_try(db, login=login, address=address, wall=wall, outcome="refused")
        audit(
            db, person=None, actor=login, action="sign_in:locked", subject=login, now=wall, detail={"address": address}
        )
        db.commit()
        wait = lock.retry_after(wall)
        error = t("web.sign_in.locked", minutes=max(1, -(-wait // 60)))
        page = web.render(request, "sign_in.html.j2", status_code=429, next=_local(next), error=error, login=login)
        page.headers["Retry-After"] = str(wait)
        return page
    attempt = record_try(db, login=login, address=address, wall=wall, outcome="failed")
    db.commit()  # counted before the password is checked: guesses sent in parallel see each other
    person = authenticate(db, login=login, password=password)
    if person is None:
        audit(
            db, person=None, actor=login, action="sign_in:failed", subject=login, now=wall, detail={"address": address}
        )
        db.commit()
        return web.render(
            request, "sign_in.html.j2", status_code=401, next=_local(next), error=t("web.sign_in.wrong"), login=login
        )
    attempt.outcome = "ok"
    audit(db, person=person, actor=person.login, action="sign_in", subject=person.login, now=wall)
    sign_in(request, db, person, wall=wall)
    db.commit()
    return RedirectResponse(_local(next), status_code=303)


@router.post("/sign-out")
def sign_out_submit(request: Request, _: CsrfDep, db: DbDep, wall: WallDep) -> Response:
    sign_out(request, db, wall=wall)
    db.commit()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/sessions")
def my_sessions(request: Request, me: PersonDep, web: WebDep, db: DbDep, wall: WallDep) -> Response:
    current = getattr(request.state, "web_session", None)
    return web.render(
        request,
        "sessions.html.j2",
        sessions=sessions_of(db, person=me, wall=wall),
        current_id=current.id if current is not None else None,
    )


@router.post("/sessions/{session_id}/end")
def end_my_session(request: Request, session_id: IdPath, me: PersonDep, db: DbDep, wall: WallDep) -> Response:
    """Ends one of the person's own sessions; nobody ends another person's (403)."""
    found = db.get(WebSession, session_id)
    if found is None:
        raise HTTPException(404)
    if found.person_id != me.id:
        raise Forbidden
    end_session(db, web_session=found, wall=wall, why="ended_by_owner")
    audit(db, person=me, actor=me.login, action="session:end", subject=str(found.id), now=wall)
    db.commit()
    current = getattr(request.state, "web_session", None)
    if current is not None and current.id == found.id:
        request.session.clear()
        return RedirectResponse("/sign-in", status_code=303)
    flash(request, t("web.sessions.ended"))
    return RedirectResponse("/sessions", status_code=303)
