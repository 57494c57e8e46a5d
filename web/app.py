"""The dashboard application: middleware, error pages, and every router; `create_app` is all a server needs."""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dutyflow.i18n import has, set_locale, t
from dutyflow.refusals import explain
from dutyflow.settings import Settings
from models.db import is_duplicate
from tasks.calendar.periods import PeriodError
from tasks.duties.statuses import TransitionError
from tasks.people.access import Forbidden
from tasks.reports.indicators import ValuesRefused
from web import (
    api,
    routes_auth,
    routes_awaiting,
    routes_calendar,
    routes_desk,
    routes_office,
    routes_trends,
    routes_values,
)
from web.context import WebContext, session_secret
from web.nfc import NfcInput
from web.page_cache import PageCache
from web.security import CsrfRejected, SignInRequired

STATIC_DIR = Path(__file__).resolve().parent / "static"
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """Every answer forbids inline scripts, framing and type sniffing (each header once); nothing but the static
    files may be kept by a browser or a proxy, since pages and the API show what only the signed-in may see."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                wanted = HEADERS if cacheable else [*HEADERS, NO_STORE]
                message["headers"] = headers + [(name, value) for name, value in wanted if name not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a request body larger than the largest upload allowed (413), before anything parses it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _too_large(send, self.max_bytes, api=str(scope.get("path", "")).startswith("/api/"))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # an HTTPException is the one kind FastAPI's form parsing lets through
                raise StarletteHTTPException(413, detail=_too_large_text(self.max_bytes))
            return message

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except StarletteHTTPException as error:  # raised while a middleware, not a route, read the body
            if error.status_code != 413 or started:
                raise
            await _too_large(send, self.max_bytes, api=str(scope.get("path", "")).startswith("/api/"))


def _too_large_text(max_bytes: int) -> str:
    return t("web.error.too_large", limit=f"{max_bytes / 1_048_576:.0f} MB")


async def _too_large(send: Send, max_bytes: int, *, api: bool = False) -> None:
    text = _too_large_text(max_bytes)
    body = json.dumps({"code": "too_large", "detail": text}, ensure_ascii=False).encode() if api else text.encode()
    kind = b"application/json" if api else b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _names_an_id(error: Any) -> bool:
    """A path segment, or a form field naming a row (`token_id`, `ids`), that no row can have."""
    loc = error.get("loc", ())
    return bool(loc) and (
        loc[0] == "path" or (loc[0] == "body" and str(loc[-1 if len(loc) < 3 else 1]).endswith(("_id", "ids")))
    )


def _problem(request: Request, status: int, code: str, detail: str) -> Response:
    if _is_api(request):
        return JSONResponse({"code": code, "detail": detail}, status_code=status)
    web: WebContext = request.app.state.web
    # An error page names nobody: the request's database session may be gone (rolled back) by now, and with it
    # the signed-in person's loaded state.
    return web.render(
        request, "error.html.j2", status_code=status, title=t(f"web.error.{status}"), detail=detail, me=None
    )


def create_app(settings: Settings) -> FastAPI:
    set_locale(settings.lang)
    app = FastAPI(
        title="dutyflow",
        description=t("web.api.description"),
        version="1",
        docs_url=None,  # the interactive page loads scripts from a CDN; the description is at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = WebContext.build(settings)
    secure = settings.dashboard_url.startswith("https://")
    app.add_middleware(PageCache)  # inside the session middleware: it reads the session the cookie opens
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="dutyflow_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=secure,
    )
    app.add_middleware(NfcInput)
    app.add_middleware(BodyLimit, max_bytes=settings.evidence_max_bytes + 1_048_576)  # the file and its form
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInRequired)
    def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"code": "sign_in", "detail": t("web.sign_in.required")}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, exc: Forbidden) -> Response:
        return _problem(request, 403, "forbidden", t("web.forbidden"))

    @app.exception_handler(CsrfRejected)
    def _csrf(request: Request, exc: CsrfRejected) -> Response:
        return _problem(request, 403, "csrf", t("web.csrf"))

    @app.exception_handler(TransitionError)
    def _refused(request: Request, exc: TransitionError) -> Response:
        return _problem(request, 409, exc.code, explain(exc))

    @app.exception_handler(ValuesRefused)
    def _values(request: Request, exc: ValuesRefused) -> Response:
        detail = "; ".join(t(i.code, **i.params) for i in exc.issues) or t("web.values.not_a_number", value="")
        return _problem(request, 422, "values", detail)

    @app.exception_handler(PeriodError)
    def _period(request: Request, exc: PeriodError) -> Response:
        return _problem(request, 400, "period", t("web.bad_period", period=str(exc)))

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if any(_names_an_id(e) for e in errors):  # an id no row can have: nothing there
            return _problem(request, 404, "not_found", t("web.error.detail"))
        if any(e.get("type") == "json_invalid" for e in errors):
            return _problem(request, 422, "invalid", t("web.invalid_json"))
        names = [str(e.get("loc", ["?"])[-1]) for e in exc.errors()]
        fields = ", ".join(t(f"field.{name}") if has(f"field.{name}") else name for name in names)
        return _problem(request, 422, "invalid", t("web.invalid", fields=fields))

    @app.exception_handler(IntegrityError)
    def _duplicate(request: Request, exc: IntegrityError) -> Response:
        """Two identical changes at once: the database kept the first, the second is a conflict (409). Any other
        broken constraint is a fault of ours and stays one."""
        if not is_duplicate(exc):
            raise exc
        return _problem(request, 409, "duplicate", t("web.duplicate"))

    @app.exception_handler(OperationalError)
    def _busy(request: Request, exc: OperationalError) -> Response:
        """The database is busy or out of reach: try again shortly (503), the connection stays open."""
        answer = _problem(request, 503, "unavailable", t("web.unavailable"))
        answer.headers["Retry-After"] = "5"
        return answer

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        default = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != default else t("web.error.detail")
        if detail == "There was an error parsing the body":  # FastAPI's own words for a body it cannot read
            detail = t("web.bad_body")
        return _problem(request, status, "http", detail)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    routers = (
        routes_auth,
        routes_office,
        routes_desk,
        routes_awaiting,
        routes_trends,
        routes_values,
        routes_calendar,
        api,
    )
    for router in routers:
        app.include_router(router.router)
    return app


def app_from_environment() -> FastAPI:
    """The app for each worker process of `dutyflow web --workers N` (settings read from DUTYFLOW_*)."""
    from dutyflow.settings import get_settings

    return create_app(get_settings())
