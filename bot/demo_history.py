"""Twelve weeks of past check-ins for the demo program, so a first look at Mentees and Overview
shows a running program, not one dot per chart.

Nothing here writes a session, an answer or an outgoing message itself: each past check-in is
started by `bot.runner.start_checkin`, answered with `bot.runner.handle_inbound` and left to
expire with `bot.runner.handle_timer`, each with the clock of that moment in the past, so the
flow engine steps the answers and the one applier (`bot.turns.applier.apply`) writes what a
real turn writes: sessions, answers, escalations with their audit rows, outbox rows. What a
staff member would have done afterwards (acknowledge, resolve with an outcome) goes through
`bot.escalation.lifecycle`, as the dashboard's buttons do.

Then the past is made past: every message it queued is marked sent when it was queued (the
service must never send history to anyone when it starts), and every inbound row is marked
dealt with by the semantic second reader (a model reading old answers must not raise new
escalations about them).

Deterministic: for the same ``now`` the same rows, in the same order (a seeded RNG, no wall
clock, provider ids made from who and when).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import runner
from bot.escalation import lifecycle
from flows.model import Flow
from storage.models import (
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    Person,
    Program,
    SessionStatus,
)
from storage.queries import people

WEEKS = 12
FLOW = "mentee_checkin"
SEED = 22  # the RNG's seed: the same history every run
CHECKIN_HOUR = time(18, 0)  # the mentees' default schedule: Monday 18:00 local
EXPIRED_BY = timedelta(hours=24, minutes=5)  # the flow's expires_after, and a little more
MAX_TURNS = 12  # a safety stop: a reply the flow does not take is never retried forever
# The outcomes a supervisor records on resolving (issue 22's examples).
OUTCOME_SAFE = "spoke with them, safe"
OUTCOME_PLAN = "safety plan made"
OUTCOME_CLINICIAN = "referred to clinician"
# Not in the default list: the demo program adds it, as a program may (bot.seed).
DEMO_PAIRING_OUTCOME = OUTCOME_MENTOR = "spoke with the mentor, pairing changed"
OUTCOME_FALSE_ALARM = "false alarm"


@dataclass(frozen=True)
class Week:
    """One mentee's check-in of one week: None is a missed one (no answer until it expired)."""

    comfort: int | None
    safety: int | None = None
    wants_staff: bool = False
    pressured: str | None = None  # what they said happened, when someone pressured them
    note: str | None = None  # the open question's answer ("no" when None)


def _plans(rng: random.Random) -> dict[str, list[Week]]:
    """Per demo mentee, their twelve weeks, oldest first."""
    def steady(low: int, high: int) -> Week:
        return Week(rng.randint(low, high), rng.randint(low, high))

    ana = [steady(4, 5) for _ in range(WEEKS)]
    ana[6] = Week(None)
    ana[9] = Week(4, 4, note="school is going better")
    # Marcus: the falling trend (comfort and safety drift down over the weeks).
    marcus_comfort = [5, 5, 4, 5, 4, 4, 3, 3, 3, 2, 2, 2]
    marcus_safety = [5, 4, 5, 4, 4, 3, 4, 3, 3, 3, 2, 2]
    marcus = [Week(c, s) for c, s in zip(marcus_comfort, marcus_safety, strict=True)]
    marcus[8] = Week(None)
    marcus[10] = Week(2, 3, note="i dont get along with my roommate anymore")
    marcus[11] = Week(2, 2, wants_staff=True)
    sofia = [steady(3, 5) for _ in range(WEEKS)]
    sofia[2] = Week(None)
    sofia[7] = Week(3, 3, pressured="me pidió dinero para no contarle a nadie")
    sofia[10] = Week(None)
    tyler = [steady(3, 4) for _ in range(WEEKS)]
    tyler[1] = Week(None)
    tyler[4] = Week(3, 1, wants_staff=True)
    tyler[5] = Week(None)
    tyler[9] = Week(None)
    return {"Ana Torres": ana, "Marcus Hill": marcus, "Sofía Díaz": sofia,
            "Tyler Brooks": tyler}


