"""Training the head: family prototypes or logistic regression in numpy, and the threshold rule.

Shared by ``bench/train_semantic.py`` and the tests. No randomness except the fold assignment,
which takes an explicit seed, and no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.screening.head import prototype_scores, sigmoid

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


# Sharp enough that the nearest families decide, soft enough that a text between two families
# of the same side still scores high (chosen by cross-validation on dev: 0.02 and 0.005 were
# each worse on urgent texts left at none or on ordinary false alarms).
PROTOTYPE_TEMPERATURE = 0.01


def fit_prototypes(
    x: np.ndarray, keys: Sequence[str], positive: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """One unit-length prototype per key ("label/family"): the mean of its rows. Returns the
    prototypes (k, dim), which of them are concern-or-worse, and the keys in order (sorted:
    the same data gives the same file)."""
    names = tuple(sorted(set(keys)))
    k = np.asarray(keys)
    rows = []
    flags = []
    for name in names:
        mask = k == name
        centre = x[mask].mean(axis=0)
        rows.append(centre / max(float(np.linalg.norm(centre)), 1e-12))
        flags.append(bool(positive[mask][0]))
    return np.array(rows), np.array(flags, dtype=np.bool_), names


def prototype_out_of_fold_scores(
    x: np.ndarray, keys: Sequence[str], positive: np.ndarray, *, folds: int, seed: int,
    temperature: float = PROTOTYPE_TEMPERATURE,
) -> np.ndarray:
    """Each row's score from prototypes made without its fold."""
    ids = fold_ids(len(positive), folds, seed)
    k = np.asarray(keys)
    scores = np.zeros(len(positive))
    for fold in range(folds):
        test = ids == fold
        protos, flags, _ = fit_prototypes(x[~test], list(k[~test]), positive[~test])
        scores[test] = prototype_scores(x[test], protos, flags, temperature)
    return scores


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


def choose_threshold(
    scores: np.ndarray, positive: np.ndarray, families: Sequence[str],
    *, max_hard: float = MAX_HARD_NEGATIVE_ALARMS, max_ordinary: float = MAX_ORDINARY_ALARMS,
    already: np.ndarray | None = None, read: np.ndarray | None = None,
) -> ThresholdChoice:
    """The lowest threshold (so the highest concern recall) whose false alarms stay within both
    budgets: on hard negatives and on ordinary replies. Candidates are the scores themselves
    (and 1.0, which alarms on nothing); recall only falls as the threshold rises. A none text of
    no known family counts as a hard negative (a false alarm all the same).

    The budgets are the whole screener's, so they are spent together with the patterns:
    ``already`` marks texts the patterns flagged (alarm on a none text; concern or worse on a
    positive one) and ``read`` the texts the semantic job would read at all
    (``flows.semantic.worth_reading``). A text then counts as flagged when the patterns flagged
    it or it is read and scores at or above the threshold. Without them: the scores alone."""
    fam = np.asarray(families)
    negative = ~positive
    ordinary = negative & (fam == ORDINARY_FAMILY)
    hard = negative & ~ordinary
    before = np.zeros(len(scores), dtype=np.bool_) if already is None else already
    seen = np.ones(len(scores), dtype=np.bool_) if read is None else read

    def rate(mask: np.ndarray, threshold: float) -> float:
        total = int(mask.sum())
        flagged = before | (seen & (scores >= threshold))
        return float(flagged[mask].sum()) / total if total else 0.0

    for threshold in [*np.unique(scores).tolist(), 1.0]:
        if rate(hard, threshold) <= max_hard and rate(ordinary, threshold) <= max_ordinary:
            break
    return ThresholdChoice(
        threshold=float(threshold),
        concern_recall=rate(positive, threshold),
        hard_negative_alarms=rate(hard, threshold),
        ordinary_alarms=rate(ordinary, threshold),
        hard_negatives=int(hard.sum()),
        ordinary=int(ordinary.sum()),
        positives=int(positive.sum()),
    )
