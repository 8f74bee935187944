"""How the semantic second reader's verdict joins the patterns' verdict: pure policy, no I/O.

The patterns (``flows.risk``) run inside the turn and decide alone what happens at once (an
urgent escalation, the crisis reply). A second reader, an embedding model with a small classifier
head (``bot/screening``), reads the same text later and gives a score: the chance the text is
concern-or-worse. This module says what that score may change, so every caller (the background
job, ``checkin risk``, the benchmarks) applies the same rule:

- it may raise a text to CONCERN and never to URGENT: a false urgent sends a crisis reply to
  someone who was only venting, and that decision stays with the readable patterns;
- it never lowers what the patterns found;
- only texts of ``MIN_WORDS`` words or more are read: "4", "yes", "no thanks" carry nothing a
  sentence model can add, and skipping them keeps the model's cost to real free text.
"""

from __future__ import annotations

import re

from flows.levels import Level

__all__ = ["MIN_WORDS", "SEMANTIC_LEVEL", "combine", "semantic_level", "worth_reading"]

# The one level the semantic reader can raise.
SEMANTIC_LEVEL = Level.CONCERN
MIN_WORDS = 3

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def worth_reading(text: str | None, pattern_level: Level) -> bool:
    """Whether the semantic reader could change anything for this text: it has ``MIN_WORDS``
    words or more and the patterns rated it below concern."""
    if not text or pattern_level >= SEMANTIC_LEVEL:
        return False
    return len(_WORD.findall(text, 0, 2000)) >= MIN_WORDS


def semantic_level(score: float | None, threshold: float) -> Level:
    """The semantic reader's own verdict: CONCERN at or above its frozen threshold, else NONE
    (None: not read)."""
    return SEMANTIC_LEVEL if score is not None and score >= threshold else Level.NONE


def combine(pattern_level: Level, score: float | None, threshold: float) -> Level:
    """The level a text gets from both readers: the patterns' level, raised to CONCERN when it
    was below concern and the score reaches the threshold. Never URGENT from the score alone,
    never lower than the patterns."""
    if pattern_level >= SEMANTIC_LEVEL:
        return pattern_level
    return max(pattern_level, semantic_level(score, threshold))