def checkin_times(now: datetime, timezone: str, weeks: int = WEEKS) -> list[datetime]:
    """The last ``weeks`` Mondays at 18:00 in ``timezone`` whose check-in has surely ended by
    ``now`` (answered or expired), oldest first, in UTC."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    found: list[datetime] = []
    while len(found) < weeks:
        at = datetime.combine(monday, CHECKIN_HOUR, tzinfo=zone)
        if at + EXPIRED_BY <= now:
            found.append(at.astimezone(now.tzinfo))
        monday -= timedelta(days=7)
    return found[::-1]


def _answers(plan: Week, language: str) -> dict[str, str]:
    """What the mentee replies to each question of the flow."""
    no, yes = ("no", "sí") if language == "es" else ("no", "yes")
    return {
        "comfort": str(plan.comfort),
        "safety": str(plan.safety),
        "safety_followup": yes if plan.wants_staff else no,
        "pressure": yes if plan.pressured else no,
        "pressure_details": plan.pressured or "SKIP",
        "anything_else": plan.note or no,
    }


def _session(db: Session, session_id: int) -> tuple[str | None, int, SessionStatus]:
    """The session's current state, turn and status, as the applier last wrote them (read as
    columns: the applier writes with Core, an ORM object could be stale)."""
    row = db.exec(select(CheckinSession.current_state, CheckinSession.turn,
                         CheckinSession.status)
                  .where(CheckinSession.id == session_id)).one()
    return row[0], row[1], SessionStatus(row[2])


def _minutes(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(minutes=rng.randint(low, high))


def _answer_checkin(
    db: Session, flows: dict[str, Flow], person: Person, address: str, session_id: int,
    plan: Week, at: datetime, rng: random.Random,
) -> datetime:
    """Reply to each question as ``plan`` says, a few minutes apart; returns when the last
    reply was sent."""
    replies = _answers(plan, person.language)
    when = at + _minutes(rng, 2, 40)
    for turn in range(MAX_TURNS):
        state, _, status = _session(db, session_id)
        if status != SessionStatus.active:
            break
        runner.handle_inbound(db, flows, channel="web", address=address,
                              text=replies.get(state or "", "no"),
                              provider_id=f"demo-{person.id}-{at:%Y%m%d}-{turn}", now=when)
        when += _minutes(rng, 1, 3)
    return when


def _let_expire(db: Session, flows: dict[str, Flow], session_id: int) -> datetime:
    """No answer: the nudge fires, then the expiry, each at its own time."""
    ended = None
    for kind in ("nudge", "expire"):
        row = db.get(CheckinSession, session_id, populate_existing=True)
        assert row is not None
        due = row.nudge_at if kind == "nudge" else row.expire_at
        if due is None or row.status != SessionStatus.active:
            continue
        runner.handle_timer(db, flows, row, kind, row.turn, due)  # type: ignore[arg-type]
        ended = due
    assert ended is not None, "a check-in with no expiry"
    return ended


def _outcome(esc: Escalation) -> tuple[str, str]:
    """What the supervisor did, by what the escalation was about."""
    reasons = set(esc.reasons or [])
    if esc.level == "urgent":
        return OUTCOME_PLAN, "Called them the same evening and made a safety plan together."
    if "pressured" in reasons:
        return OUTCOME_MENTOR, "Met both separately; the pairing was changed."
    if esc.level == "watch":
        return OUTCOME_SAFE, "Reviewed their recent check-ins and talked with them; watching."
    if "asked_for_staff_contact" in reasons or "feels_unsafe" in reasons:
        return OUTCOME_CLINICIAN, "Talked in person; referred to the unit's counsellor."
    return OUTCOME_FALSE_ALARM, "A hard week at school; they are OK."


def _work_escalations(
    db: Session, person: Person, supervisor: Person, after: datetime, rng: random.Random,
) -> None:
    """The supervisor acknowledges and resolves each open escalation about ``person``, after
    the check-in that raised it ended (acting earlier would have made its later findings new
    escalations)."""
    open_ids = db.exec(select(Escalation.id).where(
        Escalation.person_id == person.id, Escalation.status == EscalationStatus.open,
    ).order_by(col(Escalation.id))).all()
    for esc_id in open_ids:
        assert esc_id is not None
        esc = lifecycle.get(db, esc_id)
        urgent = esc.level == "urgent"
        acked = max(after, esc.raised_at) + (_minutes(rng, 3, 12) if urgent
                                             else _minutes(rng, 25, 300))
        lifecycle.acknowledge(db, esc_id, actor=f"person:{supervisor.id}",
                              by_person_id=supervisor.id, now=acked)
        outcome, note = _outcome(esc)
        lifecycle.resolve(db, esc_id, actor=f"person:{supervisor.id}",
                          by_person_id=supervisor.id, note=note, outcome=outcome,
                          now=acked + _minutes(rng, 30, 600))


def _past_is_past(db: Session, now: datetime) -> None:
    """Everything history queued counts as sent when it was queued, and its inbound rows as
    read by the semantic second reader: nothing of it is sent or screened again."""
    db.flush()
    db.exec(update(Message)  # type: ignore[call-overload]
            .where(col(Message.direction) == Direction.outbound,
                   col(Message.status).in_([MessageStatus.pending, MessageStatus.sending]),
                   col(Message.created_at) < now)
            .values(status=MessageStatus.sent, sent_at=Message.created_at,
                    updated_at=Message.created_at, next_attempt_at=None, lease_until=None))
    db.exec(update(Message)  # type: ignore[call-overload]
            .where(col(Message.direction) == Direction.inbound,
                   col(Message.semantic_screened_at).is_(None), col(Message.created_at) < now)
            .values(semantic_screened_at=Message.created_at))


def _web_contact(db: Session, person: Person) -> ContactPoint:
    assert person.id is not None
    for contact in people.contacts_for(db, person.id):
        if contact.channel == Channel.web:
            return contact
    raise LookupError(f"{person.display_name} has no web contact")


def _by_name(db: Session, program: Program) -> dict[str, Person]:
    return {p.display_name: p for p in db.exec(
        select(Person).where(Person.program_id == program.id).order_by(col(Person.id)))}


def seed_history(
    db: Session, flows: dict[str, Flow], program: Program, now: datetime, *,
    supervisor_name: str = "Sam Rivera",
) -> int:
    """Twelve weeks of check-ins for the demo program's mentees; returns how many check-ins.
    The program, its people and pairings must exist from before the first one."""
    if FLOW not in flows:  # an admin's FLOWS_DIR without the mentee check-in: no history
        return 0
    rng = random.Random(SEED)
    cast = _by_name(db, program)
    supervisor = cast[supervisor_name]
    plans = _plans(rng)
    mentees = [(cast[name], weeks) for name, weeks in plans.items() if name in cast]
    count = 0
    for index, at in enumerate(checkin_times(now, program.timezone)):
        for person, weeks in mentees:
            plan = weeks[index]
            contact = _web_contact(db, person)
            address = contact.address
            row = runner.start_checkin(db, flows, person, FLOW, contact, at)
            if row is None or row.id is None:
                continue
            session_id = row.id
            count += 1
            ended = (_let_expire(db, flows, session_id) if plan.comfort is None
                     else _answer_checkin(db, flows, person, address, session_id, plan, at, rng))
            _work_escalations(db, person, supervisor, ended, rng)
    _past_is_past(db, now)
    return count

