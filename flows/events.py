"""What goes into `flows.step` (inputs) and what comes out (messages, events, the next wait).

The engine never sends or stores anything: the runtime persists these in one transaction and
sends the messages from the outbox after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from flows.state import SessionState

# ---- inputs: how a session is started or resumed -------------------------------------------


@dataclass(frozen=True)
class Start:
    language: str | None = None
    # Template values ({name}, {program}) and program overrides (crisis_message,
    # staff_told_message, help_message).
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    text: str


@dataclass(frozen=True)
class Timeout:
    """The nudge timer for `turn` fired. A timeout for an older turn changes nothing."""

    turn: int


@dataclass(frozen=True)
class Expire:
    """The expiry timer for `turn` fired. An expiry for an older turn changes nothing."""

    turn: int


Input = Start | Reply | Timeout | Expire

# ---- outputs -------------------------------------------------------------------------------

MessageKind = Literal[
    "question", "reprompt", "nudge", "help", "crisis", "closing", "stopped", "info", "thanks"
]


@dataclass(frozen=True)
class OutMessage:
    text: str
    kind: MessageKind
    urgent: bool = False  # crisis replies go through the outbox's urgent lane
    # A crisis reply only: what to send instead when the runtime folds this reply into one it
    # sent the same person a few minutes ago (the engine has no clock of past turns or other
    # sessions, so the runtime decides; the words stay the flow's).
    folded: str | None = None


@dataclass(frozen=True)
class AnswerRecorded:
    key: str
    state: str
    raw: str | None
    value: Any
    status: Literal["answered", "unanswered", "skipped"]
    kind: str = "answer_recorded"


@dataclass(frozen=True)
class EscalationRaised:
    """First finding at this level in this session.

    `level` is where the finding joins (the highest level raised in this session so far);
    `finding_level` is the finding's own level. While the escalation at `level` is open the
    runtime merges into it; once staff acknowledged or resolved it, the finding is new news and
    the runtime raises it at `finding_level` (see storage/queries/escalations.py).
    `about_mentee`: a mentor's finding about their mentee (flows/subject.py)."""

    level: str
    reasons: tuple[str, ...]
    evidence: tuple[str, ...]
    about_mentor: bool = False
    finding_level: str = ""
    about_mentee: bool = False
    kind: str = "escalation_raised"


@dataclass(frozen=True)
class EscalationUpdated:
    """More reasons for a level already raised in this session: this turn's reasons and
    evidence (the session's list is in `SessionState.raised`). Fields as in `EscalationRaised`."""

    level: str
    reasons: tuple[str, ...]
    evidence: tuple[str, ...]
    about_mentor: bool = False
    finding_level: str = ""
    about_mentee: bool = False
    kind: str = "escalation_updated"


@dataclass(frozen=True)
class KeywordReceived:
    keyword: Literal["stop", "start", "help", "skip"]
    kind: str = "keyword_received"


@dataclass(frozen=True)
class OptOutRequested:
    """STOP: the runtime opts the contact point out and cancels everything queued to it."""

    kind: str = "opt_out_requested"


@dataclass(frozen=True)
class FlowCompleted:
    reason: Literal["finished", "too_many_replies"] = "finished"
    kind: str = "flow_completed"


@dataclass(frozen=True)
class SessionExpired:
    kind: str = "session_expired"


@dataclass(frozen=True)
class SessionStopped:
    kind: str = "session_stopped"


@dataclass(frozen=True)
class NudgeSent:
    turn: int
    kind: str = "nudge_sent"


@dataclass(frozen=True)
class InputIgnored:
    """A stale timer, or input to a session that is no longer waiting."""

    reason: str
    kind: str = "input_ignored"


Event = (
    AnswerRecorded
    | EscalationRaised
    | EscalationUpdated
    | KeywordReceived
    | OptOutRequested
    | FlowCompleted
    | SessionExpired
    | SessionStopped
    | NudgeSent
    | InputIgnored
)


@dataclass(frozen=True)
class Wait:
    """What the session waits for next: a reply to `turn`, a nudge at `nudge_at` (None once
    nudged), expiry at `expire_at`. The runtime stores these as due times on the session row."""

    turn: int
    nudge_at: datetime | None
    expire_at: datetime


@dataclass(frozen=True)
class StepResult:
    state: SessionState
    messages: tuple[OutMessage, ...]
    events: tuple[Event, ...]
    wait: Wait | None  # None once the session has ended
