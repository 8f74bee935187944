"""The counters and histograms the running service moves as it works.

One `ServiceMetrics` per app, each with a registry of its own (not prometheus-client's global
one): two apps in one process (tests, a benchmark) never add to each other's figures. The app
makes it only when METRICS_TOKEN is set; with it unset `AppContext.metrics` is None and every
call site skips its two lines, so metrics off costs nothing.

Hot-path cost: a labelled child is looked up once and kept (`_children`), so a turn pays a dict
lookup, two ``perf_counter`` calls and an increment or observe under prometheus-client's own
per-value lock; nothing else is locked.

Privacy: every label value comes from a closed set the code defines (channel names, turn
outcomes, lanes, levels, job names, reader names). No label is ever built from a message, an
address or a person.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from flows.risk import Assessment, assess

PREFIX = "peer_checkin_"

# A turn is a few milliseconds; under a burst it waits for its group commit (tens of ms).
TURN_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A provider call: ~50-500 ms in real life, up to the HTTP time-out when a provider hangs.
SEND_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# The patterns take microseconds (a short reply is remembered); the semantic reader 20-45 ms
# a text on one engine thread.
SCREEN_BUCKETS = (0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                  0.25, 1.0)
JOB_BUCKETS = (0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 15.0, 60.0, 300.0)

T = TypeVar("T")


class ServiceMetrics:
    """The app's registry and its in-process instruments (the state-like gauges are read from
    the database at scrape time: `bot.metrics.state`)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.inbound_turns = Counter(
            PREFIX + "inbound_turns", "Inbound messages handled, by channel and turn outcome.",
            ["channel", "outcome"], registry=r)
        self.turn_seconds = Histogram(
            PREFIX + "turn_seconds",
            "Seconds from a webhook handing over an inbound message to its turn being committed.",
            ["channel"], buckets=TURN_BUCKETS, registry=r)
        self.sends = Counter(
            PREFIX + "sends",
            "Send attempts by channel and outcome: sent, rate_limited (a provider 429), "
            "failed (5xx, time-out, network: retried), undeliverable (never retried).",
            ["channel", "outcome"], registry=r)
        self.send_seconds = Histogram(
            PREFIX + "send_seconds", "Seconds a provider took to answer a send attempt.",
            ["channel"], buckets=SEND_BUCKETS, registry=r)
        self.send_retries = Counter(
            PREFIX + "send_retries", "Failed send attempts scheduled to be tried again.",
            ["channel"], registry=r)
        self.dead_letters = Counter(
            PREFIX + "dead_letters",
            "Messages given up after OUTBOX_MAX_ATTEMPTS (this process; the database's count is "
            "peer_checkin_outbox_dead_letters).", ["channel"], registry=r)
        self.screening_seconds = Histogram(
            PREFIX + "screening_seconds", "Seconds a risk reader took for one text.",
            ["reader"], buckets=SCREEN_BUCKETS, registry=r)
        self.job_seconds = Histogram(
            PREFIX + "job_seconds", "Seconds a scheduler job's run took (failed runs too).",
            ["job_name"], buckets=JOB_BUCKETS, registry=r)
        self.job_failures = Counter(
            PREFIX + "job_failures", "Scheduler job runs that raised.", ["job_name"], registry=r)
        self.job_last_success = Gauge(
            PREFIX + "job_last_success_timestamp_seconds",
            "Unix time the job last finished without an error.", ["job_name"], registry=r)
        self._children: dict[tuple[object, ...], Any] = {}
        self._pattern = self.screening_seconds.labels("pattern")
        self._semantic = self.screening_seconds.labels("semantic")

    def _child(self, metric: Any, *labels: str) -> Any:
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    # --- inbound -----------------------------------------------------------------------------

    def turn(self, channel: str, outcome: str, seconds: float) -> None:
        self._child(self.inbound_turns, channel, outcome).inc()
        self._child(self.turn_seconds, channel).observe(seconds)

    # --- sending -----------------------------------------------------------------------------

    def send(self, channel: str, outcome: str, seconds: float | None) -> None:
        """One attempt; ``seconds`` is None when no provider was called."""
        self._child(self.sends, channel, outcome).inc()
        if seconds is not None:
            self._child(self.send_seconds, channel).observe(seconds)

    def retry(self, channel: str) -> None:
        self._child(self.send_retries, channel).inc()

    def dead(self, channel: str) -> None:
        self._child(self.dead_letters, channel).inc()

    # --- screening -----------------------------------------------------------------------------

    def pattern_screen(self, text: str, language: str = "en") -> Assessment:
        """`flows.risk.assess`, timed: the engine calls it for every reply it screens."""
        started = time.perf_counter()
        found = assess(text, language)
        self._pattern.observe(time.perf_counter() - started)
        return found

    def semantic_read(self, texts: int, seconds: float) -> None:
        """A batch of ``texts`` read in ``seconds``: each text is observed at the batch's
        average (the engine reads them together)."""
        each = seconds / texts
        for _ in range(texts):
            self._semantic.observe(each)

    # --- jobs --------------------------------------------------------------------------------

    def timed_job(self, name: str, run: Callable[[], T]) -> T:
        started = time.perf_counter()
        try:
            result = run()
        except Exception:
            self._child(self.job_failures, name).inc()
            raise
        finally:
            self._child(self.job_seconds, name).observe(time.perf_counter() - started)
        self._child(self.job_last_success, name).set(time.time())
        return result
