"""Escalations for the queue and escalation-page tests, made the way the service makes them:
a mentee answers a real check-in through `bot.runner` (flows, answers, transcript, alerts and
audit all real), or, for a bare escalation, `storage.queries.escalations` as the lifecycle tests
do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from bot.policy import ack_deadline
from bot.runner import handle_inbound, start_checkin
from flows.model import Flow
from storage.models import Escalation, Person, Program
from storage.queries import escalations, people

# comfort 2 -> concern (low_comfort); safety 1 -> urgent (feels_unsafe) and the follow-up.
UNSAFE_REPLIES = ("2", "1")
EVIDENCE = "he said he would hurt me if I told"


def checkin(
    db: Session, flows: dict[str, Flow], mentee: Person, replies: Iterable[str], now: datetime
) -> dict[str, int]:
    """Start the mentee check-in for `mentee` and answer it with `replies` through the runner.
    Returns the escalations that session raised, {level: id}."""
    assert mentee.id is not None
    [contact] = people.contacts_for(db, mentee.id)
    row = start_checkin(db, flows, mentee, "mentee_checkin", contact, now)
    assert row is not None and row.id is not None, "the check-in did not start"
    for text in replies:
        handle_inbound(db, flows, channel=contact.channel, address=contact.address, text=text,
                       provider_id=None, now=now)
    db.flush()
    found = db.exec(select(Escalation).where(Escalation.session_id == row.id)
                    .order_by(col(Escalation.id))).all()
    return {esc.level: esc.id for esc in found if esc.id is not None}


def bare_escalation(
    db: Session, person: Person, level: str = "concern", *, at: datetime,
    reasons: Iterable[str] = ("feels_unsafe",), evidence: Iterable[str] = (EVIDENCE,),
) -> int:
    """An escalation with no check-in session (as tests/bot/test_escalation_lifecycle.py)."""
    program = db.get(Program, person.program_id)
    assert program is not None and program.id is not None and person.id is not None
    esc, created = escalations.add_or_merge_escalation(
        db, program_id=program.id, person_id=person.id, session_id=None, level=level,
        reasons=list(reasons), evidence=list(evidence), now=at,
        due_at=ack_deadline(program, level, at),
    )
    assert created and esc.id is not None
    return esc.id
