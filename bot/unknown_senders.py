"""The everyday answer to a number enrolled nowhere, and its STOP.

A stranger gets one polite sentence (HELP: the generic help), within the per-sender limits of
`bot.sender_limits` (one sentence a day, HELP a few an hour, nothing to a machine), and we keep
no words of theirs:
the inbound row exists only so a re-delivery is recognised. Words of danger take another path
first (`bot.strangers`).

STOP is honoured for anyone, enrolled or not (carrier rules, and Twilio blocks the number
anyway): the stranger gets the opt-out confirmation, and nothing else is sent to that address
until it says START, not even the crisis message (staff still get the escalation, as for an
enrolled number that opted out). The opt-out is remembered by that confirmation's outbox row
(no person, kind "stopped"; a START's answer is kind "started"), which retention keeps: see
`storage.queries.messages.unknown_sender_opted_out_at`. Enrolling the number later keeps it
opted out (`storage.queries.people.add_contact`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot import sender_limits, texts
from bot.turns.outcome import InboundResult
from flows.parsing import Keyword
from storage.models import Lane
from storage.queries import audit, messages


def answer_unknown_sender(
    db: Session, channel: str, address: str, keyword: Keyword | None,
    provider_id: str | None, now: datetime,
) -> InboundResult:
    """The turn of a message (not urgent) from an address no contact point has."""
    if messages.insert_inbound(db, channel, address, provider_id, None, None, now) is None:
        return InboundResult("duplicate")
    opted_out = messages.unknown_sender_opted_out_at(db, channel, address) is not None
    if keyword is Keyword.STOP:
        if opted_out:  # said already, and confirmed: a second confirmation is one more bill
            return InboundResult("opted_out")
        _audit(db, "opted_out", channel, now)
        _queue(db, channel, address, "stopped_unknown", messages.UNKNOWN_STOPPED_KIND, now)
        return InboundResult("opted_out", queued=1)
    if keyword is Keyword.START and opted_out:
        _audit(db, "opted_in", channel, now)
        _queue(db, channel, address, "unknown_sender", messages.UNKNOWN_STARTED_KIND, now)
        return InboundResult("opted_in", queued=1)
    # Past STOP and START, the answers are limited per sender (`bot.sender_limits`): a machine
    # gets none, HELP a few an hour, the polite sentence one a day.
    if sender_limits.automated_sender(db, channel, address, now):
        return InboundResult("limited")
    if keyword is Keyword.HELP:  # HELP is answered for anyone, opted out or not
        if not sender_limits.help_allowed(db, channel, address, now):
            return InboundResult("limited")
        _queue(db, channel, address, "generic_help", sender_limits.HELP_KIND, now)
        return InboundResult("help", queued=1)
    if opted_out:
        return InboundResult("opted_out")
    if not sender_limits.stranger_reply_allowed(db, channel, address, now):
        return InboundResult("limited")
    _queue(db, channel, address, "unknown_sender", sender_limits.STRANGER_REPLY_KIND, now)
    return InboundResult("unknown_sender", queued=1)


def _queue(db: Session, channel: str, address: str, text: str, kind: str,
           now: datetime) -> None:
    messages.enqueue_outbound(db, channel=channel, address=address, kind=kind,
                              body=texts.text(text, "en"), lane=Lane.routine, now=now,
                              flush=False)


def _audit(db: Session, action: str, channel: str, now: datetime) -> None:
    # What happened, never the address (as for a stranger's escalation).
    audit.record(db, actor="unknown_sender", action=action, subject_type="contact_point",
                 subject_id=None, detail={"channel": channel, "unknown_sender": True}, now=now)
