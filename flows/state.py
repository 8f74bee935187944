"""The serialisable state of one check-in conversation (stored as JSON on the session row)."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal

Status = Literal["waiting", "completed", "expired", "stopped"]


@dataclass(frozen=True)
class SessionState:
    flow_id: str
    flow_version: int
    language: str
    status: Status
    current: str | None  # the state whose question awaits an answer
    turn: int  # increases every time the session starts waiting anew; timers carry it
    waiting_since: datetime | None
    misses: int = 0  # unreadable answers to the current question
    nudged: bool = False  # one nudge per session
    replies: int = 0  # every reply counts, so no input sequence can keep a session alive forever
    answers: dict[str, Any] = field(default_factory=dict)
    raised: dict[str, list[str]] = field(default_factory=dict)  # level -> reasons
    values: dict[str, str] = field(default_factory=dict)

    @property
    def is_waiting(self) -> bool:
        return self.status == "waiting"

    def evolve(self, **changes: Any) -> SessionState:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        # What `asdict` gives, built by hand: asdict deep-copies field by field, and this runs
        # on every turn. The containers are copied, so the result shares nothing mutable.
        data = {f.name: getattr(self, f.name) for f in _FIELDS}
        data["answers"] = deepcopy(self.answers)
        data["raised"] = {level: list(reasons) for level, reasons in self.raised.items()}
        data["values"] = dict(self.values)
        data["waiting_since"] = self.waiting_since.isoformat() if self.waiting_since else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionState:
        data = dict(data)
        since = data.get("waiting_since")
        data["waiting_since"] = datetime.fromisoformat(since) if since else None
        return cls(**data)


_FIELDS = fields(SessionState)
