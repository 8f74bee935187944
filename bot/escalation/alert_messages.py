"""An escalation alert as one message: its discreet text, and queueing it to one person.

Alert texts are discreet (phones are seen by others): level, escalation number, the person's
initials, the program name, the dashboard link and "Reply ACK <id>". A program may add the reason
codes (``settings["alert_detail"] = "reasons"``); evidence, answers and free text never appear
in an alert, whatever the setting.

Rounds (who gets an alert, when, re-alerts) are `bot.escalation.alerts`; failover
(`bot.escalation.failover`) sends the same message elsewhere. Both build on this module, which
imports neither of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from storage.models import (
    AlertStatus,
    ContactPoint,
    Escalation,
    Lane,
    Message,
    Person,
    Program,
)
from storage.queries import messages

KIND = "alert"
MAX_CHARS = 320
DETAIL_SETTING = "alert_detail"
DETAIL_MODES = ("discreet", "reasons")
# Audit actions: one "alert_round" marker per round (failover reads rounds from it), one
# "alert_queued" per recipient, "alert_undeliverable" when a round reaches nobody.
ROUND_ACTION = "alert_round"
QUEUED_ACTION = "alert_queued"
UNDELIVERABLE_ACTION = "alert_undeliverable"

# A reason code is shown only when it looks like one (feels_unsafe, self_harm): anything else
# could be free text and is left out.
_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_WORD = re.compile(r"[^\W\d_]+")

_LEVELS: dict[str, dict[str, str]] = {
    "en": {"urgent": "URGENT", "concern": "Concern", "watch": "Watch"},
    "es": {"urgent": "URGENTE", "concern": "Preocupación", "watch": "Seguimiento"},
}
_WORDS: dict[str, dict[str, str]] = {
    "en": {"alert": "{level} alert #{id}", "reasons": "Reasons: {reasons}.",
           "open": "Review: {url}", "ack": "Reply ACK {id}", "unknown": "unknown sender"},
    "es": {"alert": "Alerta {level} #{id}", "reasons": "Motivos: {reasons}.",
           "open": "Revisar: {url}", "ack": "Responde ACK {id}",
           "unknown": "remitente desconocido"},
}


# ---- the text -------------------------------------------------------------------------------


def initials(display_name: str) -> str:
    """Initials: "Ana Torres" -> "A.T."; first and last word only; "?" when there is no letter."""
    words = _WORD.findall(display_name or "")
    if not words:
        return "?"
    picked = [words[0], words[-1]] if len(words) > 1 else words[:1]
    return "".join(f"{w[0].upper()}." for w in picked)


def subject_of(db: Session, escalation: Escalation) -> Person | None:
    """The person an escalation is about; None for an unknown sender (`Escalation`)."""
    if escalation.person_id is None:
        return None
    return db.get(Person, escalation.person_id)


def detail_mode(program: Program) -> str:
    value = (program.settings or {}).get(DETAIL_SETTING, "discreet")
    return value if value in DETAIL_MODES else "discreet"


def _language(language: str | None) -> str:
    base = (language or "en").split("-")[0].lower()
    return base if base in _WORDS else "en"


def escalation_link(dashboard_url: str | None, esc_id: int) -> str | None:
    if not dashboard_url:
        return None
    return f"{dashboard_url.rstrip('/')}/escalations/{esc_id}"


def alert_text(
    escalation: Escalation,
    program: Program,
    person_about: Person | None,
    *,
    detail: str = "discreet",
    dashboard_url: str | None,
    language: str = "en",
) -> str:
    """The alert a supervisor's phone shows, under 320 characters.

    ``detail="reasons"`` adds the reason codes (never evidence or answers); ``language`` "es"
    gives the Spanish wording, anything else English.
    """
    lang = _language(language)
    words = _WORDS[lang]
    esc_id = escalation.id
    level = _LEVELS[lang].get(escalation.level, escalation.level.capitalize())
    # An unknown sender is named as one, never by number (alerts stay discreet).
    who = (words["unknown"] if escalation.person_id is None
           else initials(person_about.display_name) if person_about is not None else "?")
    program_name = " ".join(program.name.split())[:60]
    head = words["alert"].format(level=level, id=esc_id)
    link = escalation_link(dashboard_url, esc_id or 0)
    tail = [words["ack"].format(id=esc_id)]
    if link:
        tail.insert(0, words["open"].format(url=link))

    def build(about: str, reasons: Sequence[str]) -> str:
        parts = [f"{head} ({about})."]
        if reasons:
            parts.append(words["reasons"].format(reasons=", ".join(reasons)))
        return " ".join([*parts, *tail])

    about = f"{who}, {program_name}" if program_name else who
    shown: list[str] = []
    if detail == "reasons":
        for reason in escalation.reasons or []:
            if _REASON_CODE.match(str(reason)) and reason not in shown:
                if len(build(about, [*shown, reason])) > MAX_CHARS:
                    break
                shown.append(reason)
    text = build(about, shown)
    if len(text) > MAX_CHARS:  # an absurdly long dashboard address: keep the essentials
        text = build(who, [])
    if len(text) > MAX_CHARS:
        text = f"{head} ({who}). {words['ack'].format(id=esc_id)}"
    return text


# ---- to one person --------------------------------------------------------------------------


def queue_to(
    db: Session,
    escalation: Escalation,
    program: Program,
    person: Person,
    contacts: Sequence[ContactPoint],
    now: datetime,
    *,
    dashboard_url: str | None,
    person_about: Person | None = None,
) -> list[Message]:
    """Queue this escalation's alert to ``person`` on each of ``contacts`` (urgent lane)."""
    if person_about is None:
        person_about = subject_of(db, escalation)
    body = alert_text(escalation, program, person_about, detail=detail_mode(program),
                      dashboard_url=dashboard_url, language=person.language)
    queued: list[Message] = []
    for contact in contacts:
        message = messages.enqueue_outbound(
            db, channel=contact.channel, address=contact.address, body=body, kind=KIND,
            lane=Lane.urgent, now=now, person_id=person.id, flush=False,
        )
        message.escalation_id = escalation.id
        queued.append(message)
    if queued and escalation.alert_status != AlertStatus.sent:
        escalation.alert_status = AlertStatus.queued
    db.flush()
    return queued
