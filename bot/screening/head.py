"""The classifier head: logistic regression on a sentence embedding, in numpy.

``score = sigmoid(vector · weights + bias)`` is the chance a text is concern-or-worse. The
weights, the frozen threshold and a SHA-256 of the file it was trained on live in one small
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


@dataclass(frozen=True)
class Head:
    weights: np.ndarray  # (dim,) float32
    bias: float
    threshold: float  # frozen when trained: score >= threshold reads as concern
    backend: str  # the embedding backend the weights belong to
    training_sha256: str  # of the TSV file it was trained on
    training_file: str  # its name, for people
    training_rows: int

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """One score in [0, 1] per row of ``vectors`` (n, dim)."""
        if vectors.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        if vectors.shape[1] != self.weights.shape[0]:
            raise HeadError(
                f"the head expects {self.weights.shape[0]}-dimensional vectors, "
                f"the backend gave {vectors.shape[1]}"
            )
        z = vectors.astype(np.float64) @ self.weights.astype(np.float64) + self.bias
        return sigmoid(z)

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
        }
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
                return cls(
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
