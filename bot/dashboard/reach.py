""""Can we reach people?": the Delivery page's first answer, one plain sentence per channel
("SMS: 41 of 42 messages sent in the last 24 h; 1 waiting to retry."), worked out from the
outbox counts and the channel's health. The tables below it keep the details."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CHANNEL_WORDS = {"sms": "SMS", "telegram": "Telegram", "web": "Web simulator",
                 "terminal": "Terminal", "webhook": "Webhooks (case-management systems)"}
SENT = ("sent", "delivered")
FAILED = ("failed", "undelivered", "dead")
WAITING = ("pending", "sending")


@dataclass(frozen=True)
class Reach:
    channel: str  # "SMS"
    verdict: str  # "yes", "mostly", "no", "idle": also the css class
    sentence: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reach(outcomes: Mapping[str, Mapping[str, int]], health: Mapping[str, Mapping[str, Any]],
          hours: int = 24) -> list[Reach]:
    """One line per configured channel, and per channel with messages but no configuration.
    ``outcomes`` as `storage.queries.outbox.outcomes_since`; ``health`` as the adapters'."""
    lines = []
    for name in sorted(set(health) | set(outcomes), key=lambda c: (c not in health, c)):
        counts = outcomes.get(name, {})
        sent = sum(counts.get(s, 0) for s in SENT)
        failed = sum(counts.get(s, 0) for s in FAILED)
        waiting = sum(counts.get(s, 0) for s in WAITING)
        retrying = counts.get("retrying", 0)
        total = sent + failed + waiting
        label = CHANNEL_WORDS.get(name, name)
        state = health.get(name)
        if state is None:
            lines.append(Reach(label, "no", f"No: {label} is not set up on this service, and "
                               f"{_plural(total, 'message')} for it cannot be sent."))
            continue
        if state.get("config_error") or state.get("health_error"):
            lines.append(Reach(label, "no", f"No: {label}'s settings have a problem (see "
                               "Channels below)."))
            continue
        if total == 0:
            lines.append(Reach(label, "idle", f"Nothing sent by {label} in the last {hours} h."))
            continue
        parts = [f"{sent} of {_plural(total, 'message')} sent in the last {hours} h"]
        delivered = counts.get("delivered", 0)
        if delivered and name == "sms":
            parts[0] += f" ({delivered} confirmed delivered by the phone company)"
        if retrying:
            parts.append(f"{retrying} waiting to retry")
        if waiting - retrying:
            parts.append(f"{waiting - retrying} waiting to be sent")
        if failed:
            parts.append(f"{failed} could not be delivered (listed below)")
        verdict = "yes" if not failed else ("no" if not sent else "mostly")
        lines.append(Reach(label, verdict, "; ".join(parts) + "."))
    return lines
