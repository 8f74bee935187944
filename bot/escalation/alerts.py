"""Escalation alerts: the discreet text, and queueing one alert round in the urgent lane.

An alert round goes to the people ``routing`` names, falling back when nobody there can be
reached: the on-call list, then the backup list, then (last resort: an alert to someone off
shift beats an alert to nobody) every active supervisor and admin of the program. When even
that finds nobody, an ``alert_undeliverable`` audit event says so (the dashboard shows it);
an alert never fails silently.

Alert texts are discreet (phones are seen by others): level, escalation number, the person's
initials, the program name, the dashboard link and "Reply ACK <id>". A program may add the reason
codes (``settings["alert_detail"] = "reasons"``); evidence, answers and free text never appear
in an alert, whatever the setting. Audit events name people, channels and message ids, never
texts.

Every function takes an open session and never commits: the caller's transaction (the turn that
raised the escalation, or the re-alert job) writes the alerts with everything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from bot.escalation import routing
from bot.escalation.routing import Target
from storage.models import (
    ContactPoint,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    Person,
    Program,
)
from storage.queries import audit, messages

KIND = "alert"
MAX_CHARS = 320
URGENT_REALERT = timedelta(minutes=5)
DETAIL_SETTING = "alert_detail"
DETAIL_MODES = ("discreet", "reasons")
# Audit actions: one "alert_round" marker per round (failover reads rounds from it), one
# "alert_queued" per recipient, "alert_undeliverable" when a round reaches nobody.
ROUND_ACTION = "alert_round"
QUEUED_ACTION = "alert_queued"
UNDELIVERABLE_ACTION = "alert_undeliverable"

Tier = Literal["oncall", "oncall+backup", "backup", "all_staff"]

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


# ---- one round ------------------------------------------------------------------------------


def _targets_with_fallback(
    db: Session, escalation: Escalation, program: Program, now: datetime, *, include_backup: bool
) -> tuple[list[Target], Tier | None]:
    targets = routing.alert_targets(db, escalation, program, now, include_backup=include_backup)
    if targets:
        return targets, "oncall+backup" if include_backup else "oncall"
    if not include_backup:
        backup = routing.on_call(db, program, now, which="backup")
        targets = routing.eligible(db, escalation, backup, now)
        if targets:
            return targets, "backup"
    targets = routing.eligible(db, escalation, routing.all_staff(db, program), now)
    if targets:
        return targets, "all_staff"
    return [], None


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
    db.flush()
    return queued


def run_round(
    db: Session,
    escalation: Escalation,
    program: Program,
    now: datetime,
    *,
    dashboard_url: str | None,
    include_backup: bool,
    trigger: str,
) -> int:
    """Send the next alert round (``alert_round`` + 1) to the routed people, with fallback;
    returns how many alert messages were queued. Does not touch ``next_alert_at``."""
    assert escalation.id is not None
    round_no = escalation.alert_round + 1
    escalation.alert_round = round_no
    escalation.updated_at = now
    targets, tier = _targets_with_fallback(db, escalation, program, now,
                                           include_backup=include_backup)
    if tier in ("oncall+backup", "backup", "all_staff") and escalation.backup_alerted_at is None:
        escalation.backup_alerted_at = now
    sent = 0
    person_about = subject_of(db, escalation)
    audit.record(db, actor="system", action=ROUND_ACTION, subject_type="escalation",
                 subject_id=escalation.id,
                 detail={"level": escalation.level, "round": round_no, "trigger": trigger,
                         "tier": tier, "recipients": len(targets)}, now=now)
    for person, contacts in targets:
        queued = queue_to(db, escalation, program, person, contacts, now,
                          dashboard_url=dashboard_url, person_about=person_about)
        sent += len(queued)
        audit.record(db, actor="system", action=QUEUED_ACTION, subject_type="escalation",
                     subject_id=escalation.id,
                     detail={"round": round_no, "person_id": person.id,
                             "channels": [str(c.channel) for c in contacts],
                             "message_ids": [m.id for m in queued]}, now=now)
    if not targets:
        audit.record(db, actor="system", action=UNDELIVERABLE_ACTION, subject_type="escalation",
                     subject_id=escalation.id,
                     detail={"level": escalation.level, "round": round_no,
                             "why": "no staff member with a usable contact"}, now=now)
    return sent


def alert_new_escalation(
    db: Session,
    escalation: Escalation,
    program: Program,
    now: datetime,
    *,
    dashboard_url: str | None,
    trigger: str = "raised",
) -> int:
    """The first alert round of a newly raised escalation, in the caller's transaction; returns
    how many alert messages were queued.

    urgent: every on-call person on every usable channel, re-alert due in 5 minutes.
    concern: every on-call person on one channel each, next look at its ``due_at``.
    watch: nothing now (the daily digest covers it).
    An escalation already alerted (``alert_round`` > 0) or no longer open gets nothing.
    """
    if escalation.status != EscalationStatus.open or escalation.alert_round > 0:
        return 0
    if escalation.level == "watch":
        escalation.next_alert_at = None
        return 0
    queued = run_round(db, escalation, program, now, dashboard_url=dashboard_url,
                       include_backup=False, trigger=trigger)
    if escalation.level == routing.URGENT:
        escalation.next_alert_at = now + URGENT_REALERT
    else:
        escalation.next_alert_at = escalation.due_at
    db.flush()
    return queued
