"""Rules that several parts of the service share, each written once.

- how long staff have to acknowledge an escalation, per level (a program may change them);
- who is staff (may receive alerts, log in, send ACK/RESOLVE), and who is checked in on;
- which flow a person gets when nothing else is asked for;
- SMS consent: an SMS number gets no check-in content before it has said YES, and is asked
  again at most once per `CONSENT_REQUEST_INTERVAL`.

Turns, routing, the dashboard and the command line all read these from here, so a change to one
of them changes it everywhere. Pure rules on values: no database, no clock, no I/O, so any module
of `bot/` can import this one without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from storage.models import Channel, Program, Role

# ---- acknowledgement deadlines ---------------------------------------------------------------

# How long staff have to acknowledge, per level; routing and re-alerts run on these deadlines.
DEFAULT_ACK_MINUTES: Mapping[str, int] = {"urgent": 15, "concern": 24 * 60, "watch": 72 * 60}
ACK_LEVELS = ("urgent", "concern", "watch")
# A program overrides some of them in its settings: {"ack_minutes": {"urgent": 10}}.
ACK_SETTING = "ack_minutes"


def ack_minutes(settings: Mapping[str, Any] | None) -> dict[str, int]:
    """The deadlines in force for a program's settings: its own, else the defaults."""
    own = (settings or {}).get(ACK_SETTING) or {}
    return {level: int(minutes) for level, minutes in {**DEFAULT_ACK_MINUTES, **own}.items()}


def ack_deadline(program: Program, level: str, now: datetime) -> datetime:
    """When an escalation of ``level`` raised (or reopened) at ``now`` must be acknowledged."""
    return now + timedelta(minutes=ack_minutes(program.settings)[level])


# ---- roles -----------------------------------------------------------------------------------

# Staff: may receive alerts, log in to the dashboard, and text ACK / RESOLVE. Mentors and
# mentees never are (a mentee's answers are private to staff).
STAFF_ROLES: frozenset[Role] = frozenset({Role.supervisor, Role.admin})
# The people the service checks in on: what they write is screened as a worry, never read as
# a staff command; the web simulator can play them.
CHECKED_IN_ROLES: frozenset[Role] = frozenset({Role.mentee, Role.mentor})
# The flow a person gets when nothing else is asked for (staff get none).
DEFAULT_FLOW_FOR_ROLE: Mapping[Role, str] = {
    Role.mentee: "mentee_checkin",
    Role.mentor: "mentor_checkin",
}


# ---- SMS consent -----------------------------------------------------------------------------

# A consent request is not repeated more often than this to someone who has not answered.
CONSENT_REQUEST_INTERVAL = timedelta(days=7)


class ConsentFields(Protocol):
    """What the consent rule reads of a contact: an ORM row, a Core snapshot or a plain row."""

    @property
    def channel(self) -> str: ...

    @property
    def consent_at(self) -> datetime | None: ...


def needs_consent(contact: ConsentFields) -> bool:
    """SMS needs an explicit YES before any check-in content or alert (carrier rules, and
    respect); Telegram and the web simulator are joined by the person's own action."""
    return contact.channel == Channel.sms and contact.consent_at is None
