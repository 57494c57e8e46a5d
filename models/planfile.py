"""The plan file's schema: a Kế hoạch as YAML, validated by pydantic."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Number = Annotated[float, Field(strict=True)]
# A channel is a reference to where the address lives, never the address itself:
# `env:NAME` (an environment variable) or `contacts:KEY` (an entry of the contacts file).
ChannelRef = Annotated[str, Field(pattern=r"^(env:[A-Z][A-Z0-9_]{0,99}|contacts:[a-z0-9][a-z0-9._-]{0,99})$")]


class Role(StrEnum):
    LEAD = "lead"  # Chủ trì
    SUPPORT = "support"  # Phối hợp
    ADVISE = "advise"  # Tham mưu


class DutyKind(StrEnum):
    REPORT = "report"
    REVIEW = "review"  # sơ kết, tổng kết
    SURVEY = "survey"  # rà soát, khảo sát, điều tra
    CARD_ISSUANCE = "card_issuance"  # lập danh sách, cấp thẻ BHYT
    TRAINING = "training"  # tập huấn, bồi dưỡng
    COMMUNICATION = "communication"  # tuyên truyền, vận động, hội thi
    APPRAISAL = "appraisal"  # thẩm định, phê duyệt
    INSPECTION = "inspection"  # kiểm tra, giám sát
    DISBURSEMENT = "disbursement"  # giải ngân, cho vay, quyết toán
    IMPLEMENTATION = "implementation"  # triển khai chính sách
    PLANNING = "planning"  # xây dựng kế hoạch, giao chỉ tiêu
    COMMENDATION = "commendation"  # biểu dương, khen thưởng


class BodyKind(StrEnum):
    DIVISION = "division"  # Phòng chuyên môn of the committee
    PUBLIC_SERVICE_UNIT = "public_service_unit"  # Trung tâm of the committee
    BRANCH_AGENCY = "branch_agency"  # office of a higher-level agency
    COMMUNE_COMMITTEES = "commune_committees"  # UBND các xã, thị trấn: many units
    FRONT = "front"  # Mặt trận Tổ quốc and mass organisations


class Authority(StrEnum):
    ORDERED = "ordered"  # inside the committee's apparatus: it assigns and escalates
    REQUESTED = "requested"  # outside it ("Đề nghị"): follow-up goes through the steering office


class ContactRole(StrEnum):
    FOCAL_POINT = "focal_point"
    HEAD = "head"
    OFFICE = "office"
    SIGNER = "signer"


class PeriodKind(StrEnum):
    """The kinds of reporting period; a cadence in the plan file names them."""

    MONTH = "month"
    QUARTER = "quarter"
    H1 = "H1"
    H2 = "H2"
    NINE_MONTHS = "9M"
    YEAR = "year"
    ONCE = "once"


CadenceToken = PeriodKind


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Cadence(_Strict):
    periods: Annotated[list[CadenceToken], Field(min_length=1)]
    months: list[Annotated[int, Field(ge=1, le=12)]] | None = None
    dates: list[dt.date] | None = None
    assumed: bool = False
    note: str | None = None


class WorkdaysAfterCutoff(_Strict):
    kind: Literal["workdays_after_cutoff"]
    days: Annotated[int, Field(ge=0, le=60)]
    assumed: bool = False
    note: str | None = None


class BeforeDay(_Strict):
    """ "trước ngày 20/12": due on the last working day before that day of the period's year."""

    kind: Literal["before_day"]
    day: Annotated[int, Field(ge=1, le=31)]
    month: Annotated[int, Field(ge=1, le=12)]
    assumed: bool = False
    note: str | None = None


class OnDate(_Strict):
    kind: Literal["on_date"]
    date: dt.date
    assumed: bool = False
    note: str | None = None


DueRule = Annotated[WorkdaysAfterCutoff | BeforeDay | OnDate, Field(discriminator="kind")]


class Duty(_Strict):
    code: Code
    text: Text
    role: Role
    kind: DutyKind
    support_bodies: list[Code] = Field(default_factory=list)
    other_partners: list[str] = Field(default_factory=list)
    legal_basis: list[str] = Field(default_factory=list)
    cadence: Cadence
    due_rule: DueRule
    condition: Literal["funding"] | None = None
    condition_text: str | None = None
    support_lead_workdays: Annotated[int, Field(ge=0, le=60)] | None = None
    notes: str | None = None
    review: list[str] = Field(default_factory=list)  # fields a person must still confirm (set by the importer)


class Unit(_Strict):
    code: Code
    name: Text
    kind: Literal["town", "commune", "ward"]


class Contact(_Strict):
    code: Code
    role: ContactRole
    name: Text
    title: str | None = None
    channel: ChannelRef
    unit: Code | None = None  # a commune's own focal point, for the body that stands for many units


class Body(_Strict):
    code: Code
    order: Annotated[int, Field(ge=1)]
    name: Text
    short_name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    kind: BodyKind
    authority: Authority
    units: list[Unit] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    review: list[str] = Field(default_factory=list)


