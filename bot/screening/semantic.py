"""Both readers over a list of texts at once, under the runtime's rule: for the benchmarks.

``combine_levels(texts, pattern_levels)`` gives each text the level the service ends with: the
patterns' level from the turn, raised to concern when the semantic job would read the text
(``flows.semantic.worth_reading``: 3 words or more, patterns below concern) and its score
reaches the head's frozen threshold. The same functions the job and ``checkin risk`` call, so a
figure measured here is what the service does. The reader (model and head) is loaded once per
process, on first call, with every core (a benchmark, not the service's one background thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from bot.screening.backend import DEFAULT_BACKEND
from bot.screening.reader import SemanticReader, open_reader
from flows.levels import Level
from flows.semantic import combine, worth_reading

__all__ = ["combine_levels", "reader", "semantic_scores"]

BATCH = 256  # texts per embedding call: keeps the cores busy without a large peak of memory


@cache
def reader(backend: str = DEFAULT_BACKEND) -> SemanticReader:
    """This process's reader; raises ``BackendUnavailable`` / ``HeadError`` if it cannot load."""
    return open_reader(backend, threads=None)


def semantic_scores(
    texts: Sequence[str], pattern_levels: Sequence[Level], *, backend: str = DEFAULT_BACKEND,
) -> list[float | None]:
    """The score of each text the job would read; None for the ones it passes over."""
    if len(texts) != len(pattern_levels):
        raise ValueError(f"{len(texts)} texts but {len(pattern_levels)} pattern levels")
    wanted = [i for i, (t, lv) in enumerate(zip(texts, pattern_levels, strict=True))
              if worth_reading(t, lv)]
    out: list[float | None] = [None] * len(texts)
    if not wanted:
        return out
    semantic = reader(backend)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start:start + BATCH]
        scores = np.asarray(semantic.scores([texts[i] for i in chunk]), dtype=np.float64)
        for i, s in zip(chunk, scores.tolist(), strict=True):
            out[i] = float(s)
    return out


def combine_levels(
    texts: Sequence[str], pattern_levels: Sequence[Level], *, backend: str = DEFAULT_BACKEND,
) -> list[Level]:
    """Each text's level from both readers: semantic may raise to concern, never to urgent,
    never lowers (``flows.semantic.combine``)."""
    threshold = reader(backend).threshold
    scores = semantic_scores(texts, pattern_levels, backend=backend)
    return [combine(lv, s, threshold)
            for lv, s in zip(pattern_levels, scores, strict=True)]
