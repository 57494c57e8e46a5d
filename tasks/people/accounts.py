"""People who sign in to the dashboard: roles, passwords (argon2id), private tokens, and the audit log."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import AccessToken, AuditEntry, Person
from models.plan import Body, Plan, Unit
from tasks.duties.actions import the_one
from tasks.duties.statuses import TransitionError
from tasks.people.digest import token_digest
from tasks.people.sessions import end_everything

MIN_PASSWORD = 10
_HASHER = PasswordHasher()
# Verified against when the login is unknown, so that a wrong login costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("dutyflow-not-a-password")


class Role(StrEnum):
    OFFICE = "office"  # the steering committee office: sees and changes everything
    HEAD = "head"  # a body's head: their own body
    FOCAL = "focal"  # a body's focal point: their own body
    VIEWER = "viewer"  # reads everything, changes nothing


BODY_ROLES = frozenset({Role.HEAD, Role.FOCAL})


class AccountError(TransitionError):
    """A refused change to an account; `code` names the message."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("account.password_short", min=MIN_PASSWORD)


def find_body(session: Session, *, code: str, plan_code: str | None = None) -> Body:
    query = select(Body).where(Body.code == code)
    if plan_code:
        query = query.join(Plan, Body.plan_id == Plan.id).where(Plan.code == plan_code)
    return the_one(session, query, missing="account.body_unknown", ambiguous="account.body_ambiguous", body=code)


def account_body(session: Session, *, code: str, plan_code: str | None = None) -> Body:
    """The body row an account is tied to: the one in the plan named, or else in the plan loaded first that has
    the code. An account answers for the body of its code in every plan (tasks.people.access.Scope), so when
    several plans share the code, no choice is needed."""
    if plan_code:
        return find_body(session, code=code, plan_code=plan_code)
    query = select(Body).join(Plan, Body.plan_id == Plan.id).where(Body.code == code)
    body = session.scalars(query.order_by(Plan.loaded_at, Plan.id).limit(1)).first()
    if body is None:
        raise AccountError("account.body_unknown", body=code)
    return body


def account_unit(session: Session, *, body: Body, code: str) -> Unit:
    """The commune `code` of the body: in the body's own plan, or else in the first plan whose body of that code
    has it (the account then belongs to that plan's body)."""
    query = (
        select(Unit)
        .join(Body, Body.id == Unit.body_id)
        .join(Plan, Plan.id == Body.plan_id)
        .where(Body.code == body.code, Unit.code == code)
        .order_by(Body.id != body.id, Plan.loaded_at, Plan.id)
    )
    unit = session.scalars(query.limit(1)).first()
    if unit is None:
        raise AccountError("account.unit_unknown", unit=code, body=body.code)
    return unit


def find_person(session: Session, *, login: str) -> Person:
    person = session.scalars(select(Person).where(Person.login == login.strip().lower())).one_or_none()
    if person is None:
        raise AccountError("account.unknown", login=login)
    return person


def add_person(
    session: Session,
    *,
    login: str,
    name: str,
    role: Role,
    now: dt.datetime,
    actor: str,
    body_code: str | None = None,
    plan_code: str | None = None,
    password: str | None = None,
    unit_code: str | None = None,
) -> Person:
    login = login.strip().lower()
    if not login or not login.replace(".", "").replace("-", "").replace("_", "").isalnum() or len(login) > 64:
        raise AccountError("account.bad_login", login=login)
    if session.scalar(select(Person.id).where(Person.login == login)) is not None:
        raise AccountError("account.exists", login=login)
    if not name.strip():
        raise AccountError("account.name_required")
    body = None
    if role in BODY_ROLES:
        if not body_code:
            raise AccountError("account.body_required", role=role.value)
        body = account_body(session, code=body_code, plan_code=plan_code)
    elif body_code:
        raise AccountError("account.body_not_for_role", role=role.value)
    unit = None
    if unit_code:
        if body is None:
            raise AccountError("account.unit_needs_body")
        unit = account_unit(session, body=body, code=unit_code)
        body = unit.body
    if password is not None:
        _check_password(password)
    person = Person(
        login=login,
        name=name.strip(),
        role=role.value,
        body_id=body.id if body else None,
        unit_id=unit.id if unit else None,
        password_hash=_HASHER.hash(password) if password is not None else None,
        active=True,
        created_at=now,
    )
    session.add(person)
    session.flush()
    audit(session, person=None, actor=actor, action="person:add", subject=login, now=now, detail={"role": role.value})
    return person


