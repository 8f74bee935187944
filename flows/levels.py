"""Escalation levels, ordered by how fast a human must act."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    NONE = "none"
    WATCH = "watch"
    CONCERN = "concern"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


_RANK = {Level.NONE: 0, Level.WATCH: 1, Level.CONCERN: 2, Level.URGENT: 3}

# Levels that become escalations (NONE never does).
ESCALATION_LEVELS = (Level.URGENT, Level.CONCERN, Level.WATCH)
