"""A mentee's message while a staff conversation is open (a supervisor replied to them from
the dashboard, `bot.staff_messages`).

It belongs to that conversation: stored with kind `REPLY_KIND` in their history, screened for
danger exactly as any message outside a check-in is (an urgent hit raises or merges an
escalation and gets the crisis reply), and nothing else: it is not an answer to the check-in
question that may be waiting (the session stays where it was), not a staff command, and it
gets no "no open check-in" answer (a person is talking to them). STOP, START and HELP are still
honoured by the general path, and the check-in's reminder (nudge) waits for the conversation's
end (`bot.runner.handle_timer`). The routing: `bot.reply_turn` leaves such a message to the
general path (`bot.runner.handle_inbound`), which calls `screen_reply` here.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.turns.outcome import InboundResult
from bot.turns.outside_flow import screen_outside_flow
from storage.models import ContactPoint, Person, Program

STAFF_MESSAGE_KIND = "staff_message"  # a staff member's message to a mentee
REPLY_KIND = "reply_to_staff"  # the mentee's message while a staff conversation is open


def is_open(until: datetime | None, now: datetime) -> bool:
    """Whether a conversation that ends at ``until`` (None: no open one) is open at ``now``."""
    return until is not None and until > now


def screen_reply(
    db: Session, program: Program, person: Person, contact: ContactPoint, text: str,
    now: datetime, *, dashboard_url: str | None,
) -> InboundResult:
    """The turn of a message in an open staff conversation (its inbound row already written):
    screened, and answered only when it holds words of danger."""
    queued = screen_outside_flow(db, program, person, contact, text, now, reply=False,
                                 dashboard_url=dashboard_url)
    return InboundResult("staff_conversation", queued=queued, urgent=queued > 0)
