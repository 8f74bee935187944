"""The semantic reader, timed: what it costs per text shows as
``peer_checkin_screening_seconds{reader="semantic"}``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.metrics.instruments import ServiceMetrics
from bot.screening.reader import SemanticReader


@dataclass(frozen=True)
class TimedReader(SemanticReader):
    metrics: ServiceMetrics | None = None

    @classmethod
    def wrap(cls, reader: SemanticReader, metrics: ServiceMetrics) -> TimedReader:
        return cls(reader.backend, reader.head, metrics)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        found = super().scores(texts)
        if texts and self.metrics is not None:
            self.metrics.semantic_read(len(texts), time.perf_counter() - started)
        return found