def set_password(session: Session, *, person: Person, password: str, now: dt.datetime, actor: str) -> None:
    _check_password(password)
    person.password_hash = _HASHER.hash(password)
    ended, revoked = end_everything(session, person=person, wall=now, why="password")
    audit(
        session,
        person=None,
        actor=actor,
        action="person:password",
        subject=person.login,
        now=now,
        detail={"sessions_ended": ended, "tokens_revoked": revoked},
    )


def set_active(session: Session, *, person: Person, active: bool, now: dt.datetime, actor: str) -> None:
    """Disabling ends every session and token of the person; enabling restores none of them."""
    person.active = active
    detail: dict[str, Any] = {}
    if not active:
        ended, revoked = end_everything(session, person=person, wall=now, why="disabled")
        detail = {"sessions_ended": ended, "tokens_revoked": revoked}
    action = "person:enable" if active else "person:disable"
    audit(session, person=None, actor=actor, action=action, subject=person.login, now=now, detail=detail)


def authenticate(session: Session, *, login: str, password: str) -> Person | None:
    """The active person with this login and password, or None (the same work either way)."""
    person = session.scalars(select(Person).where(Person.login == login.strip().lower())).one_or_none()
    stored = person.password_hash if person is not None and person.password_hash else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if person is None or not person.active or not person.password_hash:
        return None
    return person


def issue_token(
    session: Session,
    *,
    kind: str,
    now: dt.datetime,
    actor: str,
    person: Person | None = None,
    body: Body | None = None,
) -> tuple[AccessToken, str]:
    """A new token and its secret, shown once; only its SHA-256 is stored."""
    if (person is None) == (body is None):
        raise ValueError("a token belongs to a person or to a body")
    secret = secrets.token_urlsafe(32)
    token = AccessToken(
        kind=kind,
        token_sha256=token_digest(secret),
        person_id=person.id if person else None,
        body_id=body.id if body else None,
        created_at=now,
        created_by=actor,
    )
    session.add(token)
    session.flush()
    owner = person.login if person else body.code if body else ""
    audit(
        session, person=None, actor=actor, action=f"token:{kind}:issue", subject=owner, now=now, detail={"id": token.id}
    )
    return token, secret


def revoke_token(session: Session, *, token_id: int, now: dt.datetime, actor: str) -> AccessToken:
    token = session.get(AccessToken, token_id)
    if token is None:
        raise AccountError("token.unknown", id=token_id)
    if token.revoked_at is None:
        token.revoked_at = now
        audit(session, person=None, actor=actor, action=f"token:{token.kind}:revoke", subject=str(token.id), now=now)
    return token


def live_token(session: Session, *, secret: str, kind: str) -> AccessToken | None:
    """The unrevoked token of `kind` whose secret this is; an inactive owner's token counts as revoked."""
    token = session.scalars(
        select(AccessToken).where(AccessToken.token_sha256 == token_digest(secret), AccessToken.kind == kind)
    ).one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    if token.person_id is not None:
        owner = session.get(Person, token.person_id)
        if owner is None or not owner.active:
            return None
    return token


def audit(
    session: Session,
    *,
    person: Person | None,
    actor: str,
    action: str,
    subject: str,
    now: dt.datetime,
    detail: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now,
        person_id=person.id if person else None,
        actor=actor,
        action=action,
        subject=subject,
        detail=detail or {},
        note=note,
    )
    session.add(entry)
    return entry


def actor_of(person: Person) -> str:
    """How a signed-in person appears in the status trail: name and login."""
    return f"{person.name} ({person.login})"
