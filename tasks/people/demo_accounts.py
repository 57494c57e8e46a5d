"""Accounts for trying the dashboard on the demo: the steering office, a viewer, each body's focal point, and
each commune's own focal point."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import Person
from models.plan import Body, Plan, Unit
from tasks.people.accounts import Role, add_person

OFFICE_LOGIN = "vanphong"


def demo_people(session: Session, *, plan: Plan) -> list[tuple[str, str, Role, str | None, str | None]]:
    """(login, name, role, body code, unit code): the office, a viewer, one focal point per body (dm-CODE), and
    one per commune unit (dm-UNIT, e.g. dm-xa-ham-giang)."""
    people: list[tuple[str, str, Role, str | None, str | None]] = [
        (OFFICE_LOGIN, "Văn phòng Ban Chỉ đạo", Role.OFFICE, None, None),
        ("xem", "Người xem (chỉ đọc)", Role.VIEWER, None, None),
    ]
    for body in session.scalars(select(Body).where(Body.plan_id == plan.id).order_by(Body.order)):
        people.append((f"dm-{body.code}", f"Đầu mối {body.short_name or body.name}", Role.FOCAL, body.code, None))
    units = session.execute(
        select(Unit, Body.code).join(Body, Body.id == Unit.body_id).where(Body.plan_id == plan.id, Unit.active)
        .order_by(Body.order, Unit.order)
    )  # fmt: skip
    people += [(f"dm-{unit.code}", f"Đầu mối {unit.name}", Role.FOCAL, body, unit.code) for unit, body in units]
    return people


def ensure_demo_accounts(session: Session, *, plan: Plan, now: dt.datetime) -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet, each with a random password; returns
    (login, name, password) of the new ones (the only time their passwords are known)."""
    existing = set(session.scalars(select(Person.login)))
    created = []
    for login, name, role, body, unit in demo_people(session, plan=plan):
        if login in existing:
            continue
        password = secrets.token_urlsafe(9)
        add_person(
            session,
            login=login,
            name=name,
            role=role,
            body_code=body,
            unit_code=unit,
            plan_code=plan.code,
            now=now,
            actor="demo",
            password=password,
        )
        created.append((login, name, password))
    return created


def accounts_block(created: list[tuple[str, str, str]], *, heading: str) -> str:
    """The lines written for the accounts just made: a `# heading` line that says which database they belong
    to and when they were made (a file may gather blocks from several databases), then login, password, name."""
    lines = [f"# {line}" for line in heading.splitlines()]
    lines += [f"{login}\t{password}\t{name}" for login, name, password in created]
    return "\n".join(lines) + "\n"
