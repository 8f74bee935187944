"""Conditions written in flow files, e.g. `"<= 2"`, `"== 1"`, `yes`, `in [1, 2]`, `answered`.

Program staff write these, so the grammar is deliberately tiny: one comparison against the answer
of the state that holds it. Anything else is a load-time error, never a runtime surprise.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_COMPARISON = re.compile(r"^\s*(==|!=|<=|>=|<|>)\s*(-?\d+|yes|no)\s*$", re.IGNORECASE)
_MEMBERSHIP = re.compile(r"^\s*in\s*\[\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\]\s*$", re.IGNORECASE)
_STATUS_WORDS = frozenset({"answered", "unanswered", "skipped"})


class ExpressionError(ValueError):
    """A condition that cannot be understood; the loader adds the file and state."""


@dataclass(frozen=True)
class Condition:
    """A parsed condition. `kind` is numeric, boolean or status, so the loader can check it fits
    the question it is attached to (a number compared with a yes/no answer is a mistake)."""

    source: str
    kind: str  # "numeric" | "boolean" | "status"
    op: str
    value: Any

    def matches(self, value: Any, status: str) -> bool:
        """`value` is the parsed answer (None when unanswered or skipped); `status` is
        answered/unanswered/skipped."""
        if self.kind == "status":
            return status == self.value
        if value is None or status != "answered":
            return False
        if self.kind == "boolean":
            return isinstance(value, bool) and _OPS[self.op](value, self.value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.op == "in":
            return value in self.value
        return _OPS[self.op](value, self.value)


def parse_condition(text: object) -> Condition:
    if isinstance(text, bool):  # YAML reads a bare `yes` as True
        return Condition("yes" if text else "no", "boolean", "==", text)
    if isinstance(text, int):
        return Condition(str(text), "numeric", "==", text)
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"expected a condition such as '<= 2' or 'yes', got {text!r}")
    source = text.strip()
    lowered = source.lower()
    if lowered in ("yes", "no"):
        return Condition(source, "boolean", "==", lowered == "yes")
    if lowered in _STATUS_WORDS:
        return Condition(source, "status", "==", lowered)
    if m := _COMPARISON.match(source):
        op, raw = m.group(1), m.group(2).lower()
        if raw in ("yes", "no"):
            if op not in ("==", "!="):
                raise ExpressionError(f"'{source}': yes/no can only be compared with == or !=")
            return Condition(source, "boolean", op, raw == "yes")
        return Condition(source, "numeric", op, int(raw))
    if m := _MEMBERSHIP.match(source):
        values = frozenset(int(v) for v in m.group(1).split(","))
        return Condition(source, "numeric", "in", values)
    raise ExpressionError(
        f"cannot read the condition '{source}': use a comparison such as '<= 2', '== 1', "
        "'in [1, 2]', 'yes', 'no', 'answered', 'unanswered' or 'skipped'"
    )


def numeric_bounds_ok(cond: Condition, low: int, high: int) -> bool:
    """True when a numeric condition can ever be true on the scale low..high (catches typos
    like '<= 0' on a 1..5 scale, which would silently never escalate)."""
    if cond.kind != "numeric":
        return True
    return any(cond.matches(v, "answered") for v in range(low, high + 1))
