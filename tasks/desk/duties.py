"""What a signed-in person does to an occurrence: submit with a note and evidence, decide, acknowledge a reminder."""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import Acknowledgement, Evidence, Person
from models.duty import Occurrence, StatusEvent
from models.outbox import OutboxMessage
from models.plan import Contact
from tasks.duties.evidence import check_quota, check_upload, store_evidence
from tasks.duties.statuses import Action, TransitionError, transition
from tasks.people.access import Forbidden, answers_for
from tasks.people.accounts import actor_of, audit

MAX_NOTE = 4000


def act(
    session: Session,
    *,
    occurrence: Occurrence,
    action: Action,
    person: Person,
    now: dt.datetime,
    note: str | None = None,
    upload: tuple[str, bytes] | None = None,
    max_bytes: int,
    daily_quota: int | None = None,
) -> tuple[StatusEvent, Evidence | None]:
    """Change the status as `person`; the file is checked before anything changes, and stored with the event."""
    note = unicodedata.normalize("NFC", note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise TransitionError("web.note_too_long", max=MAX_NOTE)
    if upload is not None:
        check_upload(upload[0], upload[1], max_bytes=max_bytes)  # refused before the status moves
        if daily_quota is not None:
            check_quota(session, person=person, size=len(upload[1]), now=now, quota=daily_quota)
    event = transition(session, occurrence=occurrence, action=action, actor=actor_of(person), now=now, note=note)
    evidence = None
    if upload is not None:
        evidence = store_evidence(
            session,
            occurrence_id=occurrence.id,
            filename=upload[0],
            data=upload[1],
            max_bytes=max_bytes,
            person=person,
            now=now,
            event_id=event.id,
        )
    audit(
        session,
        person=person,
        actor=actor_of(person),
        action=f"occurrence:{action.value}",
        subject=occurrence.key,
        now=now,
        detail={"occurrence": occurrence.id, "evidence": evidence.id if evidence else None},
        note=note,
    )
    return event, evidence


def acknowledge(session: Session, *, occurrence: Occurrence, person: Person, now: dt.datetime) -> int:
    """Mark every message sent to the owing body about this occurrence as received; how many were new.
    Only the people of the body it was sent to acknowledge it (in whichever plan it is; not the office, not
    another body)."""
    if not answers_for(person, occurrence):
        raise Forbidden
    query = (
        select(OutboxMessage.id)
        .join(Contact, Contact.id == OutboxMessage.contact_id)
        .where(
            OutboxMessage.occurrence_id == occurrence.id,
            OutboxMessage.sent_at.is_not(None),
            Contact.body_id == occurrence.body_id,
        )
    )
    done = set(session.scalars(select(Acknowledgement.outbox_id).where(Acknowledgement.person_id == person.id)))
    new = [outbox_id for outbox_id in session.scalars(query) if outbox_id not in done]
    if not new:
        raise TransitionError("web.ack.nothing")
    for outbox_id in new:
        session.add(Acknowledgement(outbox_id=outbox_id, person_id=person.id, at=now))
    audit(
        session,
        person=person,
        actor=actor_of(person),
        action="occurrence:acknowledge",
        subject=occurrence.key,
        now=now,
        detail={"messages": new},
    )
    session.flush()
    return len(new)
