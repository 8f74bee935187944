"""How many answers one sender gets outside a check-in (issue 21, "abuse and cost").

Every SMS we send is billed, and any number can text us. So, per sender (channel + address):

- a stranger (enrolled nowhere) gets the "enrolled members only" sentence at most once a day;
- HELP is answered at most `HELP_ANSWERS_PER_HOUR` times an hour;
- a sender that looks like a machine (an auto-responder answering our answers: the same text
  again and again, or more messages a minute than a person types) gets no answer at all while
  it keeps on, so a loop between two auto-responders ends. The moment it starts is audited and
  shown on the dashboard's Delivery page.

What is never limited: replies inside an open check-in (`bot.reply_turn` never comes here), the
crisis message and staff's escalation (stranger or enrolled: `bot.strangers` and the screening
run before any of this), a STOP's confirmation, and staff commands themselves (an ACK still acts;
only the answer to it may be held back).

Everything is counted from the message rows that exist anyway: our replies of a kind to that
address in the window, and the sender's inbound rows (whose bodies we keep only for enrolled
people, so "the same text again" is seen for them; for a stranger, only the pace). No new table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.redaction import mask_address
from storage.queries import audit, messages

# A stranger's polite sentence: one a day.
STRANGER_REPLY_WINDOW = timedelta(days=1)
STRANGER_REPLY_KIND = "unknown_sender"
# HELP: a few an hour (a person who asks three times has the answer; a script has no limit).
HELP_ANSWERS_PER_HOUR = 3
HELP_WINDOW = timedelta(hours=1)
HELP_KIND = "help"
# A machine: this many identical texts within BURST_WINDOW, or more than MESSAGES_PER_MINUTE
# in one minute. People repeat themselves, but not five times word for word in ten minutes.
BURST_WINDOW = timedelta(minutes=10)
IDENTICAL_IN_BURST = 5
RATE_WINDOW = timedelta(minutes=1)
MESSAGES_PER_MINUTE = 10
# Enough rows to see either pattern; a flood never makes this read longer.
_ROWS_READ = 50

AUTOMATED_ACTION = "sender_looks_automated"


@dataclass(frozen=True)
class Burst:
    reason: str  # "identical" (the same text again and again) or "rate" (too fast)
    messages: int  # how many messages made it look so


def stranger_reply_allowed(db: Session, channel: str, address: str, now: datetime) -> bool:
    """Whether a stranger may get the "enrolled members only" sentence now."""
    return messages.outbound_count_since(db, channel, address, (STRANGER_REPLY_KIND,),
                                         now - STRANGER_REPLY_WINDOW) == 0


def help_allowed(db: Session, channel: str, address: str, now: datetime) -> bool:
    """Whether HELP may be answered now (counts every help answer to the address, including
    the flow's own inside a check-in, which is never refused itself)."""
    return messages.outbound_count_since(db, channel, address, (HELP_KIND,),
                                         now - HELP_WINDOW) < HELP_ANSWERS_PER_HOUR


def burst_in(rows: Sequence[tuple[datetime, str | None]], now: datetime) -> Burst | None:
    """The machine-like pattern in a sender's inbound messages as of `now` (rows: received at
    and body, newest first), or None."""
    fast = sum(1 for at, _ in rows if at > now - RATE_WINDOW)
    if fast > MESSAGES_PER_MINUTE:
        return Burst("rate", fast)
    same = Counter(_plain(body) for at, body in rows
                   if body is not None and body.strip() and at > now - BURST_WINDOW)
    if same:
        _, most = same.most_common(1)[0]
        if most >= IDENTICAL_IN_BURST:
            return Burst("identical", most)
    return None


def automated_sender(
    db: Session, channel: str, address: str, now: datetime, *,
    contact_id: int | None = None, person_id: int | None = None,
) -> bool:
    """Whether the sender of the message just stored looks like a machine, so it gets no reply.
    The first message that makes it look so writes an audit event (the Delivery page lists
    them); the ones after it, while the burst lasts, add nothing. Call after the turn's inbound
    row is written."""
    rows = messages.inbound_since(db, channel, address, now - BURST_WINDOW, _ROWS_READ)
    burst = burst_in(rows, now)
    if burst is None:
        return False
    # Did the burst already show at the previous message? Then it was audited then.
    before = burst_in(rows[1:], rows[1][0]) if len(rows) > 1 else None
    if before is None:
        # What happened and whose contact, never the full address nor the words.
        audit.record(db, actor="system", action=AUTOMATED_ACTION, subject_type="contact_point",
                     subject_id=contact_id,
                     detail={"channel": str(channel), "reason": burst.reason,
                             "messages": burst.messages, "person_id": person_id,
                             "unknown_sender": contact_id is None,
                             "address": mask_address(address)}, now=now)
    return True


class AnsweredChats:
    """The Telegram strangers that got their sentence within `STRANGER_REPLY_WINDOW`, kept in
    this process only: a stranger's Telegram message leaves no row behind (no words, no chat id),
    so there is nothing to count in the database, and a Telegram answer costs nothing, so the
    limit may forget on a restart or differ between instances. At most `most` chats are kept;
    past that the oldest is forgotten (worst case: one more sentence)."""

    def __init__(self, most: int = 10_000) -> None:
        self._most = most
        self._at: dict[str, datetime] = {}  # insertion order: oldest first

    def may_answer(self, chat_id: str, now: datetime) -> bool:
        """Whether the chat may get the sentence now; a yes counts as the day's answer."""
        last = self._at.get(chat_id)
        if last is not None and now - last < STRANGER_REPLY_WINDOW:
            return False
        self._at.pop(chat_id, None)
        self._at[chat_id] = now
        while len(self._at) > self._most:
            del self._at[next(iter(self._at))]
        return True


def _plain(body: str) -> str:
    """Texts that differ only in case or spacing are the same text."""
    return " ".join(body.casefold().split())
