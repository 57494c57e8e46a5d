"""Which reminder or escalation step an occurrence is owed on a day, by the plan's policy. Pure functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from models.planfile import EscalationStep, Policy, RecipientRole
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import CLOSED_FOR_REMINDERS, Status


@dataclass(frozen=True)
class Step:
    """A step of the ladder: `remind-5` (5 working days ahead) or `escalate-2` (the second rung)."""

    name: str
    kind: str  # remind or escalate
    on: dt.date  # the working day it falls due
    days_from_due: int  # working days: negative before the deadline
    roles: tuple[RecipientRole, ...]


def as_policy(policy: Policy | dict[str, Any]) -> Policy:
    return policy if isinstance(policy, Policy) else Policy.model_validate(policy)


def effective_ladder(
    policy: Policy, *, duty_code: str, duty_kind: str, role: str, authority: str
) -> tuple[list[int], list[EscalationStep]]:
    """The reminders and escalation ladder for one occurrence: plan default, then kind, then duty overrides."""
    reminders = list(policy.reminders)
    if role == "input":
        ladder = list(policy.input_escalation)
    elif authority == "requested":
        ladder = list(policy.escalation_requested)
    else:
        ladder = list(policy.escalation)
    for override in (policy.kinds.get(duty_kind), policy.duties.get(duty_code)):  # type: ignore[call-overload]
        if override is None:
            continue
        if override.reminders is not None:
            reminders = list(override.reminders)
        if override.escalation is not None and role != "input":
            ladder = list(override.escalation)
    return reminders, ladder


def ladder_steps(
    *,
    due_on: dt.date,
    reminders: list[int],
    ladder: list[EscalationStep],
    calendar: WorkCalendar,
    live_on: dt.date | None = None,
) -> list[Step]:
    """Every step of the ladder with the working day it falls due, in order.

    An occurrence that became owed (`live_on`) after its first rung's day (funded, loaded, resumed or
    returned late) starts at the first rung on that day and climbs by working days counted from there.
    """
    steps = [
        Step(
            f"remind-{n}",
            "remind",
            calendar.on_or_before(calendar.add_workdays(due_on, -n)),
            -n,
            (RecipientRole.FOCAL_POINT,),
        )
        for n in sorted(set(reminders), reverse=True)
    ]
    days = [calendar.add_workdays(calendar.on_or_before(due_on), rung.after) for rung in ladder]
    if ladder and live_on is not None and (start := calendar.on_or_after(live_on)) > days[0]:
        days = [calendar.add_workdays(start, rung.after - ladder[0].after) for rung in ladder]
    steps += [
        Step(f"escalate-{i}", "escalate", day, rung.after, tuple(rung.to))
        for i, (rung, day) in enumerate(zip(ladder, days, strict=True), start=1)
    ]
    return steps


def step_due(*, steps: list[Step], status: Status, today: dt.date, due_on: dt.date) -> Step | None:
    """The one step to send today, if any.

    Nothing once the occurrence is submitted, accepted, waived, suspended or not applicable. Before or on
    the deadline, the latest reminder whose day has come; after it, the latest rung whose day has come.
    A sweep that missed some days sends the latest step only, not every step it missed.
    """
    if status in CLOSED_FOR_REMINDERS:
        return None
    if today <= due_on:
        candidates = [s for s in steps if s.kind == "remind" and s.on <= today]
    else:
        candidates = [s for s in steps if s.kind == "escalate" and s.on <= today]
    return max(candidates, key=lambda s: (s.on, s.days_from_due)) if candidates else None
