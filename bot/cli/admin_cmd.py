"""`checkin admin create` and `checkin admin password`: dashboard accounts for staff.

The password is read from a hidden prompt (typed twice) or, for scripts, from standard input
with --password-stdin; never from the command line, where it would land in shell history and
the process list.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlmodel import select

from bot.cli.common import database, fail, program_named
from bot.clock import utcnow
from bot.dashboard.accounts import AccountError, create_account, normalise_username, set_password
from bot.dashboard.passwords import MIN_LENGTH
from bot.policy import STAFF_ROLES
from storage.models import Person, Role, StaffAccount
from storage.queries import people

admin_app = typer.Typer(help="Dashboard accounts for supervisors and admins.",
                        no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first: str = typer.prompt(f"Password (at least {MIN_LENGTH} characters)", hide_input=True)
    again: str = typer.prompt("Password again", hide_input=True)
    if first != again:
        fail("the two passwords differ; nothing was changed")
    return first


@admin_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="The login name, e.g. 'sam'.")],
    person: Annotated[int | None, typer.Option(help="An enrolled supervisor or admin's id.")]
    = None,
    name: Annotated[str | None, typer.Option(help="Enrol a new staff member with this name.")]
    = None,
    role: Annotated[str, typer.Option(help="supervisor or admin (with --name).")] = "supervisor",
    program: Annotated[str | None, typer.Option(help="Their program (with --name).")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="Read the password from stdin.")] = False,
) -> None:
    """Make a dashboard account for a supervisor or admin (an existing one with --person, or a
    new one with --name, --role and --program)."""
    if (person is None) == (name is None):
        fail("give either --person ID (someone enrolled) or --name with --program")
    if role not in STAFF_ROLES:
        fail("--role is supervisor or admin: mentors and mentees have no dashboard account")
    password = _password(password_stdin)
    now = utcnow()
    with database().transaction() as db:
        if person is not None:
            found = db.get(Person, person)
            if found is None:
                fail(f"no person with id {person}")
        else:
            if program is None:
                fail("--name needs --program (see `checkin programs list`)")
            prog = program_named(db, program)
            assert prog.id is not None and name is not None
            found = people.add_person(db, prog.id, Role(role), name, now=now)
        try:
            account = create_account(db, found, username, password, now)
        except AccountError as exc:
            fail(str(exc))
        label = f"{found.display_name} ({found.role}, person {found.id})"
    typer.echo(f"Account '{account.username}' made for {label}. Log in at /login.")


@admin_app.command("password")
def password(
    username: Annotated[str, typer.Argument(help="The login name.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="Read the password from stdin.")] = False,
) -> None:
    """Set a new password (also clears the failed-login wait)."""
    new = _password(password_stdin)
    with database().transaction() as db:
        account = db.exec(select(StaffAccount).where(
            StaffAccount.username == normalise_username(username))).first()
        if account is None:
            fail(f"no account '{username}'")
        try:
            set_password(db, account, new, utcnow())
        except AccountError as exc:
            fail(str(exc))
    typer.echo(f"Password changed for '{account.username}'.")
