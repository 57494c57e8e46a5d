"""Sign-in state, CSRF tokens, and the signed-in person as a dependency; API callers may use a bearer token."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from models.access import Person
from tasks.people.accounts import live_token
from tasks.people.sessions import end_session, live_session, start_session
from web.context import SAFE_METHODS, DbDep, WallDep, web


class SignInRequired(Exception):
    """No one is signed in (pages redirect to the sign-in form; the API answers 401)."""


class CsrfRejected(Exception):
    """A change without the form's token: refused, nothing done."""


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def sign_in(request: Request, session: Session, person: Person, *, wall: dt.datetime) -> None:
    """A new server-side session; the cookie gets only its random id (and the form token)."""
    secret = start_session(
        session,
        person=person,
        wall=wall,
        hours=web(request).settings.session_hours,
        address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    earlier = request.session.get("sid")
    found = live_session(session, secret=earlier, wall=wall) if isinstance(earlier, str) else None
    if found is not None:  # signing in again in the same browser ends the session it had
        end_session(session, web_session=found[0], wall=wall, why="signed_in_again")
    request.session.clear()  # a fresh session: nothing carried over from before sign-in
    request.session.update({"sid": secret, "csrf": secrets.token_urlsafe(32)})


def sign_out(request: Request, session: Session, *, wall: dt.datetime) -> None:
    secret = request.session.get("sid")
    found = live_session(session, secret=secret, wall=wall) if isinstance(secret, str) else None
    if found is not None:
        end_session(session, web_session=found[0], wall=wall, why="sign_out")
    request.session.clear()


def _from_session(request: Request, session: Session, wall: dt.datetime) -> Person | None:
    secret = request.session.get("sid")
    if not isinstance(secret, str):
        return None
    found = live_session(session, secret=secret, wall=wall)
    if found is None:
        request.session.clear()
        return None
    request.state.web_session = found[0]
    return found[1]


def _from_bearer(request: Request, session: Session) -> Person | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = live_token(session, secret=header[7:].strip(), kind="api")
    if token is None or token.person_id is None:
        raise SignInRequired
    return session.get(Person, token.person_id)


async def _check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf", "")
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        sent = str(form.get("csrf", ""))
    if not expected or not hmac.compare_digest(str(expected), sent):
        raise CsrfRejected


def _identify(request: Request, session: DbDep, wall: WallDep) -> Person:
    """Who is asking (a plain function: FastAPI runs it on a worker thread, never on the event loop)."""
    bearer = _from_bearer(request, session)
    person = bearer or _from_session(request, session, wall)
    if person is None:
        raise SignInRequired
    request.state.person = person
    request.state.bearer = bearer is not None
    return person


async def current_person(request: Request, person: Annotated[Person, Depends(_identify)]) -> Person:
    """The signed-in person (or the bearer of an API token); a change also needs the session's CSRF token.
    A bearer token is never sent by a browser on its own, so it needs none."""
    if not request.state.bearer:
        await _check_csrf(request)
    return person


async def csrf_protected(request: Request) -> None:
    """For the forms sent before anyone is signed in (signing in and out)."""
    await _check_csrf(request)


PersonDep = Annotated[Person, Depends(current_person)]
CsrfDep = Annotated[None, Depends(csrf_protected)]
