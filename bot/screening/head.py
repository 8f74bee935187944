"""The classifier head on a sentence embedding, in numpy: one score in [0, 1] per text.

Two kinds, both a few kilobytes:
- ``prototypes`` (the committed head): one unit vector per rubric family and label (the mean of
  that family's training texts: "despair", "coercion", "hyperbole", "ordinary", ...). A text's
  cosine to each prototype goes through a softmax at ``temperature``; the score is the share
  that falls on concern-or-worse families. Each family keeps its own centre, so a wording close
  to any one of them counts, where one straight line between "worrying" and "not" has to trade
  the families against each other (cross-validated on dev: fewer urgent texts left at none).
- ``logistic``: ``sigmoid(vector · weights + bias)``.
The arrays, the frozen threshold and a SHA-256 of the file it was trained on live in one small
``.npz`` file (``semantic_head.npz`` beside this module), written by ``bench/train_semantic.py``.
What a score may change is ``flows.semantic``'s rule, not this module's.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEAD_FILE = Path(__file__).with_name("semantic_head.npz")


class HeadError(ValueError):
    """The weights file is missing, unreadable, or made for another backend."""


def sigmoid(z: np.ndarray) -> np.ndarray:
    # Clipped so exp never overflows; the scores it cuts off are already 0 or 1 in float32.
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def prototype_scores(
    x: np.ndarray, prototypes: np.ndarray, positive: np.ndarray, temperature: float,
) -> np.ndarray:
    """Softmax over the cosines to each prototype (rows unit length); the mass on the positive
    ones. Shifted by the row's maximum so exp never overflows."""
    z = (x @ prototypes.T) / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e[:, positive].sum(axis=1) / e.sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class Head:
    weights: np.ndarray  # (dim,) float32
    bias: float
    threshold: float  # frozen when trained: score >= threshold reads as concern
    backend: str  # the embedding backend the weights belong to
    training_sha256: str  # of the TSV file it was trained on
    training_file: str  # its name, for people
    training_rows: int
    kind: str = "logistic"  # or "prototypes": then weights is (families, dim)
    positive: np.ndarray | None = None  # prototypes: which rows of weights are concern-or-worse
    temperature: float = 1.0  # prototypes: the softmax's temperature over cosines
    families: tuple[str, ...] = ()  # prototypes: "label/family" of each row, for people

    @property
    def dim(self) -> int:
        return int(self.weights.shape[-1])

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """One score in [0, 1] per row of ``vectors`` (n, dim)."""
        if vectors.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        if vectors.shape[1] != self.dim:
            raise HeadError(
                f"the head expects {self.dim}-dimensional vectors, "
                f"the backend gave {vectors.shape[1]}"
            )
        x = vectors.astype(np.float64)
        if self.kind == "prototypes":
            assert self.positive is not None
            return prototype_scores(x, self.weights.astype(np.float64), self.positive,
                                    self.temperature)
        return sigmoid(x @ self.weights.astype(np.float64) + self.bias)

    def save(self, path: Path) -> None:
        """Write the ``.npz`` byte for byte the same for the same head (fixed zip timestamps),
        so retraining on an unchanged file leaves git with nothing to show."""
        arrays = {
            "weights": self.weights.astype(np.float32),
            "bias": np.float64(self.bias),
            "threshold": np.float64(self.threshold),
            "backend": np.str_(self.backend),
            "training_sha256": np.str_(self.training_sha256),
            "training_file": np.str_(self.training_file),
            "training_rows": np.int64(self.training_rows),
            "kind": np.str_(self.kind),
            "temperature": np.float64(self.temperature),
        }
        if self.positive is not None:
            arrays["positive"] = np.asarray(self.positive, dtype=np.bool_)
            arrays["families"] = np.asarray(self.families, dtype=np.str_)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, value in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.asarray(value), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, buffer.getvalue())

    @classmethod
    def load(cls, path: Path = HEAD_FILE) -> Head:
        try:
            with np.load(path, allow_pickle=False) as data:
                kind = str(data["kind"]) if "kind" in data else "logistic"
                positive = np.asarray(data["positive"], dtype=np.bool_) if (
                    "positive" in data) else None
                if kind not in ("logistic", "prototypes") or (
                        kind == "prototypes" and positive is None):
                    raise ValueError(f"unknown head kind '{kind}' or missing prototypes")
                return cls(
                    kind=kind, positive=positive,
                    temperature=float(data["temperature"]) if "temperature" in data else 1.0,
                    families=tuple(str(f) for f in data["families"]) if (
                        "families" in data) else (),
                    weights=np.asarray(data["weights"], dtype=np.float32),
                    bias=float(data["bias"]),
                    threshold=float(data["threshold"]),
                    backend=str(data["backend"]),
                    training_sha256=str(data["training_sha256"]),
                    training_file=str(data["training_file"]),
                    training_rows=int(data["training_rows"]),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise HeadError(f"cannot read the semantic head {path}: {exc}") from exc
