"""The state-like metrics, read from the database when Prometheus scrapes.

A backlog, the escalations still open, the check-ins due: these are facts of the database, not
of one process, so they are counted there at scrape time (a few GROUP BY queries in one short
read transaction, outside the write lock) instead of being tracked by every code path that
changes them. That also makes them true across instances and restarts, and counts what another
process did (`checkin escalations ack` from the command line acknowledges in a process of its
own). Time to acknowledge is one of them for the same reason: an escalation's raised and
acknowledged times are stored, and its histogram is counted from them in one query.

Several instances against one database each report the same figures: aggregate them with
``max``, never ``sum`` (docs/monitoring.md).

Labels: lane, channel, status, level and the program's id; never a person or a text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.database import Database
from bot.metrics.instruments import PREFIX
from storage.queries import monitoring

log = logging.getLogger(__name__)

# Seconds from raised to acknowledged: urgent is due in 15 min, concern in 24 h, watch 72 h.
ACK_BUCKETS = (30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 4 * 3600.0,
               24 * 3600.0, 72 * 3600.0)
LANES = ("urgent", "routine")
# Levels alerted at once (a watch item waits for the program's daily digest, by design).
ALERTED_LEVELS = ("urgent", "concern")


class StateCollector(Collector):
    """Registered on the app's registry; `collect` runs on each scrape (in a worker thread:
    the /metrics route calls the exposition off the event loop)."""

    def __init__(self, database: Callable[[], Database], clock: Callable[[], datetime],
                 channels: Callable[[], Iterable[str]]) -> None:
        # Callables: tests replace ctx.database and ctx.channels on a built app.
        self._database = database
        self._clock = clock
        self._channels = channels

    def describe(self) -> list[Metric]:
        return []  # no describe-time query: registering must not touch the database

    def collect(self) -> Iterable[Metric]:
        now = self._clock()
        up = GaugeMetricFamily(PREFIX + "database_up",
                               "1 when the last scrape could read the database, else 0.")
        try:
            with self._database().reading() as db:
                outbox = monitoring.outbox_counts(db)
                oldest = monitoring.oldest_pending(db)
                open_escalations = monitoring.unresolved_escalations(db)
                unheard = monitoring.not_alerted(db)
                unalerted = monitoring.oldest_unalerted(db)
                due, due_oldest = monitoring.due_not_started(db, now)
                acks = monitoring.time_to_acknowledge(db, ACK_BUCKETS)
        except Exception as exc:  # a scrape reports, never raises: the process metrics still go
            log.warning("metrics: reading the database failed (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from self._outbox(outbox, oldest, now)
        yield from self._escalations(open_escalations, unheard, unalerted, now)
        yield _gauge("checkins_due_not_started",
                     "Scheduled check-ins due now that no instance has started yet.", due)
        yield _gauge("checkins_due_oldest_seconds",
                     "Seconds the oldest due, not yet started check-in has been due (0: none).",
                     (now - due_oldest).total_seconds() if due_oldest else 0.0)
        yield _ack_histogram(acks)

    def _outbox(self, counts: list[monitoring.OutboxCount], oldest: dict[str, datetime],
                now: datetime) -> Iterable[Metric]:
        backlog = GaugeMetricFamily(PREFIX + "outbox_backlog",
                                    "Outbound messages waiting to be sent, per lane and channel.",
                                    labels=["lane", "channel"])
        dead = GaugeMetricFamily(PREFIX + "outbox_dead_letters",
                                 "Outbound messages dead-lettered (given up) and still stored.",
                                 labels=["channel"])
        channels = sorted(set(self._channels()) | {c.channel for c in counts})
        pending = {(c.lane, c.channel): c.count for c in counts if c.status == "pending"}
        dead_by = {c.channel: 0 for c in counts}
        for c in counts:
            if c.status == "dead":
                dead_by[c.channel] += c.count
        for lane in LANES:  # zeros too: a series that appears late breaks rate() and alerts
            for channel in channels:
                backlog.add_metric([lane, channel], pending.get((lane, channel), 0))
        for channel in channels:
            dead.add_metric([channel], dead_by.get(channel, 0))
        age = GaugeMetricFamily(PREFIX + "outbox_oldest_pending_seconds",
                                "Seconds the oldest message waiting to be sent has waited "
                                "(0: nothing waits).", labels=["lane"])
        for lane in LANES:
            at = oldest.get(lane)
            age.add_metric([lane], max(0.0, (now - at).total_seconds()) if at else 0.0)
        return [backlog, dead, age]

    def _escalations(
        self, counts: list[monitoring.EscalationCount], unheard: list[tuple[str, int, int]],
        unalerted: dict[str, datetime], now: datetime,
    ) -> Iterable[Metric]:
        opened = GaugeMetricFamily(
            PREFIX + "escalations_open",
            "Escalations not resolved, by level, program id and state (open: nobody has "
            "acknowledged it; acknowledged: someone owns it).",
            labels=["level", "program", "state"])
        for c in counts:
            opened.add_metric([c.level, str(c.program_id), c.status], c.count)
        nobody = GaugeMetricFamily(
            PREFIX + "escalations_not_alerted",
            "Open escalations whose latest alert round reached nobody, by level and program id.",
            labels=["level", "program"])
        for level, program_id, count in unheard:
            nobody.add_metric([level, str(program_id)], count)
        waiting = GaugeMetricFamily(
            PREFIX + "alert_undelivered_oldest_seconds",
            "Seconds since the oldest open escalation was raised that no alert has reached yet "
            "(0: every open escalation has a sent alert); urgent and concern, which are "
            "alerted at once.", labels=["level"])
        for level in ALERTED_LEVELS:
            at = unalerted.get(level)
            waiting.add_metric([level], max(0.0, (now - at).total_seconds()) if at else 0.0)
        return [opened, nobody, waiting]


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, doc, value=value)


def _ack_histogram(acks: list[monitoring.AckTimes]) -> HistogramMetricFamily:
    family = HistogramMetricFamily(
        PREFIX + "time_to_acknowledge_seconds",
        "Seconds from an escalation being raised to a staff member acknowledging it (or "
        "resolving it unacknowledged), by level; counted from the stored times.",
        labels=["level"])
    for ack in acks:
        buckets = [(_le(bound), count) for bound, count in zip(ACK_BUCKETS, ack.buckets,
                                                                 strict=True)]
        buckets.append(("+Inf", ack.count))
        family.add_metric([ack.level], buckets, ack.total_seconds)
    return family


def _le(bound: float) -> str:
    return str(float(bound))
