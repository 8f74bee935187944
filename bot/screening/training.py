"""Training the head: deterministic numpy logistic regression and the threshold rule.

Shared by ``bench/train_semantic.py`` and the tests. No randomness except the fold assignment,
which takes an explicit seed, and no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.screening.head import sigmoid

# Families of "none" texts the rubric calls hard negatives, and the ordinary replies. False
# alarms are budgeted separately on each (rubric: <= 10 % and <= 3 %).
HARD_NEGATIVE_FAMILIES = frozenset({"hyperbole", "negated", "news_grief_illness", "life_stress"})
ORDINARY_FAMILY = "ordinary"
MAX_HARD_NEGATIVE_ALARMS = 0.10
MAX_ORDINARY_ALARMS = 0.03


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, epochs: int = 600, rate: float = 2.0
) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression, by full-batch gradient
    descent from zero (deterministic). Classes are weighted to count equally, so a set with few
    positives still learns them."""
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    n, dim = x.shape
    positives = max(float(y.sum()), 1.0)
    negatives = max(float(n - y.sum()), 1.0)
    sample = np.where(y > 0.5, n / (2 * positives), n / (2 * negatives))
    w = np.zeros(dim)
    b = 0.0
    for _ in range(epochs):
        p = sigmoid(x @ w + b)
        g = sample * (p - y) / n
        w -= rate * (x.T @ g + l2 * w)
        b -= rate * float(g.sum())
    return w, b


def fold_ids(n: int, folds: int, seed: int) -> np.ndarray:
    """A fold number per row, balanced, from a seeded permutation (same seed, same folds)."""
    order = np.random.default_rng(seed).permutation(n)
    ids = np.empty(n, dtype=np.int64)
    ids[order] = np.arange(n) % folds
    return ids


def out_of_fold_scores(
    x: np.ndarray, y: np.ndarray, *, folds: int, seed: int, l2: float = 1e-3
) -> np.ndarray:
    """Each row's score from a head trained without its fold: honest scores to pick the
    threshold on."""
    ids = fold_ids(len(y), folds, seed)
    scores = np.zeros(len(y))
    for k in range(folds):
        test = ids == k
        w, b = fit_logistic(x[~test], y[~test], l2=l2)
        scores[test] = sigmoid(x[test] @ w + b)
    return scores


@dataclass(frozen=True)
class ThresholdChoice:
    threshold: float
    concern_recall: float  # of concern-or-worse texts, the share at or above the threshold
    hard_negative_alarms: float  # of hard negatives, the share at or above it
    ordinary_alarms: float
    hard_negatives: int
    ordinary: int
    positives: int


def _rate(mask: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    total = int(mask.sum())
    return float((scores[mask] >= threshold).sum()) / total if total else 0.0


def choose_threshold(
    scores: np.ndarray, positive: np.ndarray, families: Sequence[str],
    *, max_hard: float = MAX_HARD_NEGATIVE_ALARMS, max_ordinary: float = MAX_ORDINARY_ALARMS,
) -> ThresholdChoice:
    """The lowest threshold (so the highest concern recall) whose false alarms stay within both
    budgets: on hard negatives and on ordinary replies. Candidates are the scores themselves
    (and 1.0, which alarms on nothing); recall only falls as the threshold rises. A none text of
    no known family counts as a hard negative (a false alarm all the same)."""
    fam = np.asarray(families)
    negative = ~positive
    ordinary = negative & (fam == ORDINARY_FAMILY)
    hard = negative & ~ordinary
    for threshold in [*np.unique(scores).tolist(), 1.0]:
        if _rate(hard, scores, threshold) <= max_hard and (
            _rate(ordinary, scores, threshold) <= max_ordinary
        ):
            break
    return ThresholdChoice(
        threshold=float(threshold),
        concern_recall=_rate(positive, scores, threshold),
        hard_negative_alarms=_rate(hard, scores, threshold),
        ordinary_alarms=_rate(ordinary, scores, threshold),
        hard_negatives=int(hard.sum()),
        ordinary=int(ordinary.sum()),
        positives=int(positive.sum()),
    )
