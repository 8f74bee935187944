"""Casework on an escalation after the alert: its owner, internal notes, a follow-up time, and
the outcome it was resolved with.

- Owner: acknowledging makes you the owner (`bot.escalation.lifecycle.acknowledge`); the owner
  or any colleague may hand it to another active supervisor or admin of the same program with
  no conflict of interest (`assignable`), who is told by one message in the routine lane:
  discreet like an alert (number, initials, program, link), never the mentee's words.
- Notes: staff-only text on the escalation page, sealed at rest (`EscalationNote.body`). They
  are never sent anywhere and the audit event records only that a note was added.
- Follow-up: a moment (program timezone on the page, UTC here) when the owner means to look
  again. The queue puts the owner's due follow-ups at the top; the follow-up job
  (`bot.jobs.follow_up`) tells the owner once, as it tells a new owner.
- Outcome: one of the program's outcomes (``Program.settings["outcomes"]``, else
  `DEFAULT_OUTCOMES`), required to resolve from the dashboard, counted on the Overview.

Every function takes an open session and never commits; every change is an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.escalation import routing
from bot.escalation.alert_messages import escalation_link, initials, subject_of
from bot.escalation.lifecycle import EscalationError
from storage.models import (
    Escalation,
    EscalationNote,
    EscalationStatus,
    Lane,
    Message,
    Person,
    Program,
)
from storage.queries import audit, messages

OUTCOMES_SETTING = "outcomes"
DEFAULT_OUTCOMES = (
    "spoke with them, safe",
    "safety plan made",
    "referred to clinician",
    "emergency services called",
    "false alarm",
)
NOTE_MAX_CHARS = 2000
# Messages to staff about their cases (ordinary lane: the escalation itself was alerted
# urgently already; this is "it is yours now" and "you meant to look again").
ASSIGNED_KIND = "case_assigned"
FOLLOW_UP_KIND = "case_follow_up"

_TEXTS: dict[str, dict[str, str]] = {
    "en": {ASSIGNED_KIND: "Escalation #{id} ({about}) is now yours, from {by}.",
           FOLLOW_UP_KIND: "Follow-up due: escalation #{id} ({about}).",
           "open": "Review: {url}"},
    "es": {ASSIGNED_KIND: "La alerta #{id} ({about}) ahora es tuya, de {by}.",
           FOLLOW_UP_KIND: "Seguimiento pendiente: alerta #{id} ({about}).",
           "open": "Revisar: {url}"},
}


def outcomes(program: Program | None) -> tuple[str, ...]:
    """The program's outcomes, in its order (the defaults when it has set none)."""
    raw = (program.settings or {}).get(OUTCOMES_SETTING) if program is not None else None
    if isinstance(raw, list):
        chosen = tuple(str(o) for o in raw if isinstance(o, str) and o.strip())
        if chosen:
            return chosen
    return DEFAULT_OUTCOMES


def check_outcome(program: Program | None, outcome: str | None) -> str:
    """The outcome as the program spells it, or EscalationError."""
    wanted = (outcome or "").strip()
    for known in outcomes(program):
        if known == wanted:
            return known
    raise EscalationError("Choose an outcome from the list.")


# ---- owner ----------------------------------------------------------------------------------


def assignable(db: Session, esc: Escalation, now: datetime) -> list[Person]:
    """Who may own this escalation: the program's active supervisors and admins, without
    anyone with a conflict of interest (the people routing would never alert about it)."""
    program = db.get(Program, esc.program_id)
    if program is None:
        return []
    conflicted = routing.conflicted_ids(db, esc, now)
    return [p for p in routing.all_staff(db, program)
            if routing.may_receive(p, esc, conflicted)]


@dataclass(frozen=True)
class Told:
    """What became of a message to a staff member: queued (message ids) or why not."""

    message_ids: tuple[int, ...]
    why_not: str | None = None


def _tell(
    db: Session, esc: Escalation, person: Person, kind: str, now: datetime, *,
    dashboard_url: str | None, by: str = "",
) -> Told:
    """One discreet message to ``person`` about this escalation, on their preferred usable
    alert contact, in the routine lane."""
    assert person.id is not None and esc.id is not None
    contacts = routing.usable_contacts(db, [person.id])[person.id]
    if not contacts:
        return Told((), "no usable contact")
    program = db.get(Program, esc.program_id)
    about_person = subject_of(db, esc)
    lang = (person.language or "en").split("-")[0].lower()
    words = _TEXTS.get(lang, _TEXTS["en"])
    who = "?" if about_person is None else initials(about_person.display_name)
    name = " ".join(program.name.split())[:60] if program is not None else ""
    about = f"{who}, {name}" if name else who
    body = words[kind].format(id=esc.id, about=about, by=by)
    link = escalation_link(dashboard_url, esc.id)
    if link:
        body += " " + words["open"].format(url=link)
    contact = contacts[0]
    message: Message = messages.enqueue_outbound(
        db, channel=contact.channel, address=contact.address, body=body, kind=kind,
        lane=Lane.routine, now=now, person_id=person.id)
    message.escalation_id = esc.id
    db.flush()
    assert message.id is not None
    return Told((message.id,))


