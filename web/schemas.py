"""What the JSON API answers and accepts, described for its OpenAPI document."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class DutyRowOut(BaseModel):
    occurrence_id: int
    key: str
    plan: str
    body_code: str
    body_name: str
    unit_code: str | None
    unit_name: str | None
    duty_code: str
    duty_text: str
    kind: str
    role: str
    period: str
    due_on: dt.date
    status: str
    category: str
    days_left: int
    submitted_on: dt.date | None
    told_step: str | None
    told_at: dt.datetime | None


class OverduePageOut(BaseModel):
    as_of: dt.date
    total: int
    page: int
    per_page: int
    rows: list[DutyRowOut]


class BodyLineOut(BaseModel):
    body_id: int
    body_code: str
    body_name: str
    counts: dict[str, int]
    total: int


class PlanLineOut(BaseModel):
    plan_code: str
    title: str
    counts: dict[str, int]
    total: int


class OverviewOut(BaseModel):
    plan: str | None
    as_of: dt.date
    bodies: list[BodyLineOut]
    plans: list[PlanLineOut] = []  # with several plans and none asked for: a line per plan instead of bodies


class EventOut(BaseModel):
    at: dt.datetime
    actor: str
    from_status: str
    to_status: str
    note: str | None


class NoticeOut(BaseModel):
    step: str
    recipient: str
    status: str
    sent_at: dt.datetime | None
    deliveries: list[tuple[str, bool, str | None]]
    acknowledged_by: list[str]


class EvidenceOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class OccurrenceOut(BaseModel):
    id: int
    key: str
    body_code: str
    unit_code: str | None
    duty_code: str
    duty_text: str
    period: str
    due_on: dt.date
    status: str
    events: list[EventOut]
    notices: list[NoticeOut]
    evidence: list[EvidenceOut]


class DecisionIn(BaseModel):
    action: str = Field(pattern="^(accept|reject|waive|suspend|resume)$")
    note: str | None = Field(default=None, max_length=4000)


class ValueIn(BaseModel):
    target: str = Field(max_length=64)
    scope: str = Field(default="-", max_length=64)
    period: str = Field(max_length=16)
    value: str = Field(max_length=32, description="A number, Vietnamese style allowed: 1.234,5")
    note: str | None = Field(default=None, max_length=4000)
    plan: str | None = Field(
        default=None,
        max_length=64,
        description="The plan's code; if left out, the plan loaded last of those the person reports for",
    )


class FailedOut(BaseModel):
    id: int
    recipient: str
    step: str
    status: str  # failed, partial (some addresses refused for good) or sending past its lease (stuck)
    occurrence_id: int | None
    report_id: int | None
    attempts: int
    last_error: str | None
    created_at: dt.datetime


class ReportOut(BaseModel):
    id: int
    period: str
    version: int
    draft: bool
    compiled_at: dt.datetime
    formats: list[str]


class Problem(BaseModel):
    code: str
    detail: str
