"""Dashboard sessions kept in the database: the browser holds a random id, the server decides whether it is
still good. Ending is final: signing out, a new password, or a disabled account ends sessions (and, for the
last two, every API token and personal calendar address); enabling the account again restores none of them."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from models.access import AccessToken, Person, WebSession
from tasks.people.digest import token_digest


def start_session(
    session: Session, *, person: Person, wall: dt.datetime, hours: int, address: str, user_agent: str
) -> str:
    """A new session for `person`; returns the secret for the cookie (only its SHA-256 is kept)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            secret_sha256=token_digest(secret),
            person_id=person.id,
            created_at=wall,
            expires_at=wall + dt.timedelta(hours=hours),
            address=address[:64],
            user_agent=user_agent[:255],
        )
    )
    session.flush()
    return secret


def live_session(session: Session, *, secret: str, wall: dt.datetime) -> tuple[WebSession, Person] | None:
    """The session this secret opens and its person, if neither ended, expired nor the account disabled. The
    clock is the real one (never a replayed `--as-of`)."""
    if not secret:
        return None
    found = session.execute(
        select(WebSession, Person)
        .join(Person, Person.id == WebSession.person_id)
        .where(WebSession.secret_sha256 == token_digest(secret))
    ).one_or_none()
    if found is None:
        return None
    web_session, person = found[0], found[1]
    if web_session.ended_at is not None or web_session.expires_at <= wall or not person.active:
        return None
    return web_session, person


# Who is behind a live session or a live API token, as plain values and in one query: the rule of `live_session`
# and of `live_token(kind="api")`, for the pages answered again without loading objects (web.page_cache).
Owner = tuple[int, str, str, int | None, int | None]  # id, name, role, body, unit
_OWNER = select(Person.id, Person.name, Person.role, Person.body_id, Person.unit_id).where(Person.active.is_(True))
_SESSION_OWNER = _OWNER.join(WebSession, WebSession.person_id == Person.id).where(
    WebSession.secret_sha256 == bindparam("digest"),
    WebSession.ended_at.is_(None),
    WebSession.expires_at > bindparam("wall"),
)
_TOKEN_OWNER = _OWNER.join(AccessToken, AccessToken.person_id == Person.id).where(
    AccessToken.token_sha256 == bindparam("digest"), AccessToken.kind == "api", AccessToken.revoked_at.is_(None)
)


def live_owner(session: Session, *, session_secret: str = "", api_token: str = "", wall: dt.datetime) -> Owner | None:
    """The person behind the API token if one is given, else behind the session secret; None if it is not live."""
    if api_token:
        found = session.execute(_TOKEN_OWNER, {"digest": token_digest(api_token)}).first()
    elif session_secret:
        found = session.execute(_SESSION_OWNER, {"digest": token_digest(session_secret), "wall": wall}).first()
    else:
        return None
    return None if found is None else (found[0], found[1], found[2], found[3], found[4])


def end_session(session: Session, *, web_session: WebSession, wall: dt.datetime, why: str) -> None:
    if web_session.ended_at is None:
        web_session.ended_at = wall
        web_session.ended_why = why


def sessions_of(session: Session, *, person: Person, wall: dt.datetime) -> list[WebSession]:
    """The person's sessions still open, newest first."""
    return list(
        session.scalars(
            select(WebSession)
            .where(WebSession.person_id == person.id, WebSession.ended_at.is_(None), WebSession.expires_at > wall)
            .order_by(WebSession.created_at.desc(), WebSession.id.desc())
        )
    )


def end_everything(session: Session, *, person: Person, wall: dt.datetime, why: str) -> tuple[int, int]:
    """Ends every session and revokes every API token and personal calendar address of `person`; returns
    (sessions ended, tokens revoked)."""
    ended = session.execute(
        update(WebSession)
        .where(WebSession.person_id == person.id, WebSession.ended_at.is_(None))
        .values(ended_at=wall, ended_why=why)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    revoked = session.execute(
        update(AccessToken)
        .where(AccessToken.person_id == person.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=wall)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return int(ended or 0), int(revoked or 0)
