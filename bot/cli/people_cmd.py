"""`checkin programs …`, `checkin people …` and `checkin pair`: enrolment at the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import select

from bot import people_import
from bot.cli.common import (
    database,
    fail,
    header,
    program_filter,
    program_named,
    settings,
)
from bot.clock import utcnow
from bot.phones import BadPhoneNumber, normalize_phone
from bot.policy import STAFF_ROLES
from bot.runner import request_consent
from bot.scheduling.defaults import apply_default_schedule
from flows.recurrence import RuleError, check_timezone
from storage.models import Channel, Person, Program, Role
from storage.queries import audit, people

programs_app = typer.Typer(help="Programs (a unit, a shelter, a cohort).", no_args_is_help=True)
people_app = typer.Typer(help="Mentees, mentors, supervisors and admins.", no_args_is_help=True)


def _check_timezone(tz: str | None) -> None:
    if tz is None:
        return
    try:
        check_timezone(tz)  # the one check (it also refuses folder names like "America")
    except RuleError as exc:
        fail(str(exc))


@programs_app.command("add")
def programs_add(
    name: str,
    timezone: Annotated[str, typer.Option(help="Local timezone.")] = "America/New_York",
) -> None:
    """Add a program."""
    _check_timezone(timezone)
    with database().transaction() as db:
        if people.get_program_by_name(db, name):
            fail(f"a program named '{name}' already exists")
        program = people.add_program(db, name, timezone=timezone, now=utcnow())
        typer.echo(program.id)


@programs_app.command("list")
def programs_list() -> None:
    """List programs."""
    with database().transaction() as db:
        found = db.exec(select(Program).order_by(Program.id)).all()  # type: ignore[arg-type]
        if not found:
            typer.echo("no programs yet; add one with `checkin programs add NAME`")
            return
        header("ID", "NAME", "TIMEZONE")
        for p in found:
            typer.echo(f"{p.id}\t{p.name}\t{p.timezone}")


@people_app.command("add")
def people_add(
    role: Annotated[Role, typer.Option(help="mentee, mentor, supervisor or admin")],
    name: Annotated[str, typer.Option(help="Display name; the first word is used in messages.")],
    program: Annotated[str, typer.Option(help="Program name (see `checkin programs list`).")],
    phone: Annotated[str | None, typer.Option(help="Mobile number for SMS.")] = None,
    telegram: Annotated[str | None, typer.Option(help="Telegram chat id, if known.")] = None,
    language: Annotated[str, typer.Option(help="en or es")] = "en",
    timezone: Annotated[str | None, typer.Option(help="Defaults to the program's.")] = None,
) -> None:
    """Enrol a person; prints the new id."""
    _check_timezone(timezone)
    e164 = None
    if phone is not None:
        try:
            e164 = normalize_phone(phone, settings().default_country)
        except BadPhoneNumber as exc:
            fail(str(exc))
    if telegram is not None and not telegram.lstrip("-").isdigit():
        fail(f"'{telegram}' is not a Telegram chat id (a number); or use `checkin people invite`")
    now = utcnow()
    with database().transaction() as db:
        prog = people.get_program_by_name(db, program)
        if prog is None or prog.id is None:
            known = ", ".join(p.name for p in db.exec(select(Program)).all()) or "none yet"
            fail(f"no program named '{program}' (known: {known}); add it with "
                 f"`checkin programs add \"{program}\"`")
        for channel, address in ((Channel.sms, e164), (Channel.telegram, telegram)):
            if address and people.find_contact(db, channel, address):
                fail(f"{channel.value} {address} already belongs to someone enrolled")
        person = people.add_person(db, prog.id, role, name, language=language, timezone=timezone,
                                   now=now)
        assert person.id is not None
        if e164:
            sms = people.add_contact(db, person.id, Channel.sms, e164, now=now)
            if role in STAFF_ROLES:
                # Alerts by SMS need the number's YES; ask now, not at 2 a.m. during a crisis.
                request_consent(db, prog, person, sms, now)
                typer.echo(f"asked {e164} to reply YES to receive alerts by text", err=True)
        if telegram:
            people.add_contact(db, person.id, Channel.telegram, telegram, now=now)
        try:
            schedule = apply_default_schedule(db, person, prog, now)
        except RuleError as exc:
            fail(str(exc))
        if schedule is not None:
            # stderr: scripts read the new id from stdout.
            typer.echo(f"scheduled {schedule.flow_id}: {schedule.rule} ({schedule.timezone})",
                       err=True)
        audit.record(db, actor="cli", action="person_added", subject_type="person",
                     subject_id=person.id, detail={"role": role.value}, now=now)
        typer.echo(person.id)


@people_app.command("list")
def people_list(
    program: Annotated[str | None, typer.Option(help="Only this program.")] = None,
    role: Annotated[Role | None, typer.Option()] = None,
) -> None:
    """List people with their contact points."""
    with database().transaction() as db:
        program_id = program_filter(db, program)
        found = people.list_people(db, program_id=program_id, role=role)
        if not found:
            typer.echo("nobody enrolled" + (" with that role" if role else ""))
            return
        header("ID", "ROLE", "NAME", "LANGUAGE", "CONTACTS")
        for person in found:
            assert person.id is not None
            contacts = ", ".join(
                f"{c.channel.value}:{c.address}{' (opted out)' if c.opted_out else ''}"
                for c in people.contacts_for(db, person.id)
                if c.channel in (Channel.sms, Channel.telegram)
            )
            typer.echo(f"{person.id}\t{person.role.value}\t{person.display_name}\t"
                       f"{person.language}\t{contacts or '-'}")


def pair(mentor_id: int, mentee_id: int) -> None:
    """Pair a mentor with a mentee."""
    with database().transaction() as db:
        for pid in (mentor_id, mentee_id):
            if db.get(Person, pid) is None:
                fail(f"no person with id {pid}")
        try:
            # The dashboard's path too: audited, and refuses duplicates and people who left.
            pairing_id = people_import.pair(db, mentor_id, mentee_id, now=utcnow(), actor="cli")
        except ValueError as exc:
            fail(str(exc))
        typer.echo(pairing_id)


def people_import_command(
    file: Annotated[Path, typer.Argument(help="A CSV file: name, role, phone, language, "
                                              "timezone, mentor.", exists=True, dir_okay=False)],
    program: Annotated[str, typer.Option(help="Program name (see `checkin programs list`).")],
) -> None:
    """Enrol everyone in a CSV file, or no one: every row is checked first, and any problem is
    reported by row and column with nothing imported."""
    with database().transaction() as db:
        prog = program_named(db, program)
        outcome = people_import.import_people(
            db, prog, file.read_bytes(), default_country=settings().default_country,
            now=utcnow(), actor="cli")
    if isinstance(outcome, people_import.Refused):
        for problem in outcome.problems:
            where = f"row {problem.row}" if problem.row is not None else "file"
            column = f", {problem.column}" if problem.column else ""
            typer.echo(f"{where}{column}: {problem.message}", err=True)
        fail("nothing was imported; fix the rows above and run it again", code=1)
    typer.echo(f"{outcome.added} added, {outcome.pairings} pairings, "
               f"{outcome.schedules} schedules.")
    if outcome.already_enrolled:
        typer.echo(f"{len(outcome.already_enrolled)} already enrolled (same name in "
                   f"{prog.name}), not added again.")
    if outcome.ignored_columns:
        typer.echo(f"Ignored columns: {', '.join(outcome.ignored_columns)}")
