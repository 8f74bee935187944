"""An edited message (Telegram's ``edited_message``): its new words are screened again.

People fix a typo, and sometimes they add what they did not dare send at first ("im fine" edited
into "im not fine, i want to die"). An edit is never an answer to the check-in's question (the
original already answered it, or was re-asked), so it does not step the flow. It is kept as an
inbound message of kind "edited" (deduplicated by its own update id, like any update), clears an
unreachable mark as any message does, and is screened: a finding the person's recent messages
(the original among them) did not already hold, by category or by level, goes through the same
raise path as a message outside a check-in (`bot.turns.outside_flow`: escalation, alert,
crisis reply when urgent; merging as for any new finding). An edit that only repeats what was
already found raises nothing twice.

Staff edits are kept but not run again as commands (an edited "ACK 17" must not act twice); an
unknown sender's edit is screened like a stranger's message (`bot.strangers`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot import strangers
from bot.policy import STAFF_ROLES
from bot.turns.contact_state import mark_reachable
from bot.turns.outcome import InboundResult
from bot.turns.outside_flow import screen_outside_flow
from flows.levels import Level
from flows.risk import Assessment, assess
from storage.models import Direction, Message
from storage.queries import messages, people

EDITED_KIND = "edited"
# How far back an edit is compared with what the person already said. Telegram lets a chat
# message be edited for days; a finding older than this counts as new again.
LOOKBACK = timedelta(hours=48)
LOOKBACK_MESSAGES = 50


def handle_edit(
    db: Session, *, channel: str, address: str, text: str, provider_id: str | None,
    now: datetime, dashboard_url: str | None = None,
) -> InboundResult:
    found_contact = people.find_contact_with_person(db, channel, address)
    if found_contact is None:
        return (strangers.answer_stranger_in_crisis(db, channel, address, text, provider_id, now,
                                                    dashboard_url=dashboard_url)
                or InboundResult("ignored"))
    contact, person, program = found_contact
    assert person.id is not None
    inbound_id = messages.insert_inbound(db, channel, address, provider_id, text, person.id, now,
                                         kind=EDITED_KIND)
    if inbound_id is None:
        return InboundResult("duplicate")
    if contact.unreachable:
        mark_reachable(db, contact, now)
    if person.role in STAFF_ROLES:
        return InboundResult("ignored")
    found = assess(text, person.language)
    if found.level is Level.NONE or not says_something_new(
            found, [assess(body, person.language)
                    for body in _recent_words(db, person.id, inbound_id, now)]):
        return InboundResult("ignored")
    queued = screen_outside_flow(db, program, person, contact, text, now, reply=False,
                                         found=found, dashboard_url=dashboard_url)
    return InboundResult("no_session", queued=queued)


def says_something_new(found: Assessment, before: list[Assessment]) -> bool:
    """Whether ``found`` holds a category none of ``before`` held, or a higher level than any
    of them reached (a threat that became imminent)."""
    seen = {category for earlier in before for category in earlier.categories}
    highest = max((earlier.level for earlier in before), default=Level.NONE)
    return bool(set(found.categories) - seen) or found.level > highest


def _recent_words(db: Session, person_id: int, edit_id: int, now: datetime) -> list[str]:
    rows = db.exec(
        select(Message.body)
        .where(
            Message.person_id == person_id,
            Message.direction == Direction.inbound,
            col(Message.id) != edit_id,
            col(Message.created_at) >= now - LOOKBACK,
        )
        .order_by(col(Message.id).desc())
        .limit(LOOKBACK_MESSAGES)
    ).all()
    return [body for body in rows if body]
