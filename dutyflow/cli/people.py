"""`dutyflow person add|list|password|disable|enable|unlock` and `dutyflow token calendar|api|list|revoke`."""

import secrets
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from dutyflow.cli.common import fail, out, settings, transaction
from dutyflow.cli.tables import table, wide_option
from dutyflow.i18n import t

CLI_ACTOR = "cli"
# tasks.people.accounts.Role and MIN_PASSWORD, named here so that help needs no database layer
# (tests/test_cli_tables.py keeps them equal).
ROLES = ("office", "head", "focal", "viewer")
MIN_PASSWORD = 10


def _password(from_stdin: bool) -> tuple[str, bool]:
    """(password, made here). From stdin when asked; otherwise a strong one is made and shown once."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return secrets.token_urlsafe(12), True


def _show_password(login: str, password: str) -> None:
    out.print(t("person.password_once", login=login, password=password), markup=False)


def _toggle(*, active: bool) -> Callable[[str], None]:
    """`person disable` or `person enable`: the same command but for the state it sets (no option exposes it)."""

    def toggle(login: Annotated[str, typer.Argument(help=t("person.opt.login"), show_default=False)]) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import find_person, set_active

        try:
            with transaction() as session:
                person = find_person(session, login=login)
                set_active(session, person=person, active=active, now=runtime.utc_now(), actor=CLI_ACTOR)
        except TransitionError as error:
            fail(explain(error))
        out.print(t("person.enabled" if active else "person.disabled", login=login), markup=False)

    return toggle


def register(app: typer.Typer) -> None:
    person_app = typer.Typer(help=t("person.help"), no_args_is_help=True)
    app.add_typer(person_app, name="person")
    roles = ", ".join(ROLES)

    @person_app.command("add", help=t("person.add.help"))
    def add(
        login: Annotated[str, typer.Argument(help=t("person.opt.login"), show_default=False)],
        name: Annotated[str, typer.Option("--name", help=t("person.opt.name"), show_default=False)],
        role: Annotated[str, typer.Option("--role", help=t("person.opt.role", roles=roles), show_default=False)],
        body: Annotated[str | None, typer.Option("--body", help=t("person.opt.body"))] = None,
        unit: Annotated[str | None, typer.Option("--unit", help=t("person.opt.unit"))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=t("opt.plan"))] = None,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help=t("person.opt.password_stdin", min=MIN_PASSWORD))
        ] = False,
    ) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import Role, add_person

        if role not in ROLES:
            fail(t("person.bad_role", role=role, roles=roles))
        password, made = _password(password_stdin)
        try:
            with transaction() as session:
                person = add_person(
                    session,
                    login=login,
                    name=name,
                    role=Role(role),
                    now=runtime.utc_now(),
                    actor=CLI_ACTOR,
                    body_code=body,
                    unit_code=unit,
                    plan_code=plan,
                    password=password,
                )
                out.print(t("person.added", login=person.login, role=t("role." + role)), markup=False)
        except TransitionError as error:
            fail(explain(error))
        if made:
            _show_password(login.strip().lower(), password)

    @person_app.command("list", help=t("person.list.help"))
    def list_(wide: bool = wide_option()) -> None:
        from sqlalchemy import select

        from models.access import Person
        from models.plan import Body

        columns = ("login", "name", "role", "body", "active") if wide else ("login", "role", "body", "active")
        with transaction(read_only=True) as session:
            bodies = {b.id: b.short_name or b.name for b in session.scalars(select(Body))}
            made = table(*(t("person.col." + c) for c in columns), keep=(t("person.col.login"),))
            for p in session.scalars(select(Person).order_by(Person.login)):
                cells = {
                    "login": p.login,
                    "name": p.name,
                    "role": t("role." + p.role),
                    "body": bodies.get(p.body_id, "") if p.body_id else "",
                    "active": t("person.yes") if p.active else t("person.no"),
                }
                made.add_row(*(cells[c] for c in columns))
        out.print(made)

    @person_app.command("password", help=t("person.password.help"))
    def password(
        login: Annotated[str, typer.Argument(help=t("person.opt.login"), show_default=False)],
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help=t("person.opt.password_stdin", min=MIN_PASSWORD))
        ] = False,
    ) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import find_person, set_password

        new, made = _password(password_stdin)
        try:
            with transaction() as session:
                person = find_person(session, login=login)
                set_password(session, person=person, password=new, now=runtime.utc_now(), actor=CLI_ACTOR)
        except TransitionError as error:
            fail(explain(error))
        out.print(t("person.password_set", login=login), markup=False)
        if made:
            _show_password(login, new)

    person_app.command("disable", help=t("person.disable.help"))(_toggle(active=False))
    person_app.command("enable", help=t("person.enable.help"))(_toggle(active=True))

    @person_app.command("unlock", help=t("person.unlock.help"))
    def unlock_(login: Annotated[str, typer.Argument(help=t("person.opt.login"), show_default=False)]) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import audit, find_person
        from tasks.people.throttle import unlock

        try:
            with transaction() as session:
                person = find_person(session, login=login)
                wall = runtime.utc_now()
                cleared = unlock(session, login=person.login, wall=wall)
                audit(
                    session,
                    person=None,
                    actor=CLI_ACTOR,
                    action="person:unlock",
                    subject=person.login,
                    now=wall,
                    detail={"cleared": cleared},
                )
        except TransitionError as error:
            fail(explain(error))
        out.print(t("person.unlocked", login=login, count=cleared), markup=False)

    token_app = typer.Typer(help=t("token.help"), no_args_is_help=True)
    app.add_typer(token_app, name="token")

    @token_app.command("calendar", help=t("token.calendar.help"))
    def calendar(
        body: Annotated[str | None, typer.Option("--body", help=t("person.opt.body"))] = None,
        person: Annotated[str | None, typer.Option("--person", help=t("person.opt.login"))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=t("opt.plan"))] = None,
    ) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import find_body, find_person, issue_token

        if (body is None) == (person is None):
            fail(t("token.body_or_person"))
        try:
            with transaction() as session:
                owner = find_person(session, login=person) if person else None
                found = find_body(session, code=body, plan_code=plan) if body else None
                token, secret = issue_token(
                    session, kind="calendar", now=runtime.utc_now(), actor=CLI_ACTOR, person=owner, body=found
                )
                token_id = token.id
        except TransitionError as error:
            fail(explain(error))
        url = f"{settings().dashboard_url.rstrip('/')}/calendar/{secret}.ics"
        out.print(t("token.calendar.issued", id=token_id, url=url), markup=False)

    @token_app.command("api", help=t("token.api.help"))
    def api(person: Annotated[str, typer.Option("--person", help=t("person.opt.login"), show_default=False)]) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import find_person, issue_token

        try:
            with transaction() as session:
                owner = find_person(session, login=person)
                token, secret = issue_token(session, kind="api", now=runtime.utc_now(), actor=CLI_ACTOR, person=owner)
                token_id = token.id
        except TransitionError as error:
            fail(explain(error))
        out.print(t("token.api.issued", id=token_id, secret=secret), markup=False)

    @token_app.command("list", help=t("token.list.help"))
    def tokens() -> None:
        from sqlalchemy import select

        from models.access import AccessToken, Person
        from models.plan import Body
        from reports import labels

        with transaction(read_only=True) as session:
            people = {p.id: p.login for p in session.scalars(select(Person))}
            bodies = {b.id: b.code for b in session.scalars(select(Body))}
            made = table(*(t("token.col." + c) for c in ("id", "kind", "owner", "created", "revoked")))
            for tk in session.scalars(select(AccessToken).order_by(AccessToken.id)):
                owner = people.get(tk.person_id or 0) or bodies.get(tk.body_id or 0, "")
                revoked = labels.vn_time(tk.revoked_at) if tk.revoked_at else ""
                made.add_row(str(tk.id), t("token.kind." + tk.kind), owner, labels.vn_time(tk.created_at), revoked)
        out.print(made)

    @token_app.command("revoke", help=t("token.revoke.help"))
    def revoke(token_id: Annotated[int, typer.Argument(help=t("token.opt.id"), show_default=False)]) -> None:
        from dutyflow import runtime
        from dutyflow.refusals import explain
        from tasks.duties.statuses import TransitionError
        from tasks.people.accounts import revoke_token

        try:
            with transaction() as session:
                revoke_token(session, token_id=token_id, now=runtime.utc_now(), actor=CLI_ACTOR)
        except TransitionError as error:
            fail(explain(error))
        out.print(t("token.revoked", id=token_id), markup=False)
