"""Who may see and change what: one set of rules for the dashboard's pages and its JSON API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select

from models.access import Person
from models.duty import Occurrence
from models.plan import Body, Unit
from tasks.people.accounts import BODY_ROLES, Role


class Forbidden(Exception):
    """The signed-in person may not see or do this."""


@dataclass(frozen=True)
class Scope:
    """What a head or focal point answers for, by code: their body in every plan that has a body of that code,
    or, for a commune's own people, their commune (a unit of that code) in every plan that has it. An account
    is tied to one body row (the plan it was made in), but the same body in another plan is the same office."""

    body_code: str
    unit_code: str | None = None

    def body_ids(self) -> Select[int]:
        """The bodies of every plan that owe what this scope answers for (a commune's: those it is a unit of)."""
        if self.unit_code is None:
            return select(Body.id).where(Body.code == self.body_code)
        return select(Unit.body_id).where(Unit.code == self.unit_code)

    def unit_ids(self) -> Select[int]:
        return select(Unit.id).where(Unit.code == self.unit_code)

    def occurrences(self) -> ColumnElement[bool]:
        """The occurrences in scope, in every plan."""
        if self.unit_code is None:
            return Occurrence.body_id.in_(self.body_ids())
        return Occurrence.unit_id.in_(self.unit_ids())

    def covers(self, occurrence: Occurrence) -> bool:
        if self.unit_code is not None:
            return occurrence.unit is not None and occurrence.unit.code == self.unit_code
        return occurrence.body.code == self.body_code


def sees_everything(person: Person) -> bool:
    return person.role in (Role.OFFICE.value, Role.VIEWER.value)


def may_change(person: Person) -> bool:
    return person.role != Role.VIEWER.value


def body_scope(person: Person) -> Scope | None:
    """The body (or commune) a head or focal point sees, in every plan; None for those who see every body."""
    if sees_everything(person):
        return None
    if Role(person.role) in BODY_ROLES and person.body is not None:
        return Scope(person.body.code, person.unit.code if person.unit is not None else None)
    raise Forbidden  # a body role without a body sees nothing


def answers_for(person: Person, occurrence: Occurrence) -> bool:
    """Whether the occurrence is owed by the person's own body or commune (in any plan): the office is not."""
    if sees_everything(person):
        return False
    try:
        scope = body_scope(person)
    except Forbidden:
        return False
    return scope is not None and scope.covers(occurrence)


def sees(person: Person, occurrence: Occurrence) -> bool:
    """Whether the person may open the occurrence (the same rule as `require_occurrence`, as a yes or no)."""
    return sees_everything(person) or answers_for(person, occurrence)


def require_office_view(person: Person) -> None:
    """The steering office's views: overview, overdue list, deliveries, reports, indicators."""
    if not sees_everything(person):
        raise Forbidden


def require_body(person: Person, body: Body, *, change: bool = False) -> None:
    """The whole body's views and changes (in any plan): its own people, not a commune's (who see only their
    commune)."""
    scope = body_scope(person)
    if scope is not None and (scope.unit_code is not None or scope.body_code != body.code):
        raise Forbidden
    if change and not may_change(person):
        raise Forbidden


def require_occurrence(person: Person, occurrence: Occurrence, *, change: bool = False) -> None:
    """One occurrence: its body's people; a commune's own people only for their commune's."""
    scope = body_scope(person)
    if scope is not None and not scope.covers(occurrence):
        raise Forbidden
    if change and not may_change(person):
        raise Forbidden


def require_office(person: Person) -> None:
    """Decisions only the steering office takes: accept, reject, waive, suspend."""
    if person.role != Role.OFFICE.value:
        raise Forbidden


def require_reporter(person: Person) -> None:
    """Indicator values come from the office or a body's people, never from a viewer."""
    if not may_change(person):
        raise Forbidden
