"""`checkin escalations …`: the supervisor queue at the terminal (list, show, ack, resolve,
reopen). Every change and every `show` is written to the audit trail with the actor "cli"."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel import Session, select

from bot.cli.common import database, fail, header
from bot.clock import utcnow
from bot.escalation import casework, lifecycle
from bot.escalation.commands import ago, initials, short_duration
from bot.escalation.lifecycle import EscalationError
from storage.models import Escalation, EscalationStatus, Person, Program
from storage.queries import people

escalations_app = typer.Typer(help="The supervisor queue: escalations raised from check-ins.",
                              no_args_is_help=True)

ACTOR = "cli"


def _programs(db: Session) -> dict[int, Program]:
    return {p.id: p for p in db.exec(select(Program)).all() if p.id is not None}


def _due(esc: Escalation, now: datetime) -> str:
    if esc.status != EscalationStatus.open:
        return "-"
    if now > esc.due_at:
        return f"overdue {short_duration(now - esc.due_at)}"
    return f"due in {short_duration(esc.due_at - now)}"


def _local(when: datetime | None, timezone: str) -> str:
    if when is None:
        return "-"
    return when.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")


def _who(db: Session, person_id: int | None) -> str:
    if person_id is None:
        return "-"
    person = db.get(Person, person_id)
    if person is None:
        return f"person {person_id}"
    return f"{person.display_name} (person {person_id}, {person.role.value})"


def _sender(esc: Escalation) -> str:
    """An unknown sender, with the address: the command line is an admin's tool."""
    return f"unknown sender ({esc.sender_channel} {esc.sender_address})"


def _actor_name(db: Session, actor: str) -> str:
    if actor.startswith("person:") and actor.removeprefix("person:").isdigit():
        person = db.get(Person, int(actor.removeprefix("person:")))
        if person is not None:
            return f"{actor} ({person.display_name})"
    return actor


@escalations_app.command("list")
def escalations_list(
    program: Annotated[str | None, typer.Option(help="Only this program.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Include resolved ones.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many lines.")] = 50,
) -> None:
    """Open, then acknowledged escalations: urgent first, oldest first within a level."""
    now = utcnow()
    with database().transaction() as db:
        program_ids = None
        if program is not None:
            prog = people.get_program_by_name(db, program)
            if prog is None or prog.id is None:
                fail(f"no program named '{program}' (see `checkin programs list`)")
            program_ids = [prog.id]
        rows = lifecycle.queue(db, program_ids=program_ids, now=now, include_resolved=show_all,
                               limit=limit)
        if not rows:
            typer.echo("no escalations" if show_all else "no open escalations")
            return
        programs = _programs(db)
        header("ID", "LEVEL", "STATUS", "ABOUT", "PROGRAM", "RAISED", "ACK DUE")
        for esc in rows:
            about = db.get(Person, esc.person_id) if esc.person_id is not None else None
            who = "unknown sender" if esc.person_id is None else initials(
                about.display_name if about else None)
            prog_name = programs[esc.program_id].name if esc.program_id in programs else "-"
            typer.echo(f"{esc.id}\t{esc.level}\t{esc.status.value}\t"
                       f"{who}\t{prog_name}\t"
                       f"{ago(now - esc.raised_at)}\t{_due(esc, now)}")


