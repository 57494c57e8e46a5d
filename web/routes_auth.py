"""Signing in and out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from dutyflow.i18n import t
from tasks.people.accounts import audit, authenticate
from web.context import DbDep, NowDep, WebDep
from web.security import CsrfDep, csrf_token, sign_in

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
    now: NowDep,
    login: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    person = authenticate(db, login=login, password=password)
    if person is None:
        audit(db, person=None, actor=login[:64], action="sign_in:failed", subject=login[:64], now=now)
        db.commit()
        csrf_token(request)
        return web.render(
            request, "sign_in.html.j2", status_code=401, next=_local(next), error=t("web.sign_in.wrong"), login=login
        )
    audit(db, person=person, actor=person.login, action="sign_in", subject=person.login, now=now)
    db.commit()
    sign_in(request, person)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, _: CsrfDep) -> Response:
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)
