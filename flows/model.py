"""Typed flow definitions. A flow file is YAML written by program staff; `flows.loader` reads
and validates it into these models, and the engine only ever sees validated models."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from flows.expressions import Condition
from flows.levels import Level

ExpectKind = Literal["scale", "yes_no", "text", "none"]

# The placeholders a message may use; anything else is a load error (a typo like {nmae} would
# otherwise reach a mentee's phone).
PLACEHOLDERS = frozenset({"name", "program"})
_PLACEHOLDER = re.compile(r"\{(\w*)\}")

# Engine-level texts every flow must provide in every language.
REQUIRED_MESSAGES = (
    "help",  # answer to HELP: who runs this, how to reach staff, how to stop
    "stopped",  # confirmation of STOP
    "nudge",  # the one reminder
    "reprompt_scale",  # an unreadable answer to a scale question ({low}/{high} filled in)
    "reprompt_yes_no",
    "reprompt_text",
    "not_optional",  # SKIP on a question that cannot be skipped
    "moving_on",  # after two unreadable answers
    "crisis",  # the default crisis message (a program setting can replace it)
    "staff_told",  # said with the crisis message
    "disclosure_thanks",  # a flagged reply below urgent, or a folded repeat crisis reply
    "ask_again_gently",  # before the question again, after a disclosure that did not answer it
    "too_many_replies",  # graceful end when a conversation runs far too long
)
REPROMPT_PLACEHOLDERS = frozenset({"low", "high"})


@dataclass(frozen=True)
class Expect:
    kind: ExpectKind
    low: int = 1
    high: int = 5


@dataclass(frozen=True)
class EscalateRule:
    when: Condition
    level: Level
    reason: str
    # True when the answer is about the mentor relationship (pressure, coercion): routing must
    # then keep the escalation away from that mentor.
    about_mentor: bool = False


@dataclass(frozen=True)
class Goto:
    target: str
    when: Condition | None = None  # None: always (the default branch, written last)


@dataclass(frozen=True)
class StateDef:
    name: str
    line: int
    ask: dict[str, str]
    expect: Expect
    key: str  # the answer key stored for this state (defaults to the state name)
    optional: bool = False
    escalate: tuple[EscalateRule, ...] = ()
    next: tuple[Goto, ...] = ()  # empty: the flow ends after this state
    # The question as asked again after a disclosure, when `ask` reads wrong twice (a greeting
    # such as "Hi Ana, it's your check-in"); empty: `ask` itself.
    ask_again: dict[str, str] = field(default_factory=dict)

    @property
    def waits(self) -> bool:
        return self.expect.kind != "none"


@dataclass(frozen=True)
class Flow:
    id: str
    version: int
    audience: Literal["mentee", "mentor"]
    languages: tuple[str, ...]
    start: str
    states: dict[str, StateDef]
    messages: dict[str, dict[str, str]]
    expires_after: timedelta
    nudge_after: timedelta | None
    max_replies: int
    source: str = field(default="<memory>")

    def state(self, name: str) -> StateDef:
        return self.states[name]

    def language_for(self, requested: str | None) -> str:
        """The person's language when the flow has it, else the flow's first language."""
        if requested and requested in self.languages:
            return requested
        if requested and requested.split("-")[0] in self.languages:
            return requested.split("-")[0]
        return self.languages[0]


def placeholders_in(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def render(template: str, values: dict[str, str]) -> str:
    """Fill {placeholders}; a missing value becomes empty text rather than a crash, and values
    are inserted literally (a name containing braces is never re-interpreted)."""
    text = _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template)
    # "Hi , quick check-in" reads badly when no name is known.
    return re.sub(r"\s+([,.!?])", r"\1", text).strip()
