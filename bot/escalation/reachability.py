"""Who can be alerted in a program right now, and, when nobody on call can, why and what to fix.

Computed once, here, for everything that has to say it: the red banner on the Queue and
Delivery pages, ``/healthz`` (``"status": "degraded"``), ``checkin doctor``, and the audit
event of an alert round that reached nobody (``bot.escalation.alerts``).

A program is fine when at least one on-call staff member has a usable alert contact (an SMS
number that agreed to texts, is not opted out and not unreachable; or a bound Telegram chat) on
a channel this service can send on, and no open escalation's latest alert round reached
nobody. Otherwise each problem is named with its fix, in words a program admin can act on:
"Sam Rivera has no phone or Telegram", "SMS is not set up".

Which contact is usable is ``routing.unusable_reason`` (the same test the alert round uses);
who is on call is ``routing.on_call``. Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.escalation import routing
from storage.models import (
    AlertStatus,
    Channel,
    ContactPoint,
    Escalation,
    EscalationStatus,
    Person,
    Program,
)

if TYPE_CHECKING:
    from bot.settings import Settings

ALERT_CHANNEL_WORDS = {Channel.sms: "phone", Channel.telegram: "Telegram"}
SETUP_WORDS = {Channel.sms: "SMS", Channel.telegram: "Telegram"}
SETUP_FIX = {
    Channel.sms: "Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or "
                 "TWILIO_MESSAGING_SERVICE_SID) and restart the service (README: Connecting "
                 "a Twilio number).",
    Channel.telegram: "Set TELEGRAM_BOT_TOKEN and restart the service (README: Connecting "
                      "Telegram).",
}


@dataclass(frozen=True)
class Problem:
    """One thing that keeps alerts from reaching anyone, and what to do about it."""

    code: str  # stable, for /healthz: no names there (it answers without a login)
    problem: str  # "Sam Rivera has no phone or Telegram"
    fix: str
    person_id: int | None = None

    def reason(self, program_id: int) -> str:
        """The nameless form for /healthz: "program 1: no_phone_or_telegram (person 3)"."""
        who = f" (person {self.person_id})" if self.person_id is not None else ""
        return f"program {program_id}: {self.code}{who}"


@dataclass(frozen=True)
class StaffReach:
    """One staff member on a list: where an alert reaches them now, or why it cannot."""

    person_id: int
    name: str
    channels: tuple[str, ...]  # alert channels that reach them now
    problems: tuple[Problem, ...]  # why not, when ``channels`` is empty

    @property
    def reachable(self) -> bool:
        return bool(self.channels)


@dataclass(frozen=True)
class ProgramReach:
    program_id: int
    program_name: str
    on_call: tuple[StaffReach, ...]
    fallback: tuple[StaffReach, ...]  # backup list, then other staff: who alerts fall back to
    problems: tuple[Problem, ...]
    not_alerted: tuple[int, ...]  # open escalations whose latest alert round reached nobody

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reachable_fallback(self) -> list[str]:
        return [s.name for s in self.fallback if s.reachable]

    @property
    def headline(self) -> str:
        """The banner's first words."""
        if any(p.code != "escalation_not_alerted" for p in self.problems):
            return f"Nobody on call can be alerted in {self.program_name}"
        return f"Alerts in {self.program_name} reached nobody"


def ready_channels(settings: Settings) -> frozenset[Channel]:
    """The alert channels this service can send on: SMS with a Twilio account, token and a
    sender; Telegram with a bot token."""
    ready: set[Channel] = set()
    if settings.twilio_enabled and (
        settings.twilio_from_number or settings.twilio_messaging_service_sid
    ):
        ready.add(Channel.sms)
    if settings.telegram_enabled:
        ready.add(Channel.telegram)
    return frozenset(ready)


def _contact_problem(
    person: Person, contact: ContactPoint, ready: Collection[Channel] | None
) -> Problem | None:
    """Why an alert cannot reach ``person`` through ``contact`` (None: it can)."""
    name, pid = person.display_name, person.id
    channel = Channel(contact.channel)
    what = ALERT_CHANNEL_WORDS.get(channel, str(channel))
    why = routing.unusable_reason(contact)
    if why == "not_an_alert_channel":
        return None  # the web simulator or the terminal: never an alert channel, not a fault
    if why == "opted_out":
        return Problem("opted_out", f"{name}'s {what} is opted out (STOP)",
                       f"{name} can text START to the service's number.", pid)
    if why == "unreachable":
        because = f" ({contact.unreachable_reason})" if contact.unreachable_reason else ""
        return Problem("unreachable", f"{name}'s {what} is marked unreachable{because}",
                       f"Check {name}'s {what} on People → {name}, or add another way to "
                       "reach them.", pid)
    if why == "sms_not_agreed":
        return Problem("sms_not_agreed", f"{name} has not agreed to texts yet",
                       f"Ask {name} to text YES to the service's number.", pid)
    if ready is not None and channel not in ready:
        return Problem(f"{channel}_not_set_up",
                       f"{name}'s {what} cannot get alerts: {SETUP_WORDS[channel]} is not "
                       "set up", SETUP_FIX[channel], pid)
    return None