class Basis(_Strict):
    number: Text
    issued_on: dt.date
    issuer: Text
    title: Text


class Signer(_Strict):
    name: Text
    title: Text
    contact: Code


class PlanHeader(_Strict):
    code: Code
    number: Text
    title: Text
    issuer: Text
    place: Text
    issued_on: dt.date
    year: Annotated[int, Field(ge=1900, le=2200)]
    signer: Signer
    bases: list[Basis] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    review: list[str] = Field(default_factory=list)


class PlanCalendar(_Strict):
    support_lead_workdays: Annotated[int, Field(ge=0, le=60)] | None = None


class TargetReporter(_Strict):
    """The body that reports a target's figures; `assumed` when the document does not say (the programme's lead)."""

    body: Code
    assumed: bool = False
    note: str | None = None


class Target(_Strict):
    code: Code
    name: Text
    value: Number
    unit: Text
    value_text: str | None = None
    direction: Literal["reduce", "reach"] = "reach"
    condition: str | None = None
    note: str | None = None
    reported_by: TargetReporter | None = None  # absent: only the steering office reports it
    review: list[str] = Field(default_factory=list)


class BaselineFigure(_Strict):
    code: Code
    name: Text
    value: Number
    unit: Text
    value_text: str | None = None
    of: str | None = None
    note: str | None = None
    review: list[str] = Field(default_factory=list)


class RecipientRole(StrEnum):
    FOCAL_POINT = "focal_point"  # the owing body's focal points
    HEAD = "head"  # the owing body's head
    OFFICE = "office"  # the steering committee office
    SIGNER = "signer"  # the vice-chairman who signed the plan
    LEAD_FOCAL_POINT = "lead_focal_point"  # for a support input: the lead body's focal point


class EscalationStep(_Strict):
    after: Annotated[int, Field(ge=0, le=60)]  # working days after the due date
    to: Annotated[list[RecipientRole], Field(min_length=1)]


def _ladder(*steps: tuple[int, list[RecipientRole]]) -> list[EscalationStep]:
    return [EscalationStep(after=after, to=to) for after, to in steps]


R = RecipientRole


class OfficeHours(_Strict):
    start: dt.time = dt.time(7, 30)
    end: dt.time = dt.time(17, 0)


class DigestPolicy(_Strict):
    """While an occurrence stays overdue, its people hear of it again at least every `every_workdays`."""

    every_workdays: Annotated[int, Field(ge=1, le=60)] = 5
    body_to: list[RecipientRole] = Field(default_factory=lambda: [R.FOCAL_POINT, R.HEAD])  # each their own items
    office_to: list[RecipientRole] = Field(default_factory=lambda: [R.OFFICE])  # counts over every body
    oldest: Annotated[int, Field(ge=1, le=100)] = 10  # items the office digest names one by one


class PolicyOverride(_Strict):
    reminders: list[Annotated[int, Field(ge=0, le=60)]] | None = None
    escalation: list[EscalationStep] | None = None


class Policy(_Strict):
    """When people are reminded before a deadline and whom an overdue duty climbs to."""

    reminders: list[Annotated[int, Field(ge=0, le=60)]] = Field(default_factory=lambda: [5, 2, 0])
    escalation: list[EscalationStep] = Field(
        default_factory=lambda: _ladder((1, [R.FOCAL_POINT, R.HEAD]), (3, [R.OFFICE]), (5, [R.SIGNER]))
    )
    # Bodies the committee only requests ("Đề nghị") are followed up through the steering office.
    escalation_requested: list[EscalationStep] = Field(
        default_factory=lambda: _ladder((1, [R.FOCAL_POINT, R.OFFICE]), (3, [R.OFFICE]))
    )
    input_escalation: list[EscalationStep] = Field(
        default_factory=lambda: _ladder((1, [R.FOCAL_POINT, R.LEAD_FOCAL_POINT]))
    )
    office_hours: OfficeHours = Field(default_factory=OfficeHours)
    digest: DigestPolicy = Field(default_factory=DigestPolicy)
    kinds: dict[DutyKind, PolicyOverride] = Field(default_factory=dict)
    duties: dict[Code, PolicyOverride] = Field(default_factory=dict)


class PlanFile(_Strict):
    schema_version: Literal[1]
    plan: PlanHeader
    calendar: PlanCalendar = Field(default_factory=PlanCalendar)
    policy: Policy = Field(default_factory=Policy)
    contacts: list[Contact] = Field(default_factory=list)
    bodies: Annotated[list[Body], Field(min_length=1)]
    targets: list[Target] = Field(default_factory=list)
    baseline: list[BaselineFigure] = Field(default_factory=list)

    def all_contacts(self) -> list[Contact]:
        return [*self.contacts, *(c for body in self.bodies for c in body.contacts)]

    def all_duties(self) -> list[tuple[Body, Duty]]:
        return [(body, duty) for body in self.bodies for duty in body.duties]
