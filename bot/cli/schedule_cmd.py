"""`checkin schedule …` (when check-ins happen) and `checkin start` (one check-in, now)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel import Session

from bot.cli.common import database, fail, flows, header, program_filter
from bot.clock import utcnow
from bot.contacts import choose_contact
from bot.policy import DEFAULT_FLOW_FOR_ROLE, needs_consent
from bot.runner import start_checkin
from bot.scheduling.defaults import person_timezone
from flows.quiet_hours import quiet_until
from flows.recurrence import next_occurrence
from storage.models import ContactPoint, Person, PersonStatus, Program, Schedule
from storage.queries import audit, messages, people, schedules, sessions

schedule_app = typer.Typer(help="When each person's check-ins happen.", no_args_is_help=True)

SHOWN_OCCURRENCES = 3


def _local(when: datetime, timezone: str) -> str:
    return when.astimezone(ZoneInfo(timezone)).strftime("%a %Y-%m-%d %H:%M %Z")


def _person(db: Session, person_id: int) -> tuple[Person, Program]:
    person = db.get(Person, person_id)
    if person is None:
        fail(f"no person with id {person_id} (see `checkin people list`)")
    program = db.get(Program, person.program_id)
    assert program is not None
    return person, program


def _who(person: Person) -> str:
    return f"{person.display_name} (person {person.id})"


def _default_flow(person: Person) -> str:
    flow_id = DEFAULT_FLOW_FOR_ROLE.get(person.role)
    if flow_id is None:
        fail(f"{_who(person)} is a {person.role.value} and has no default check-in; "
             "give one with --flow")
    return flow_id


def _quiet_note(program: Program, when: datetime, timezone: str, *, scheduled: bool) -> str | None:
    ends = quiet_until(when, timezone, program.quiet_start, program.quiet_end)
    if ends is None:
        return None
    head = (f"note: {_local(when, timezone)} is inside {program.name}'s quiet hours "
            f"({program.quiet_start}-{program.quiet_end})")
    if scheduled:
        return f"{head}; such check-ins wait until {_local(ends, timezone)}"
    return f"{head} for them; this one was started anyway"


@schedule_app.command("set")
def schedule_set(
    person_id: int,
    rule: Annotated[str, typer.Argument(help="An RFC 5545 rule in the person's local time, e.g. "
                                             "FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0")],
    flow: Annotated[str | None, typer.Option(help="Flow id; defaults by role.")] = None,
    timezone: Annotated[str | None, typer.Option(help="Defaults to the person's, else the "
                                                      "program's.")] = None,
) -> None:
    """Set (or replace) a person's check-in schedule; prints the next occurrences."""
    known = flows()
    now = utcnow()
    with database().transaction() as db:
        person, program = _person(db, person_id)
        flow_id = flow or _default_flow(person)
        if flow_id not in known:
            fail(f"no flow named '{flow_id}' (known: {', '.join(sorted(known))})")
        tz = timezone or person_timezone(person, program)
        try:
            schedule = schedules.set_schedule(db, person_id=person_id, flow_id=flow_id, rule=rule,
                                              timezone=tz, now=now)
        except ValueError as exc:  # RuleError included
            fail(str(exc))
        audit.record(db, actor="cli", action="schedule_set", subject_type="schedule",
                     subject_id=schedule.id,
                     detail={"person_id": person_id, "flow": flow_id, "rule": schedule.rule,
                             "timezone": tz}, now=now)
        typer.echo(f"{_who(person)}: {flow_id} {schedule.rule} ({tz})")
        typer.echo("next check-ins, local time:")
        when: datetime | None = schedule.next_due_at
        shown: list[datetime] = []
        while when is not None and len(shown) < SHOWN_OCCURRENCES:
            shown.append(when)
            typer.echo(f"  {_local(when, tz)}")
            when = next_occurrence(schedule.rule, tz, when)
        if len(shown) < SHOWN_OCCURRENCES:
            typer.echo("  (the rule ends there)")
        note = _quiet_note(program, shown[0], tz, scheduled=True)
        if note:
            typer.echo(note)
        if schedule.paused:
            typer.echo(f"this schedule is paused; `checkin schedule resume {person_id}` "
                       "restarts it")


def _pause_or_resume(person_id: int, flow: str | None, *, paused: bool) -> None:
    now = utcnow()
    verb = "paused" if paused else "resumed"
    with database().transaction() as db:
        person, _ = _person(db, person_id)
        mine = [s for s in schedules.schedules_for(db, person_id) if flow in (None, s.flow_id)]
        if not mine:
            fail(f"{_who(person)} has no {flow + ' ' if flow else ''}schedule; "
                 f"set one with `checkin schedule set {person_id} RULE`")
        changed = schedules.pause_schedules(db, person_id, flow_id=flow, paused=paused, now=now)
        if changed:
            audit.record(db, actor="cli", action=f"schedules_{verb}", subject_type="person",
                         subject_id=person_id, detail={"flow": flow, "count": changed}, now=now)
        typer.echo(f"{verb} {changed} schedule(s) for {_who(person)}")
        for s in mine:
            typer.echo(f"  {s.flow_id}\t{_state(s)}")