def _staff_reach(
    people: Sequence[Person], contacts: dict[int, list[ContactPoint]],
    ready: Collection[Channel] | None,
) -> list[StaffReach]:
    out: list[StaffReach] = []
    for person in people:
        assert person.id is not None
        own = contacts.get(person.id, [])
        channels: list[str] = []
        problems: list[Problem] = []
        for contact in own:
            problem = _contact_problem(person, contact, ready)
            if problem is not None:
                problems.append(problem)
            elif contact.channel in routing.ALERT_CHANNELS:
                channels.append(str(contact.channel))
        if not any(c.channel in routing.ALERT_CHANNELS for c in own):
            problems.append(Problem(
                "no_phone_or_telegram", f"{person.display_name} has no phone or Telegram",
                f"Add a mobile number for {person.display_name} (People → "
                f"{person.display_name}), or send a Telegram invite: checkin people invite "
                f"{person.id}.", person.id))
        out.append(StaffReach(person.id, person.display_name,
                              tuple(dict.fromkeys(channels)),
                              () if channels else tuple(problems)))
    return out


def _contacts_of(db: Session, person_ids: Collection[int]) -> dict[int, list[ContactPoint]]:
    out: dict[int, list[ContactPoint]] = {}
    if not person_ids:
        return out
    rows = db.exec(select(ContactPoint).where(col(ContactPoint.person_id).in_(list(person_ids)))
                   .order_by(col(ContactPoint.id))).all()
    for contact in rows:
        out.setdefault(contact.person_id, []).append(contact)
    return out


def not_alerted(db: Session, program_ids: Collection[int]) -> dict[int, list[int]]:
    """Open escalations whose latest alert round reached nobody, per program."""
    out: dict[int, list[int]] = {}
    if not program_ids:
        return out
    rows = db.exec(
        select(Escalation.program_id, Escalation.id)
        .where(col(Escalation.program_id).in_(list(program_ids)),
               Escalation.status == EscalationStatus.open,
               Escalation.alert_status == AlertStatus.not_alerted)
        .order_by(col(Escalation.id))
    ).all()
    for program_id, esc_id in rows:
        if esc_id is not None:
            out.setdefault(program_id, []).append(esc_id)
    return out


def check_program(
    db: Session, program: Program, now: datetime, *, ready: Collection[Channel] | None = None,
    escalations_not_alerted: list[int] | None = None,
) -> ProgramReach:
    """Who can be alerted in ``program`` at ``now``, and what is wrong when nobody on call can.

    ``ready``: the alert channels the service can send on (``ready_channels``); None when the
    caller cannot know (an alert round inside a turn), and then channel setup is not judged.
    """
    assert program.id is not None
    on_call = routing.on_call(db, program, now, which="oncall")
    others = routing.on_call(db, program, now, which="backup") + routing.all_staff(db, program)
    fallback: list[Person] = []
    for person in others:
        if person.id not in {p.id for p in (*on_call, *fallback)}:
            fallback.append(person)
    contacts = _contacts_of(db, [p.id for p in (*on_call, *fallback) if p.id is not None])
    on_call_reach = _staff_reach(on_call, contacts, ready)
    fallback_reach = _staff_reach(fallback, contacts, ready)

    problems: list[Problem] = []
    if not on_call:
        problems.append(Problem(
            "nobody_on_call", "Nobody is on call right now",
            "Add a supervisor to the program, or a rota line that covers this time "
            "(checkin rota add)."))
    elif not any(s.reachable for s in on_call_reach):
        no_channel = ready is not None and not set(ready) & set(routing.ALERT_CHANNELS)
        if no_channel:
            problems.append(Problem(
                "no_alert_channel", "SMS is not set up, and neither is Telegram: no alert can "
                "leave the service",
                f"{SETUP_FIX[Channel.sms]} Or: {SETUP_FIX[Channel.telegram]}"))
        for staff in on_call_reach:  # said once above when no channel is set up at all
            problems.extend(p for p in staff.problems
                            if not (no_channel and p.code.endswith("_not_set_up")))
    if escalations_not_alerted is None:
        escalations_not_alerted = not_alerted(db, [program.id]).get(program.id, [])
    if escalations_not_alerted:
        numbers = ", ".join(f"#{i}" for i in escalations_not_alerted)
        count = len(escalations_not_alerted)
        problems.append(Problem(
            "escalation_not_alerted",
            f"{count} open escalation{'s' if count != 1 else ''} reached nobody ({numbers})",
            "Open it from the Queue and reach the person another way; once the contacts above "
            "are fixed, the next re-alert gets through."))
    return ProgramReach(program.id, program.name, tuple(on_call_reach), tuple(fallback_reach),
                        tuple(problems), tuple(escalations_not_alerted))


def check_programs(
    db: Session, now: datetime, *, ready: Collection[Channel] | None,
    program_ids: Collection[int] | None = None,
) -> list[ProgramReach]:
    """``check_program`` for every program (or those of ``program_ids``), in id order."""
    stmt = select(Program).order_by(col(Program.id))
    if program_ids is not None:
        if not program_ids:
            return []
        stmt = stmt.where(col(Program.id).in_(list(program_ids)))
    programs = list(db.exec(stmt).all())
    unheard = not_alerted(db, [p.id for p in programs if p.id is not None])
    return [check_program(db, p, now, ready=ready,
                          escalations_not_alerted=unheard.get(p.id or 0, []))
            for p in programs]


def health_reasons(reaches: Sequence[ProgramReach]) -> list[str]:
    """What /healthz lists: codes and ids, no names (it answers without a login)."""
    return [p.reason(r.program_id) for r in reaches for p in r.problems]
