"""Unknown senders in crisis: a number or Telegram chat enrolled nowhere, writing words of danger.

Such a message is screened like any other (`flows.risk.assess`). Most strangers are a wrong
number or someone curious, and they get the usual "enrolled members only" answer with nothing
of theirs kept (`bot.unknown_senders`). But a mentee on a new phone, or a friend of one, can
write "i dont want to live anymore" from an address we do not know; turning them away is the
one answer that must never happen. An urgent finding therefore:

- keeps the message (staff need its words to find out who it is),
- raises an "unknown sender" escalation (no person; the sender's channel and address, which
  only admins see: see `storage.models.Escalation`) in every program that shares the number or
  bot, and alerts it as any new escalation (alerts name no number),
- answers with the crisis message in the language the screening suggests, on the urgent lane,
  without SMS consent (it answers their own message), at most once per `CRISIS_REPLY_WINDOW`,
  and never to a number that said STOP (`bot.unknown_senders`).

A repeat while a program's escalation is open and unacknowledged merges into it; after staff
acted, it is a new escalation. Everything happens in the caller's turn transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot import texts, webhook_events
from bot.escalation import log_lines
from bot.escalation.alerts import alert_new_escalation
from bot.policy import ack_deadline
from bot.turns.outcome import InboundResult
from flows.levels import Level
from flows.risk import Assessment, assess, suggested_language
from storage.models import Lane
from storage.queries import audit, escalations, messages, people

# One crisis reply per stranger in this long: a burst of messages gets one answer, not ten.
CRISIS_REPLY_WINDOW = timedelta(minutes=10)
CRISIS_KIND = "crisis"


def answer_stranger_in_crisis(
    db: Session, channel: str, address: str, text: str, provider_id: str | None,
    now: datetime, *, found: Assessment | None = None, dashboard_url: str | None = None,
) -> InboundResult | None:
    """The turn of an unknown sender's message when screening finds urgent words; None (nothing
    written) for anything else, which keeps today's answer. ``found``: the screening, if the
    caller has it already; ``dashboard_url``: the app's public address, for the alerts' link."""
    found = found if found is not None else assess(text, "en")
    if found.level is not Level.URGENT:
        return None
    if messages.insert_inbound(db, channel, address, provider_id, text, None, now) is None:
        return InboundResult("duplicate")
    queued = 0
    for program in people.programs_on_channel(db, channel):
        assert program.id is not None
        level = found.level.value
        esc, created = escalations.add_or_merge_sender_escalation(
            db, program_id=program.id, channel=channel, address=address, level=level,
            reasons=found.categories, evidence=found.evidence, now=now,
            due_at=ack_deadline(program, level, now))
        # The audit trail records what happened, never the words nor the address.
        audit.record(db, actor="system",
                     action="escalation_raised" if created else "escalation_merged",
                     subject_type="escalation", subject_id=esc.id,
                     detail={"level": level, "reasons": list(found.categories),
                             "unknown_sender": True, "channel": channel}, now=now)
        alerted = 0
        if created:
            alerted = alert_new_escalation(db, esc, program, now, dashboard_url=dashboard_url)
            webhook_events.escalation_event(db, esc, webhook_events.RAISED, now,
                                            program=program)
        queued += alerted
        log_lines.raised(esc, created=created, reasons=found.categories,
                         alerts_queued=alerted, unknown_sender=True)
    # A number that said STOP gets nothing, not even this (Twilio would refuse it too); staff
    # have the escalation.
    if (not _crisis_answered_recently(db, channel, address, now)
            and messages.unknown_sender_opted_out_at(db, channel, address) is None):
        language = suggested_language(text)
        body = f"{texts.text('crisis', language)} {texts.text('staff_told_unknown', language)}"
        messages.enqueue_outbound(db, channel=channel, address=address, body=body,
                                  kind=CRISIS_KIND, lane=Lane.urgent, now=now, flush=False)
        queued += 1
    return InboundResult("stranger_crisis", queued=queued, urgent=True)


def _crisis_answered_recently(db: Session, channel: str, address: str, now: datetime) -> bool:
    last = messages.last_outbound_of_kind(db, channel, address, CRISIS_KIND)
    return last is not None and last.created_at > now - CRISIS_REPLY_WINDOW
