"""What an inbound turn tells its caller, and the defaults a turn runs with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.settings import Settings

Outcome = Literal[
    "duplicate", "unknown_sender", "reply", "no_session", "opted_out", "opted_in", "help",
    "consent_given", "consent_needed", "staff", "ignored", "stranger_crisis",
    # No answer: past a per-sender limit (`bot.sender_limits`).
    "limited",
    # A mentee's message in an open staff conversation: screened, not a check-in answer.
    "staff_conversation",
]

# The service's N of the missed-check-ins watch when a caller has no settings at hand (tests,
# tools); the running service passes its own (``Settings.missed_checkins_for_watch``).
DEFAULT_MISSED_CHECKINS_FOR_WATCH: int = Settings.model_fields["missed_checkins_for_watch"].default


@dataclass(frozen=True)
class InboundResult:
    outcome: Outcome
    session_id: int | None = None
    queued: int = 0  # outgoing messages queued by this turn
    # Whether any of them may be urgent (an alert, a crisis reply). Unknown counts as urgent:
    # it only decides whether the sender's urgent lane looks now or at its next poll.
    urgent: bool = True
