"""The sign-in throttle: after LIMIT failed tries within WINDOW for one login or from one client address, the
form refuses further tries for a while (429) without checking the password, a while that doubles with each
further try, up to WINDOW. Every try is written before the password is checked, so guesses sent in parallel
count against each other. The office lifts a lock with `dutyflow person unlock LOGIN`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.access import SignInAttempt

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)
FIRST_WAIT = dt.timedelta(seconds=60)
COUNTED = ("failed", "refused")


@dataclass(frozen=True)
class Lock:
    until: dt.datetime
    failures: int

    def retry_after(self, wall: dt.datetime) -> int:
        """Whole seconds to wait, for the Retry-After header."""
        return max(1, math.ceil((self.until - wall).total_seconds()))


def _wait(failures: int) -> dt.timedelta:
    wait: dt.timedelta = FIRST_WAIT * 2 ** max(0, failures - LIMIT)
    return min(wait, WINDOW)


def lock_on(session: Session, *, login: str, address: str, wall: dt.datetime) -> Lock | None:
    """The lock on this login or this address now, if any (the later of the two)."""
    since = wall - WINDOW
    locks = []
    for column, value in ((SignInAttempt.login, login), (SignInAttempt.address, address)):
        if not value:
            continue
        times = list(
            session.scalars(
                select(SignInAttempt.at).where(
                    column == value,
                    SignInAttempt.at > since,
                    SignInAttempt.outcome.in_(COUNTED),
                    SignInAttempt.cleared_at.is_(None),
                )
            )
        )
        if len(times) >= LIMIT:
            until = max(times) + _wait(len(times))
            if until > wall:
                locks.append(Lock(until=until, failures=len(times)))
    return max(locks, key=lambda lock: lock.until, default=None)


def record_try(session: Session, *, login: str, address: str, wall: dt.datetime, outcome: str) -> SignInAttempt:
    attempt = SignInAttempt(at=wall, login=login[:64], address=address[:64], outcome=outcome)
    session.add(attempt)
    session.flush()
    return attempt


def unlock(session: Session, *, login: str, wall: dt.datetime) -> int:
    """Clears the counted tries for this login (they no longer count against their address either); returns
    how many."""
    cleared = session.execute(
        update(SignInAttempt)
        .where(
            SignInAttempt.login == login,
            SignInAttempt.outcome.in_(COUNTED),
            SignInAttempt.cleared_at.is_(None),
        )
        .values(cleared_at=wall)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return int(cleared or 0)
