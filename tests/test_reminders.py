"""The reminder and escalation ladder, and office hours: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from models.planfile import Policy, PolicyOverride, RecipientRole
from tasks.calendar.workdays import WorkCalendar
from tasks.duties.statuses import Status
from tasks.reminders.config import office_window
from tasks.reminders.policy import effective_ladder, ladder_steps, step_due

D = dt.date
CAL = WorkCalendar()
DUE = D(2023, 6, 20)  # a Tuesday
R = RecipientRole


def _steps(role: str = "own", authority: str = "ordered", policy: Policy | None = None) -> list:  # type: ignore[type-arg]
    reminders, ladder = effective_ladder(
        policy or Policy(), duty_code="tuphap-1", duty_kind="implementation", role=role, authority=authority
    )
    return ladder_steps(due_on=DUE, reminders=reminders, ladder=ladder, calendar=CAL)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2023, 6, 12), None),
        (D(2023, 6, 13), "remind-5"),
        (D(2023, 6, 15), "remind-5"),
        (D(2023, 6, 16), "remind-2"),
        (D(2023, 6, 20), "remind-0"),
        (D(2023, 6, 21), "escalate-1"),
        (D(2023, 6, 23), "escalate-2"),
        (D(2023, 6, 27), "escalate-3"),
        (D(2023, 9, 1), "escalate-3"),
    ],
)
def test_the_default_ladder_reminds_at_5_2_0_and_escalates_after_1_3_5_working_days(
    today: dt.date, expected: str | None
) -> None:
    step = step_due(steps=_steps(), status=Status.OPEN, today=today, due_on=DUE)
    assert (step.name if step else None) == expected


def test_escalation_climbs_from_the_body_to_the_office_to_the_vice_chairman() -> None:
    rungs = [s for s in _steps() if s.kind == "escalate"]
    assert [s.roles for s in rungs] == [(R.FOCAL_POINT, R.HEAD), (R.OFFICE,), (R.SIGNER,)]


def test_a_requested_body_is_followed_up_through_the_steering_office() -> None:
    rungs = [s for s in _steps(authority="requested") if s.kind == "escalate"]
    assert [s.roles for s in rungs] == [(R.FOCAL_POINT, R.OFFICE), (R.OFFICE,)]
    assert all(R.SIGNER not in s.roles and R.HEAD not in s.roles for s in rungs)


def test_an_overdue_support_input_goes_to_the_lead_body_s_focal_point() -> None:
    rungs = [s for s in _steps(role="input") if s.kind == "escalate"]
    assert [s.roles for s in rungs] == [(R.FOCAL_POINT, R.LEAD_FOCAL_POINT)]


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.ACCEPTED, Status.WAIVED, Status.SUSPENDED, Status.NOT_APPLICABLE]
)
def test_the_ladder_stops_once_the_occurrence_is_closed(status: Status) -> None:
    assert step_due(steps=_steps(), status=status, today=D(2023, 6, 23), due_on=DUE) is None


def test_a_rejected_result_keeps_the_ladder_going() -> None:
    step = step_due(steps=_steps(), status=Status.REJECTED, today=D(2023, 6, 23), due_on=DUE)
    assert step is not None and step.name == "escalate-2"


def test_overrides_by_kind_then_by_duty() -> None:
    policy = Policy(
        kinds={"implementation": PolicyOverride(reminders=[10, 1])},
        duties={"tuphap-1": PolicyOverride(escalation=[{"after": 2, "to": ["office"]}])},
    )
    steps = _steps(policy=policy)
    assert [s.name for s in steps] == ["remind-10", "remind-1", "escalate-1"]
    assert steps[-1].on == D(2023, 6, 22) and steps[-1].roles == (R.OFFICE,)


def test_a_reminder_before_a_holiday_falls_on_the_working_day_before_it() -> None:
    reminders, ladder = effective_ladder(Policy(), duty_code="x", duty_kind="report", role="own", authority="ordered")
    steps = ladder_steps(due_on=D(2023, 5, 5), reminders=reminders, ladder=ladder, calendar=CAL)
    assert steps[0].on == D(2023, 4, 25)  # 5 working days before Friday 5/5, over 29/4-3/5


VN = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(
    ("local", "expected_local"),
    [
        (dt.datetime(2023, 6, 13, 8, 0, tzinfo=VN), dt.datetime(2023, 6, 13, 8, 0, tzinfo=VN)),
        (dt.datetime(2023, 6, 13, 6, 0, tzinfo=VN), dt.datetime(2023, 6, 13, 7, 30, tzinfo=VN)),
        (dt.datetime(2023, 6, 13, 18, 0, tzinfo=VN), dt.datetime(2023, 6, 14, 7, 30, tzinfo=VN)),
        (dt.datetime(2023, 6, 17, 9, 0, tzinfo=VN), dt.datetime(2023, 6, 19, 7, 30, tzinfo=VN)),  # Saturday
        (dt.datetime(2023, 4, 28, 17, 30, tzinfo=VN), dt.datetime(2023, 5, 4, 7, 30, tzinfo=VN)),  # holidays
    ],
)
def test_messages_wait_for_office_hours_on_a_working_day(local: dt.datetime, expected_local: dt.datetime) -> None:
    assert office_window(local.astimezone(dt.UTC), CAL, Policy().office_hours) == expected_local.astimezone(dt.UTC)


def test_links_in_messages_point_where_the_dashboard_listens_unless_a_public_address_is_set() -> None:
    from dutyflow.settings import Settings

    assert Settings(web_port=8311).dashboard_url == "http://127.0.0.1:8311"
    assert Settings(web_host="0.0.0.0", web_port=9000).dashboard_url == "http://127.0.0.1:9000"
    assert Settings(web_port=8311, dashboard_url="https://nhacviec.tracu.gov.vn").dashboard_url.endswith(".gov.vn")
