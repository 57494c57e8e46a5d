"""Who may see and change what: one set of rules for the dashboard's pages and its JSON API."""

from __future__ import annotations

from models.access import Person
from models.duty import Occurrence
from tasks.people.accounts import BODY_ROLES, Role


class Forbidden(Exception):
    """The signed-in person may not see or do this."""


def sees_everything(person: Person) -> bool:
    return person.role in (Role.OFFICE.value, Role.VIEWER.value)


def may_change(person: Person) -> bool:
    return person.role != Role.VIEWER.value


def body_scope(person: Person) -> int | None:
    """The one body a head or focal point sees; None for those who see every body."""
    if sees_everything(person):
        return None
    if Role(person.role) in BODY_ROLES and person.body_id is not None:
        return person.body_id
    raise Forbidden  # a body role without a body sees nothing


def require_office_view(person: Person) -> None:
    """The steering office's views: overview, overdue list, deliveries, reports, indicators."""
    if not sees_everything(person):
        raise Forbidden


def require_body(person: Person, body_id: int, *, change: bool = False) -> None:
    """The whole body's views and changes: its own people, not a commune's (who see only their commune)."""
    scope = body_scope(person)
    if scope is not None and (scope != body_id or person.unit_id is not None):
        raise Forbidden
    if change and not may_change(person):
        raise Forbidden


def require_occurrence(person: Person, occurrence: Occurrence, *, change: bool = False) -> None:
    """One occurrence: its body's people; a commune's own people only for their commune's."""
    scope = body_scope(person)
    if scope is not None and scope != occurrence.body_id:
        raise Forbidden
    if person.unit_id is not None and occurrence.unit_id != person.unit_id:
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
