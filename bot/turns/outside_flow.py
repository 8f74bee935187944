"""A message that reaches no open check-in is still screened: danger reaches staff, always.

Used by the general path of a turn (`bot.runner`) and by an edited message (`bot.edited_turn`):
the escalation with its alerts, the crisis reply (folded into a short thanks when one was sent
minutes ago, `bot.crisis_window`), and the "no open check-in" answer.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot import crisis_texts, crisis_window, texts
from bot.turns import escalate as escalation
from flows.engine import RELATIONSHIP_CATEGORIES
from flows.events import OutMessage
from flows.levels import Level
from flows.risk import Assessment, assess
from flows.subject import about_mentee
from storage.models import ContactPoint, Lane, Person, Program, Role
from storage.queries import messages


def queue_to(
    db: Session, contact: ContactPoint, person: Person, session_id: int | None, body: str,
    kind: str, now: datetime, *, lane: Lane = Lane.routine, force: bool = False,
) -> int:
    """Queue one message to ``contact``; 1, or 0 when the contact takes none (opted out or
    unreachable) and it is not ``force``d (a STOP confirmation, an opted-out HELP)."""
    if (contact.opted_out or contact.unreachable) and not force:
        return 0
    messages.enqueue_outbound(db, channel=contact.channel, address=contact.address, body=body,
                              kind=kind, lane=lane, person_id=person.id, session_id=session_id,
                              now=now, flush=False)
    return 1


def screen_outside_flow(
    db: Session, program: Program, person: Person, contact: ContactPoint, text: str,
    now: datetime, *, reply: bool, found: Assessment | None = None,
    dashboard_url: str | None = None,
) -> int:
    """A message with no open check-in is still screened: danger reaches staff, always.
    ``found``: the screening of ``text``, when the caller has it already."""
    if found is None:
        found = assess(text, person.language)
    queued = 0
    if found.level is not Level.NONE:
        about = bool(RELATIONSHIP_CATEGORIES & set(found.categories))
        mentee = person.role == Role.mentor and about_mentee(found.categories, text)
        escalation.escalate(db, program, person, None, found.level.value, found.categories,
                            found.evidence, about, now, about_mentee=mentee,
                            dashboard_url=dashboard_url)
        if found.level is Level.URGENT:
            body = crisis_texts.crisis_reply(program, person.language)
            assert person.id is not None
            [said] = crisis_window.fold(db, person.id, [OutMessage(
                body, "crisis", urgent=True,
                folded=texts.text("disclosure_thanks", person.language))], now)
            # An opted-out number gets nothing, not even this: staff reach out in person.
            queued += queue_to(db, contact, person, None, said.text, said.kind, now,
                               lane=Lane.urgent)
    if reply:
        queued += queue_to(db, contact, person, None,
                           texts.text("no_open_checkin", person.language), "info", now)
    return queued