def _locked(db: Session, esc_id: int) -> Escalation:
    esc = db.exec(select(Escalation).where(Escalation.id == esc_id).with_for_update()
                  .execution_options(populate_existing=True)).first()
    if esc is None:
        raise EscalationError(f"No escalation #{esc_id}.")
    return esc


def reassign(
    db: Session, esc_id: int, *, to_person_id: int, actor: str, by_person_id: int | None,
    by_name: str, now: datetime, dashboard_url: str | None,
) -> Told:
    """Make ``to_person_id`` the owner and tell them. Refused (EscalationError) for a resolved
    escalation and for anyone `assignable` does not offer."""
    esc = _locked(db, esc_id)
    if esc.status == EscalationStatus.resolved:
        raise EscalationError(f"#{esc_id} is resolved; reopen it first.")
    target = next((p for p in assignable(db, esc, now) if p.id == to_person_id), None)
    if target is None:
        raise EscalationError("Choose a supervisor of this program from the list.")
    if esc.owner_id == to_person_id:
        return Told(())
    previous = esc.owner_id
    esc.owner_id = to_person_id
    esc.follow_up_alerted_at = None  # a due follow-up is news to the new owner
    esc.updated_at = now
    first_name = (by_name.split() or ["a colleague"])[0]
    told = _tell(db, esc, target, ASSIGNED_KIND, now, dashboard_url=dashboard_url,
                 by=first_name)
    audit.record(db, actor=actor, action="escalation_assigned", subject_type="escalation",
                 subject_id=esc.id, now=now, detail={
                     "level": esc.level, "by_person_id": by_person_id,
                     "from_person_id": previous, "person_id": to_person_id,
                     "message_ids": list(told.message_ids), "not_told": told.why_not})
    return told


# ---- notes ----------------------------------------------------------------------------------


def add_note(
    db: Session, esc_id: int, *, text: str, author_id: int, actor: str, now: datetime,
) -> EscalationNote:
    body = (text or "").strip()
    if not body:
        raise EscalationError("Write the note first.")
    if len(body) > NOTE_MAX_CHARS:
        raise EscalationError(f"The note is too long: at most {NOTE_MAX_CHARS} characters "
                              f"(this one has {len(body)}).")
    esc = _locked(db, esc_id)
    note = EscalationNote(escalation_id=esc_id, author_id=author_id, created_at=now, body=body)
    db.add(note)
    esc.updated_at = now
    db.flush()
    # The audit trail says a note was added, never what it says (audit details are plain).
    audit.record(db, actor=actor, action="escalation_note_added", subject_type="escalation",
                 subject_id=esc_id, now=now, detail={"level": esc.level, "note_id": note.id})
    return note


def notes(db: Session, esc_id: int) -> list[EscalationNote]:
    """The escalation's notes, oldest first."""
    return list(db.exec(select(EscalationNote).where(EscalationNote.escalation_id == esc_id)
                        .order_by(col(EscalationNote.created_at), col(EscalationNote.id))).all())


# ---- follow-up ------------------------------------------------------------------------------


def set_follow_up(
    db: Session, esc_id: int, *, at: datetime | None, actor: str, by_person_id: int | None,
    now: datetime,
) -> Escalation:
    """Set (or clear, ``at`` None) when the owner looks again. Nobody owning it yet: the one
    who sets it becomes the owner (someone must be told when it is due)."""
    esc = _locked(db, esc_id)
    if esc.status == EscalationStatus.resolved:
        raise EscalationError(f"#{esc_id} is resolved; reopen it first.")
    if at is not None and at <= now:
        raise EscalationError("Choose a follow-up time in the future.")
    esc.follow_up_at = at
    esc.follow_up_alerted_at = None
    if at is not None and esc.owner_id is None:
        esc.owner_id = by_person_id
    esc.updated_at = now
    audit.record(db, actor=actor, action="escalation_follow_up_set", subject_type="escalation",
                 subject_id=esc_id, now=now, detail={
                     "level": esc.level, "by_person_id": by_person_id,
                     "at": at.isoformat() if at is not None else None})
    return esc


def follow_up_due(esc: Escalation, now: datetime) -> bool:
    return (esc.follow_up_at is not None and esc.follow_up_at <= now
            and esc.status != EscalationStatus.resolved)


def tell_follow_up_due(
    db: Session, esc: Escalation, now: datetime, *, dashboard_url: str | None,
) -> Told:
    """Tell the owner their follow-up is due (once: marks it told). The caller claimed the
    row."""
    esc.follow_up_alerted_at = now
    owner = db.get(Person, esc.owner_id) if esc.owner_id is not None else None
    conflicted = routing.conflicted_ids(db, esc, now)
    if owner is None or not routing.may_receive(owner, esc, conflicted):
        told = Told((), "no active owner")
    else:
        told = _tell(db, esc, owner, FOLLOW_UP_KIND, now, dashboard_url=dashboard_url)
    audit.record(db, actor="system", action="escalation_follow_up_due",
                 subject_type="escalation", subject_id=esc.id, now=now, detail={
                     "level": esc.level, "person_id": esc.owner_id,
                     "message_ids": list(told.message_ids), "not_told": told.why_not})
    return told

