"""Golden transcripts: a flow driven by scripted inputs, written out as a readable conversation
with every message, event and wait. Regenerate with `UPDATE_GOLDEN=1 make test` (or pytest) and
review the diff: a transcript is the best documentation of what a flow does."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta

from flows.engine import current_wait, step
from flows.events import Expire, Input, Reply, Start, StepResult, Timeout
from flows.model import Flow
from flows.state import SessionState

T0 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    name: str
    flow: str
    # Each input is a reply, or "@nudge", "@expire" (the current turn's timers firing),
    # "@stale-nudge", "@stale-expire" (timers of an older turn). A dict gives per-language text.
    inputs: tuple[str | dict[str, str], ...]
    values: dict[str, str] = field(default_factory=lambda: {"name": "Ana", "program": "Hope House"})


def _fmt_delta(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"+{minutes // 60}h{minutes % 60:02d}m"


def _describe(result: StepResult, now: datetime, person: str) -> list[str]:
    lines = []
    for msg in result.messages:
        lane = ", urgent" if msg.urgent else ""
        lines.append(f"  bot [{msg.kind}{lane}]: {msg.text}")
    for ev in result.events:
        parts = [
            f"{f.name}={getattr(ev, f.name)!r}" for f in fields(ev) if f.name != "kind"
        ]
        lines.append(f"  event {ev.kind}: {', '.join(parts)}".rstrip(": "))
    if result.wait is None:
        lines.append(f"  session: {result.state.status}")
    else:
        nudge = _fmt_delta(result.wait.nudge_at - now) if result.wait.nudge_at else "none"
        lines.append(
            f"  wait: turn {result.wait.turn}, nudge {nudge}, "
            f"expire {_fmt_delta(result.wait.expire_at - now)}"
        )
    return lines


def run(flow: Flow, case: Case, language: str) -> tuple[str, SessionState]:
    person = "mentee" if flow.audience == "mentee" else "mentor"
    now = T0
    out = [f"# {flow.id} v{flow.version} [{language}] {case.name}", "", "@start"]
    result = step(flow, None, Start(language, case.values), now)
    out += _describe(result, now, person)
    state = result.state
    for raw in case.inputs:
        item = raw[language] if isinstance(raw, dict) else raw
        event: Input
        wait = current_wait(flow, state)
        if item in ("@nudge", "@expire"):
            assert wait is not None, f"{case.name}: {item} while the session is not waiting"
            if item == "@nudge":
                assert wait.nudge_at is not None, f"{case.name}: no nudge pending"
                now, event = wait.nudge_at, Timeout(wait.turn)
            else:
                now, event = wait.expire_at, Expire(wait.turn)
        elif item in ("@stale-nudge", "@stale-expire"):
            now += timedelta(minutes=1)
            event = (Timeout if item == "@stale-nudge" else Expire)(state.turn - 1)
        else:
            now += timedelta(minutes=1)
            event = Reply(item)
        out += ["", f"{person}: {item}" if not item.startswith("@") else item]
        result = step(flow, state, event, now)
        out += _describe(result, now, person)
        state = result.state
    return "\n".join(out) + "\n", state
