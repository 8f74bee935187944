"""The log lines of an escalation's life: raised (or merged), acknowledged, resolved, reopened.

Ids, level and reason codes only: never the person's words, never a name, an address or the
actor (a username or a phone number), never a resolution note. Each line carries the request id
bound when it is written (`bot.request_ids`): the webhook whose turn raised the escalation, the
ACK's own request. A leaf module, so every place that raises one can call it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from storage.models import Escalation

log = logging.getLogger("bot.escalation")


def raised(esc: Escalation, *, created: bool, reasons: Iterable[str], alerts_queued: int = 0,
           unknown_sender: bool = False) -> None:
    event = "escalation_raised" if created else "escalation_merged"
    log.info("escalation %s %s: %s", esc.id, "raised" if created else "merged", esc.level,
             extra={"event": event, "escalation_id": esc.id, "escalation_level": esc.level,
                    "program_id": esc.program_id, "reasons": list(reasons),
                    "alerts_queued": alerts_queued,
                    **({"unknown_sender": True} if unknown_sender else {})})


def acted(esc: Escalation, action: str, *, by_person_id: int | None) -> None:
    """``action``: escalation_acknowledged, escalation_resolved or escalation_reopened."""
    log.info("escalation %s %s", esc.id, action.removeprefix("escalation_"),
             extra={"event": action, "escalation_id": esc.id, "escalation_level": esc.level,
                    "by_person_id": by_person_id})
