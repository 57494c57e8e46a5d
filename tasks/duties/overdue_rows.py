"""The overdue list's rows read as plain columns: no ORM objects, no JSON columns decoded, one tuple per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, TextClause, select
from sqlalchemy.orm import Session

from models.duty import Duty, Occurrence
from models.plan import Body, Plan, Unit
from tasks.calendar.clock import local_date
from tasks.duties.listing import ROW_COLUMNS, DutyRow, Lead
from tasks.duties.notices import Told
from tasks.duties.statuses import Category


def overdue_query(
    conditions: list[ColumnElement[bool] | TextClause], status: ColumnElement[str], submitted: ColumnElement[Any]
) -> Select[*tuple[Any, ...]]:
    """What a row shows, for the occurrences meeting `conditions`; `status` and `submitted` as of the day."""
    return (
        # the listing's columns, with the status and the submission as of the day
        select(*ROW_COLUMNS[:18], status, submitted, *ROW_COLUMNS[20:])
        .join(Body, Occurrence.body_id == Body.id)
        .join(Duty, Occurrence.duty_id == Duty.id)
        .join(Lead, Duty.body_id == Lead.id)
        .join(Plan, Occurrence.plan_id == Plan.id)
        .outerjoin(Unit, Occurrence.unit_id == Unit.id)
        .where(*conditions)
    )


def overdue_rows(found: Iterable[Sequence[Any]], as_of: dt.date) -> list[DutyRow]:
    """The rows `listing.list_duties` makes, for rows of `overdue_query`, all overdue on `as_of`."""
    overdue = Category.OVERDUE.value
    return [
        DutyRow(
            occurrence_id=r[0],
            key=r[1],
            plan=r[2],
            body_code=r[3],
            body_name=r[4],
            body_short_name=r[5],
            body_order=r[6],
            unit_code=r[7],
            unit_name=r[8],
            duty_code=r[9],
            duty_text=r[10],
            duty_role=r[11],
            kind=r[12],
            role=r[13],
            period=r[14],
            period_start=r[15],
            period_end=r[16],
            due_on=r[17],
            status=r[18],
            category=overdue,
            days_left=(r[17] - as_of).days,
            submitted_on=local_date(r[19]) if r[19] else None,
            lead_body_name=r[20] if r[13] == "input" else None,
            lead_body_short_name=r[21] if r[13] == "input" else None,
        )
        for r in found
    ]


def occurrence_query(
    conditions: list[ColumnElement[bool] | TextClause], status: ColumnElement[str], submitted: ColumnElement[Any]
) -> Select[*tuple[Any, ...]]:
    """The occurrences' own columns only, for a long list: names come from `Names`, not from a join per row."""
    return select(
        Occurrence.id,
        Occurrence.key,
        Occurrence.plan_id,
        Occurrence.body_id,
        Occurrence.unit_id,
        Occurrence.duty_id,
        Occurrence.role,
        Occurrence.period,
        Occurrence.period_start,
        Occurrence.period_end,
        Occurrence.due_on,
        status,
        submitted,
    ).where(*conditions)


@dataclass(frozen=True)
class Names:
    """The small tables a row names, read once: plans, bodies, units and duties by id."""

    plans: dict[int, str]
    bodies: dict[int, tuple[str, str, str | None, int]]
    units: dict[int, tuple[str, str]]
    duties: dict[int, tuple[str, str, str, str, int]]

    @classmethod
    def read(cls, session: Session) -> Names:
        return cls(
            {r[0]: r[1] for r in session.execute(select(Plan.id, Plan.code))},
            {r[0]: r[1:] for r in session.execute(select(Body.id, Body.code, Body.name, Body.short_name, Body.order))},
            {r[0]: r[1:] for r in session.execute(select(Unit.id, Unit.code, Unit.name))},
            {
                r[0]: r[1:]
                for r in session.execute(select(Duty.id, Duty.code, Duty.text, Duty.role, Duty.kind, Duty.body_id))
            },
        )


def named_rows(found: Iterable[Sequence[Any]], as_of: dt.date, names: Names, told: dict[int, Told]) -> list[DutyRow]:
    """`overdue_rows` for rows of `occurrence_query`, with who had been told (`told_by`): each row made once."""
    rows = []
    nobody = Told(None, None)
    for occ_id, key, plan_id, body_id, unit_id, duty_id, role, period, start, end, due, status, submitted in found:
        body = names.bodies[body_id]
        unit = names.units[unit_id] if unit_id is not None else (None, None)
        duty = names.duties[duty_id]
        lead = names.bodies[duty[4]] if role == "input" else None
        notice = told.get(occ_id, nobody)
        rows.append(
            DutyRow(
                occurrence_id=occ_id,
                key=key,
                plan=names.plans[plan_id],
                body_code=body[0],
                body_name=body[1],
                body_short_name=body[2],
                body_order=body[3],
                unit_code=unit[0],
                unit_name=unit[1],
                duty_code=duty[0],
                duty_text=duty[1],
                duty_role=duty[2],
                kind=duty[3],
                role=role,
                period=period,
                period_start=start,
                period_end=end,
                due_on=due,
                status=status,
                category=Category.OVERDUE.value,
                days_left=(due - as_of).days,
                submitted_on=local_date(submitted) if submitted else None,
                told_step=notice.escalation,
                told_at=notice.last_at,
                lead_body_name=lead[1] if lead else None,
                lead_body_short_name=lead[2] if lead else None,
            )
        )
    return rows
