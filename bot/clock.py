"""The one place the runtime reads the clock, so tests can pass their own `now`."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