def _state(schedule: Schedule) -> str:
    if schedule.paused:
        return "paused"
    return f"next {_local(schedule.next_due_at, schedule.timezone)}"


@schedule_app.command("pause")
def schedule_pause(
    person_id: int,
    flow: Annotated[str | None, typer.Option(help="Only this flow.")] = None,
) -> None:
    """Stop a person's scheduled check-ins until resumed."""
    _pause_or_resume(person_id, flow, paused=True)


@schedule_app.command("resume")
def schedule_resume(
    person_id: int,
    flow: Annotated[str | None, typer.Option(help="Only this flow.")] = None,
) -> None:
    """Resume paused check-ins from the next occurrence (missed ones are not sent)."""
    _pause_or_resume(person_id, flow, paused=False)


@schedule_app.command("list")
def schedule_list(
    program: Annotated[str | None, typer.Option(help="Only this program.")] = None,
) -> None:
    """List schedules: person, flow, rule, next due in their local time, paused."""
    with database().transaction() as db:
        program_id = program_filter(db, program)
        rows = schedules.list_schedules(db, program_id=program_id)
        if not rows:
            typer.echo("no schedules yet; add one with `checkin schedule set PERSON_ID RULE`")
            return
        header("PERSON", "NAME", "FLOW", "RULE", "NEXT (THEIR TIME)", "STATE")
        for s, person in rows:
            typer.echo(f"{person.id}\t{person.display_name}\t{s.flow_id}\t{s.rule}\t"
                       f"{_local(s.next_due_at, s.timezone)}\t{'paused' if s.paused else 'active'}")


def _no_contact_reason(db: Session, person: Person) -> str:
    assert person.id is not None
    contacts = people.contacts_for(db, person.id)
    if not contacts:
        return (f"{_who(person)} has no contact point; add a phone or Telegram chat "
                "(`checkin people invite`)")
    states = ", ".join(
        f"{c.channel.value} {c.address} "
        + ("(opted out: they must text START)" if c.opted_out
           else f"(unreachable: {c.unreachable_reason or 'no reason given'})")
        for c in contacts
    )
    return f"{_who(person)} cannot be reached: {states}"


def _consent_reason(
    db: Session, person: Person, contact: ContactPoint, before: int | None
) -> str:
    last = messages.last_outbound_of_kind(db, contact.channel, contact.address, "consent_request")
    head = f"{_who(person)} has not agreed to texts at {contact.address} yet"
    if last is not None and last.id != before:
        return f"{head}: a consent request was queued; the check-in starts when they reply YES"
    sent = f" on {last.created_at:%Y-%m-%d}" if last is not None else ""
    return (f"{head}: a consent request was already sent{sent} (repeated at most weekly); "
            "the check-in starts when they reply YES")


def start(
    person_id: int,
    flow: Annotated[str | None, typer.Option(help="Flow id; defaults by role.")] = None,
) -> None:
    """Start a check-in now, outside the schedule."""
    known = flows()
    now = utcnow()
    problem: str | None = None
    with database().transaction() as db:
        person, program = _person(db, person_id)
        flow_id = flow or _default_flow(person)
        if flow_id not in known:
            fail(f"no flow named '{flow_id}' (known: {', '.join(sorted(known))})")
        if person.status != PersonStatus.active:
            fail(f"{_who(person)} is {person.status.value}; nothing was started", code=1)
        contact = choose_contact(db, person_id)
        if contact is None:
            fail(f"nothing was started: {_no_contact_reason(db, person)}", code=1)
        before = messages.last_outbound_of_kind(db, contact.channel, contact.address,
                                                "consent_request")
        row = start_checkin(db, known, person, flow_id, contact, now)
        tz = person_timezone(person, program)
        if row is not None:
            audit.record(db, actor="cli", action="checkin_started_by_hand",
                         subject_type="checkin_session", subject_id=row.id,
                         detail={"flow": flow_id, "person_id": person_id}, now=now)
            typer.echo(f"started {flow_id} for {_who(person)} on {contact.channel.value} "
                       f"{contact.address} (session {row.id})")
            note = _quiet_note(program, now, tz, scheduled=False)
            if note:
                typer.echo(note)
        elif (active := sessions.active_session_for(db, person_id)) is not None:
            problem = (f"nothing was started: {_who(person)} already has an active check-in "
                       f"(session {active.id}, {active.flow_id}, started "
                       f"{_local(active.started_at, tz)}); it ends when they finish or it "
                       "expires")
        elif needs_consent(contact):
            problem = "nothing was started: " + _consent_reason(
                db, person, contact, before.id if before else None)
        else:
            problem = f"nothing was started for {_who(person)}"
    # After the commit: a queued consent request must be kept.
    if problem is not None:
        fail(problem, code=1)

