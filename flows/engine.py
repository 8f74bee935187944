"""The flow engine: `step(flow, state, input, now) -> StepResult`.

Pure and deterministic: the same flow, state, input and `now` always give the same result. It
returns messages and events and never sends or stores anything (the runtime does both, in one
transaction, then sends from the outbox).

Rules that keep every conversation safe and finite:
- any text at any point gets a sensible reply: an answer moves on, an unreadable one gets a
  re-prompt saying what is expected, and after two misses the question is recorded unanswered;
- STOP ends the session and asks the runtime to opt the contact out; HELP answers and re-waits;
- every reply is screened for crisis language, whatever the question; every urgent hit sends the
  crisis message at once, on the urgent lane, first in the turn. The runtime may fold a repeat
  into the one it sent minutes ago: the message carries the short thanks to send instead
  (`OutMessage.folded`), because only the runtime knows when it last sent one and whether staff
  acted since;
- a disclosure is answered as a disclosure. When a reply to a scale or yes/no question is
  flagged by screening but does not answer the question ("sometimes i just want to die" to
  "how safe do you feel, 1 to 5"), it is not a miss and gets no "Sorry, I didn't get that":
  the crisis message (urgent) or a short thanks ("staff will see this") acknowledges it, and the
  question is asked again in a gentle form ("When you're ready, …"), once per disclosure.
  We ask again rather than move on because the pending questions are the ones that tell staff
  how safe the person is (a 1 to the safety question is itself urgent), and moving on would
  record "unanswered" for words that were an answer of another kind; the gentle form makes clear
  that answering is optional, and `max_replies` still bounds the session. A flagged reply that
  does answer the question ("2 feel unsafe", "yes he hits me") is recorded and the flow moves
  on, with the thanks before the next question; a flagged reply is never read as NO, since
  distress is full of negations ("ya no quiero vivir");
- a timer carries the turn it was set for, so a late nudge or expiry never touches a newer turn;
- `flow.max_replies` bounds every session, whatever is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    EscalationUpdated,
    Event,
    FlowCompleted,
    Input,
    InputIgnored,
    KeywordReceived,
    NudgeSent,
    OptOutRequested,
    OutMessage,
    Reply,
    SessionExpired,
    SessionStopped,
    Start,
    StepResult,
    Timeout,
    Wait,
)
from flows.levels import Level
from flows.model import Flow, StateDef, render
from flows.parsing import Keyword, parse_keyword, parse_scale, parse_yes_no
from flows.risk import Assessment, assess
from flows.state import SessionState
from flows.subject import about_mentee

MAX_MISSES = 2
MAX_TEXT_ANSWER = 2000  # characters kept of a free-text answer
SMS_SAFE_LENGTH = 320  # two SMS segments; combined messages stay under this

# Risk categories that are about the mentor relationship: routing keeps such escalations away
# from the mentee's mentor.
RELATIONSHIP_CATEGORIES = frozenset({"coercion_exploitation", "sexual_boundary"})


# The pattern reader: `flows.risk.assess` unless the runtime passes the same function wrapped
# (bot.metrics times it); it must return what `assess` returns.
Screen = Callable[[str, str], Assessment]


def step(
    flow: Flow, state: SessionState | None, event: Input, now: datetime, *,
    screen: Screen = assess,
) -> StepResult:
    if isinstance(event, Start):
        return _Turn(flow, _new_state(flow, event, now), now).start()
    if state is None:
        raise ValueError("only Start can begin a session; resume inputs need its state")
    if state.flow_id != flow.id:
        raise ValueError(f"state belongs to flow '{state.flow_id}', not '{flow.id}'")
    turn = _Turn(flow, state, now, screen)
    if not state.is_waiting:
        return turn.ignore(f"session is {state.status}")
    if isinstance(event, Reply):
        return turn.reply(event.text)
    if isinstance(event, Timeout):
        return turn.nudge(event.turn)
    return turn.expire(event.turn)


def current_wait(flow: Flow, state: SessionState) -> Wait | None:
    """The timers a waiting session should have (derived from its state, never stored twice)."""
    if not state.is_waiting or state.waiting_since is None:
        return None
    nudge_at = None
    if flow.nudge_after is not None and not state.nudged:
        nudge_at = state.waiting_since + flow.nudge_after
    return Wait(state.turn, nudge_at, state.waiting_since + flow.expires_after)


def _new_state(flow: Flow, start: Start, now: datetime) -> SessionState:
    return SessionState(
        flow_id=flow.id,
        flow_version=flow.version,
        language=flow.language_for(start.language),
        status="waiting",
        current=None,
        turn=0,
        waiting_since=now,
        values={str(k): str(v) for k, v in start.values.items()},
    )


@dataclass
class _Pending:
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    about_mentor: bool = False
    about_mentee: bool = False
    own: Level = Level.NONE  # the highest level of the findings gathered here


class _Turn:
    """Accumulates one step's messages and events, then builds the StepResult."""

    def __init__(self, flow: Flow, state: SessionState, now: datetime,
                 screen: Screen = assess):
        self.flow, self.state, self.now = flow, state, now
        self.assess = screen
        self.messages: list[OutMessage] = []
        self.events: list[Event] = []
        self.pending: dict[Level, _Pending] = {}
        self.disclosed = Level.NONE  # what screening found in this turn's reply

    # ---- texts ---------------------------------------------------------------------------
    def text(self, name: str) -> str:
        override = {"crisis": "crisis_message", "staff_told": "staff_told_message",
                    "help": "help_message"}.get(name)
        if override and self.state.values.get(override):
            return self.state.values[override]
        return render(self.flow.messages[name][self.state.language], self.state.values)

    def question(self, st: StateDef) -> str:
        return render(st.ask[self.state.language], self.state.values)

    def say(self, text: str, kind: str, *, prefix: str | None = None) -> None:
        if prefix and len(prefix) + 1 + len(text) <= SMS_SAFE_LENGTH:
            text = f"{prefix} {text}"
        elif prefix:
            self.messages.append(OutMessage(prefix, "info"))
        self.messages.append(OutMessage(text, kind))  # type: ignore[arg-type]

    # ---- results -------------------------------------------------------------------------
    def result(self) -> StepResult:
        self._flush_escalations()
        wait = current_wait(self.flow, self.state)
        return StepResult(self.state, tuple(self.messages), tuple(self.events), wait)

    def ignore(self, reason: str) -> StepResult:
        self.events.append(InputIgnored(reason))
        return self.result()

    def wait_anew(self) -> None:
        self.state = self.state.evolve(turn=self.state.turn + 1, waiting_since=self.now)

    def end(self, status: str, event: Event) -> None:
        self.state = self.state.evolve(status=status, current=None, waiting_since=None)
        self.events.append(event)

    # ---- inputs --------------------------------------------------------------------------
    def start(self) -> StepResult:
        self.enter(self.flow.start)
        return self.result()

    def nudge(self, turn: int) -> StepResult:
        if turn != self.state.turn:
            return self.ignore(f"nudge for turn {turn}, session is at turn {self.state.turn}")
        current = self.state.current
        if self.state.nudged or current is None:
            return self.ignore("already nudged")
        self.state = self.state.evolve(nudged=True)
        question = self.question(self.flow.state(current))
        self.say(question, "nudge", prefix=self.text("nudge"))
        self.events.append(NudgeSent(turn))
        return self.result()

    def expire(self, turn: int) -> StepResult:
        if turn != self.state.turn:
            return self.ignore(f"expiry for turn {turn}, session is at turn {self.state.turn}")
        self.end("expired", SessionExpired())
        return self.result()

    def reply(self, text: str) -> StepResult:
        self.state = self.state.evolve(replies=self.state.replies + 1)
        keyword = parse_keyword(text)
        if keyword is Keyword.STOP:
            self.events += [KeywordReceived("stop"), OptOutRequested()]
            self.messages.append(OutMessage(self.text("stopped"), "stopped"))
            self.end("stopped", SessionStopped())
            return self.result()
        if keyword is None:
            self.disclosed = self.screen(text)
        if self.state.replies > self.flow.max_replies:
            self.messages.append(OutMessage(self.text("too_many_replies"), "closing"))
            self.end("completed", FlowCompleted("too_many_replies"))
            return self.result()
        assert self.state.current is not None  # a waiting session always has a question
        current = self.flow.state(self.state.current)
        if keyword is Keyword.HELP or keyword is Keyword.START:
            # START mid-conversation means "I'm here": answer like HELP without counting a miss.
            self.events.append(KeywordReceived("help" if keyword is Keyword.HELP else "start"))
            if keyword is Keyword.HELP:
                self.messages.append(OutMessage(self.text("help"), "help"))
            self.messages.append(OutMessage(self.question(current), "question"))
            self.wait_anew()
            return self.result()
        if keyword is Keyword.SKIP:
            self.events.append(KeywordReceived("skip"))
            if current.optional:
                self.record(current, text, None, "skipped")
                self.advance(current, None, "skipped")
            else:
                self.miss(current, self.text("not_optional"))
            return self.result()
        value = self.parse(current, text)
        structured = current.expect.kind in ("scale", "yes_no")
        disclosure = structured and self.disclosed is not Level.NONE
        if disclosure and value is False:
            # Words of distress are full of negations ("ya no quiero vivir", "no one cares",
            # "no he comido en días"): a flagged reply is never taken as a NO.
            value = None
        if value is None and disclosure:
            self.ask_gently(current)
        elif value is None:
            self.miss(current, self.reprompt(current))
        elif value is _SKIPPED:
            self.record(current, text, None, "skipped")
            self.advance(current, None, "skipped")
        else:
            self.record(current, text, value, "answered")
            self.apply_rules(current, text, value, "answered")
            self.advance(current, value, "answered", prefix=self.thanks() if disclosure else None)
        return self.result()

    # ---- conversation mechanics ----------------------------------------------------------
    def parse(self, st: StateDef, text: str) -> object:
        if st.expect.kind == "scale":
            return parse_scale(text, st.expect.low, st.expect.high)
        if st.expect.kind == "yes_no":
            return parse_yes_no(text)
        stripped = text.strip()
        if not stripped:
            return None
        if st.optional and len(stripped.split()) <= 3 and parse_yes_no(stripped) is False:
            # "no", "nope nothing", "nah im good": nothing to tell. Longer texts that start with
            # "no" ("no one listens to me here") are kept as the answer.
            return _SKIPPED
        return stripped[:MAX_TEXT_ANSWER]

    def reprompt(self, st: StateDef) -> str:
        if st.expect.kind == "scale":
            values = dict(self.state.values, low=str(st.expect.low), high=str(st.expect.high))
            return render(self.flow.messages["reprompt_scale"][self.state.language], values)
        return self.text("reprompt_yes_no" if st.expect.kind == "yes_no" else "reprompt_text")

    def thanks(self) -> str | None:
        """The acknowledgement of a disclosure, unless the crisis message (which says staff
        were told) already goes out this turn."""
        return None if self.disclosed is Level.URGENT else self.text("disclosure_thanks")

    def ask_gently(self, st: StateDef) -> None:
        """After a disclosure that does not answer the pending question: acknowledge, then ask
        again in a gentle form. Not a miss: the person said something that matters more."""
        thanks = self.thanks()
        gentle = self.text("ask_again_gently")
        question = render(st.ask_again.get(self.state.language) or st.ask[self.state.language],
                          self.state.values)
        self.say(question, "question",
                 prefix=f"{thanks} {gentle}" if thanks else gentle)
        self.wait_anew()

    def miss(self, st: StateDef, reprompt: str) -> None:
        misses = self.state.misses + 1
        self.state = self.state.evolve(misses=misses)
        if misses < MAX_MISSES:
            self.messages.append(OutMessage(reprompt, "reprompt"))
            self.wait_anew()
            return
        self.record(st, None, None, "unanswered")
        self.apply_rules(st, None, None, "unanswered")
        self.advance(st, None, "unanswered", prefix=self.text("moving_on"))

    def record(self, st: StateDef, raw: str | None, value: object, status: str) -> None:
        answers = dict(self.state.answers)
        answers[st.key] = value
        self.state = self.state.evolve(answers=answers)
        self.events.append(AnswerRecorded(st.key, st.name, raw, value, status))  # type: ignore[arg-type]

    def apply_rules(self, st: StateDef, raw: str | None, value: object, status: str) -> None:
        for rule in st.escalate:
            if rule.when.matches(value, status):
                evidence = f"{st.key}: {raw.strip()[:200]}" if raw else f"{st.key}: {status}"
                # In a mentor's check-in every question is about the mentee.
                self.raise_level(rule.level, [rule.reason], [evidence], rule.about_mentor,
                                 self.flow.audience == "mentor")

    def screen(self, text: str) -> Level:
        found = self.assess(text, self.state.language)
        if found.level is not Level.NONE:
            about = bool(RELATIONSHIP_CATEGORIES & set(found.categories))
            mentee = self.flow.audience == "mentor" and about_mentee(found.categories, text)
            self.raise_level(found.level, list(found.categories), list(found.evidence), about,
                             mentee)
        return found.level

    def raise_level(
        self, level: Level, reasons: list[str], evidence: list[str], about_mentor: bool,
        about_mentee: bool = False,
    ) -> None:
        pending = self.pending.setdefault(level, _Pending())
        pending.reasons += [r for r in reasons if r not in pending.reasons]
        pending.evidence += [e for e in evidence if e not in pending.evidence]
        pending.about_mentor |= about_mentor
        pending.about_mentee |= about_mentee
        pending.own = level

    def advance(
        self, st: StateDef, value: object, status: str, *, prefix: str | None = None
    ) -> None:
        self.state = self.state.evolve(misses=0)
        target = next(
            (g.target for g in st.next if g.when is None or g.when.matches(value, status)), None
        )
        if target is None:
            if prefix:
                self.messages.append(OutMessage(prefix, "info"))
            self.end("completed", FlowCompleted())
            return
        self.enter(target, prefix=prefix)

    def enter(self, name: str, *, prefix: str | None = None) -> None:
        """Send `name`'s text; 'say' states chain on until a question or the end."""
        st = self.flow.state(name)
        while not st.waits:
            kind = "info" if st.next else "closing"
            self.say(self.question(st), kind, prefix=prefix)
            prefix = None
            if not st.next:
                self.end("completed", FlowCompleted())
                return
            st = self.flow.state(st.next[0].target)
        self.say(self.question(st), "question", prefix=prefix)
        self.state = self.state.evolve(current=st.name)
        self.wait_anew()

    def _flush_escalations(self) -> None:
        """Turn this turn's findings into events: one per level, and a finding below a level
        already raised (in this session or this turn) joins that level. Every event keeps the
        finding's own level, so the runtime can raise it afresh where the escalation it would
        join was already acknowledged or resolved. Every urgent finding sends the crisis
        message."""
        if not self.pending:
            return
        raised = dict(self.state.raised)
        top_raised = max((Level(lv) for lv in raised), default=Level.NONE)
        merged: dict[Level, _Pending] = {}
        for level in sorted(self.pending, reverse=True):
            target = max(level, top_raised, max(merged, default=Level.NONE))
            into = merged.setdefault(target, _Pending())
            src = self.pending[level]
            into.reasons += [r for r in src.reasons if r not in into.reasons]
            into.evidence += [e for e in src.evidence if e not in into.evidence]
            into.about_mentor |= src.about_mentor
            into.about_mentee |= src.about_mentee
            into.own = max(into.own, src.own)
        crisis = Level.URGENT in self.pending
        self.pending = {}
        for level in sorted(merged, reverse=True):
            found = merged[level]
            known = raised.get(level.value)
            if known is None:
                raised[level.value] = list(found.reasons)
                self.events.append(
                    EscalationRaised(
                        level.value, tuple(found.reasons), tuple(found.evidence),
                        found.about_mentor, found.own.value, found.about_mentee,
                    )
                )
            else:
                raised[level.value] = known + [r for r in found.reasons if r not in known]
                # This turn's reasons only: where the escalation at `level` was acknowledged
                # or resolved, they are the whole of the new one.
                self.events.append(
                    EscalationUpdated(
                        level.value, tuple(found.reasons), tuple(found.evidence),
                        found.about_mentor, found.own.value, found.about_mentee,
                    )
                )
        self.state = self.state.evolve(raised=raised)
        if crisis:
            # The crisis reply goes first, on the urgent lane, before anything else this turn.
            text = f"{self.text('crisis')} {self.text('staff_told')}"
            self.messages.insert(
                0, OutMessage(text, "crisis", urgent=True, folded=self.text("disclosure_thanks"))
            )


class _Skipped:
    pass


_SKIPPED = _Skipped()
