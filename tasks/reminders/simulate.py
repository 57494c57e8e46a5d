"""Plays a stretch of days: a sweep each working morning, focal points submitting on random days."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from models.duty import Occurrence
from notifications.channels import ChannelBook
from tasks.calendar.clock import VN_TZ
from tasks.duties.statuses import Action, Status, TransitionError, transition
from tasks.reminders.config import SessionMaker, SweepConfig
from tasks.reminders.sweep import sweep

SWEEP_AT = dt.time(7, 30)
SUBMIT_AT = dt.time(10, 0)
ACCEPT_AT = dt.time(15, 0)


@dataclass
class SimulationResult:
    days: int = 0
    sweeps: int = 0
    sent: int = 0
    failed: int = 0
    submitted: int = 0
    accepted: int = 0


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=VN_TZ).astimezone(dt.UTC)


def simulate(
    make_session: SessionMaker,
    *,
    start: dt.date,
    end: dt.date,
    submit_rate: float,
    seed: int,
    book: ChannelBook,
    config: SweepConfig,
    worker: str,
    progress: Callable[[dt.date], None] | None = None,
) -> SimulationResult:
    """Each working day from `start` to `end`: a sweep at 07:30; at 10:00 each open occurrence whose
    period has closed submits with probability `submit_rate`; at 15:00 the office accepts half of what
    waits. The same seed plays the same year."""
    if not 0 <= submit_rate <= 1:
        raise ValueError("submit_rate must be between 0 and 1")
    rng = random.Random(seed)
    result = SimulationResult()
    day = start
    while day <= end:
        result.days += 1
        if config.calendar.is_working_day(day):
            report = sweep(make_session, now=_at(day, SWEEP_AT), book=book, config=config, worker=worker)
            result.sweeps += 1
            result.sent += report.sent
            result.failed += report.failed
            result.submitted += _act(make_session, day, Status.OPEN, Action.SUBMIT, submit_rate, rng, "Đầu mối")
            result.submitted += _act(make_session, day, Status.REJECTED, Action.SUBMIT, submit_rate, rng, "Đầu mối")
            result.accepted += _act(make_session, day, Status.SUBMITTED, Action.ACCEPT, 0.5, rng, "Văn phòng BCĐ")
        if progress:
            progress(day)
        day += dt.timedelta(days=1)
    return result


def _act(
    make_session: SessionMaker,
    day: dt.date,
    status: Status,
    action: Action,
    rate: float,
    rng: random.Random,
    actor: str,
) -> int:
    moment = _at(day, SUBMIT_AT if action is Action.SUBMIT else ACCEPT_AT)
    done = 0
    with make_session() as session, session.begin():
        candidates = session.scalars(
            select(Occurrence)
            .where(Occurrence.status == status.value, Occurrence.period_end < day)
            .order_by(Occurrence.id)
        ).all()
        for occurrence in candidates:
            if rng.random() >= rate:
                continue
            try:
                transition(session, occurrence=occurrence, action=action, actor=f"{actor} (mô phỏng)", now=moment)
                done += 1
            except TransitionError:
                continue  # someone acted first; the simulation moves on
    return done