@escalations_app.command("show")
def escalations_show(esc_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Everything about one escalation, with its history (the view itself is audited)."""
    now = utcnow()
    with database().transaction() as db:
        try:
            esc = lifecycle.record_view(db, esc_id, actor=ACTOR, now=now)
        except EscalationError as exc:
            fail(str(exc))
        program = db.get(Program, esc.program_id)
        assert program is not None
        tz = program.timezone
        lines = [
            f"Escalation #{esc.id}: {esc.level}, {esc.status.value}",
            f"program:       {program.name}",
            f"about:         {_sender(esc) if esc.person_id is None else _who(db, esc.person_id)}",
        ]
        if esc.about_mentor_id is not None:
            lines.append(f"about mentor:  {_who(db, esc.about_mentor_id)}")
        if esc.reported_by is not None:
            lines.append(f"reported by:   {_who(db, esc.reported_by)} (their mentor)")
        lines += [
            f"raised:        {_local(esc.raised_at, tz)} ({ago(now - esc.raised_at)})",
            f"ack due:       {_local(esc.due_at, tz)} ({_due(esc, now)})",
            f"reasons:       {', '.join(esc.reasons) or '-'}",
            "evidence:",
            *([f"  - {item}" for item in esc.evidence] or ["  -"]),
        ]
        if esc.acknowledged_at is not None:
            lines.append(f"acknowledged:  {_local(esc.acknowledged_at, tz)} by "
                         f"{_who(db, esc.acknowledged_by)}")
        if esc.resolved_at is not None:
            lines.append(f"resolved:      {_local(esc.resolved_at, tz)} by "
                         f"{_who(db, esc.resolved_by)}")
            lines.append(f"note:          {esc.resolution_note or '-'}")
        if esc.outcome is not None:
            lines.append(f"outcome:       {esc.outcome}")
        if esc.reopened_at is not None:
            lines.append(f"reopened:      {_local(esc.reopened_at, tz)}")
        lines.append(f"owner:         {_who(db, esc.owner_id) if esc.owner_id else '-'}")
        if esc.follow_up_at is not None:
            lines.append(f"follow-up:     {_local(esc.follow_up_at, tz)}")
        notes = casework.notes(db, esc_id)
        if notes:
            lines.append("notes:")
            lines += [f"  {_local(n.created_at, tz)}  {_who(db, n.author_id)}: "
                      f"{n.body if n.body is not None else '(erased)'}" for n in notes]
        lines.append(f"alerts:        round {esc.alert_round}, next "
                     f"{_local(esc.next_alert_at, tz)}, backup alerted "
                     f"{_local(esc.backup_alerted_at, tz)}")
        lines.append("history:")
        for event in lifecycle.history(db, esc_id):
            extra = ", ".join(f"{k}={v}" for k, v in sorted(event.detail.items()) if k != "level")
            lines.append(f"  {_local(event.at, tz)}  {event.action.removeprefix('escalation_')}"
                         f"  {_actor_name(db, event.actor)}{'  ' + extra if extra else ''}")
        typer.echo("\n".join(lines))


@escalations_app.command("ack")
def escalations_ack(esc_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Acknowledge an escalation (re-alerts stop)."""
    now = utcnow()
    with database().transaction() as db:
        try:
            before = lifecycle.get(db, esc_id).status
            esc = lifecycle.acknowledge(db, esc_id, actor=ACTOR, by_person_id=None, now=now)
        except EscalationError as exc:
            fail(str(exc))
        if before == EscalationStatus.acknowledged:
            typer.echo(f"#{esc.id} was already acknowledged")
        else:
            typer.echo(f"acknowledged #{esc.id} ({esc.level})")


@escalations_app.command("resolve")
def escalations_resolve(
    esc_id: Annotated[int, typer.Argument(metavar="ID")],
    note: Annotated[str, typer.Option(help="What was done (required).")],
    outcome: Annotated[str | None, typer.Option(
        help="One of the program's outcomes (its settings page lists them), e.g. "
             "'safety plan made'.")] = None,
) -> None:
    """Resolve an escalation with a short note (and the program's outcome, if given)."""
    now = utcnow()
    with database().transaction() as db:
        try:
            chosen = None
            if outcome is not None:
                program = db.get(Program, lifecycle.get(db, esc_id).program_id)
                try:
                    chosen = casework.check_outcome(program, outcome)
                except EscalationError:
                    fail(f"'{outcome}' is not one of the program's outcomes: "
                         + "; ".join(casework.outcomes(program)))
            esc = lifecycle.resolve(db, esc_id, actor=ACTOR, by_person_id=None, note=note,
                                    now=now, outcome=chosen)
        except EscalationError as exc:
            fail(str(exc))
        typer.echo(f"resolved #{esc.id} ({esc.level})")


@escalations_app.command("reopen")
def escalations_reopen(
    esc_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str | None, typer.Option(help="Why it is reopened.")] = None,
) -> None:
    """Reopen a resolved escalation: it is open again and alerts go out again."""
    now = utcnow()
    with database().transaction() as db:
        try:
            esc = lifecycle.reopen(db, esc_id, actor=ACTOR, by_person_id=None, now=now,
                                   reason=reason)
        except EscalationError as exc:
            fail(str(exc))
        program = db.get(Program, esc.program_id)
        tz = program.timezone if program else "UTC"
        typer.echo(f"reopened #{esc.id} ({esc.level}); acknowledgement due "
                   f"{_local(esc.due_at, tz)}")
