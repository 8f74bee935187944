"""A demo program for a first run, so the whole path can be tried without any provider account."""

from __future__ import annotations

import os
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bot.channels.web.adapter import web_address
from bot.dashboard.accounts import create_account
from bot.demo_history import DEMO_PAIRING_OUTCOME, WEEKS, seed_history
from bot.escalation.casework import DEFAULT_OUTCOMES, OUTCOMES_SETTING
from bot.scheduling.defaults import apply_default_schedule
from flows.model import Flow
from storage.db import normalize_url, sqlite_file
from storage.models import Channel, Person, Program, Role
from storage.queries import people

DEMO_PROGRAM = "Demo Program"
# Where `seed-demo` leaves the demo logins for `checkin serve` to print again. The passwords are
# random per database (a demo login that is the same everywhere would be a door left open), and
# they reach only the admin's own terminal and this file (mode 600), never the database.
DEMO_LOGINS_NAME = "demo-logins.txt"
DEMO_ACCOUNTS = {"Sam Rivera": "sam", "Alex Morgan": "alex"}
# Program.settings key marking the program seed-demo made: the simulator resets its people
# without asking for a typed name (`bot.channels.web.reset`).
DEMO_SETTING = "demo"
HISTORY_SPAN = timedelta(weeks=WEEKS + 1)  # how long ago the demo program "started"


def seed_demo(
    db: Session, now: datetime, flows: dict[str, Flow] | None = None
) -> dict[str, str]:
    """Create the demo program when the database has no program at all; with ``flows``, also
    its mentees' last twelve weeks of check-ins (`bot.demo_history`), so the charts show a
    running program. Returns the dashboard logins it made (username -> password); empty when
    the database already had a program."""
    if db.exec(select(Program)).first() is not None:
        return {}
    # With history, the program, its people and pairings exist from before its first check-in
    # (a pairing decides whom an escalation names as the mentor).
    since = now - HISTORY_SPAN if flows is not None else now
    program = people.add_program(db, DEMO_PROGRAM, timezone="America/New_York", now=since)
    # The simulator resets its people without asking. The outcomes: the usual list plus one
    # of the program's own, as a program would set on its Settings page.
    program.settings = {DEMO_SETTING: True,
                        OUTCOMES_SETTING: [*DEFAULT_OUTCOMES, DEMO_PAIRING_OUTCOME]}
    assert program.id is not None
    cast = [
        (Role.supervisor, "Sam Rivera", "en"),
        (Role.mentor, "Jordan Lee", "en"),
        (Role.mentor, "Lucía Gómez", "es"),
        (Role.mentee, "Ana Torres", "en"),
        (Role.mentee, "Marcus Hill", "en"),
        (Role.mentee, "Sofía Díaz", "es"),
        (Role.mentee, "Tyler Brooks", "en"),
        (Role.admin, "Alex Morgan", "en"),  # last: earlier ids stay as they were
    ]
    made: list[Person] = []
    for role, name, language in cast:
        person = people.add_person(db, program.id, role, name, language=language, now=since)
        assert person.id is not None
        people.add_contact(db, person.id, Channel.terminal, f"person-{person.id}", now=since)
        # The web simulator's contact: scheduled check-ins and alerts show in the dashboard.
        people.add_contact(db, person.id, Channel.web, web_address(person.id), now=since)
        apply_default_schedule(db, person, program, now)
        made.append(person)
    logins: dict[str, str] = {}
    for person in made:
        username = DEMO_ACCOUNTS.get(person.display_name)
        if username:
            password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
            create_account(db, person, username, password, now)
            logins[username] = password
    _, mentor_a, mentor_b, *mentees, _ = made
    for mentor, mentee in zip([mentor_a, mentor_a, mentor_b, mentor_b], mentees, strict=True):
        assert mentor.id is not None and mentee.id is not None
        people.add_pairing(db, mentor.id, mentee.id, since)
    if flows is not None:
        seed_history(db, flows, program, now)
    return logins


def demo_logins_file(database_url: str) -> Path:
    """Beside the SQLite file, else in ./var/ under the server's database name: each database
    keeps its own, so trying PostgreSQL from the same folder does not overwrite (and then show
    wrong) the SQLite demo's passwords."""
    path = sqlite_file(database_url)
    if path is not None:
        return path.parent / DEMO_LOGINS_NAME
    url = make_url(normalize_url(database_url))
    where = "-".join(str(part) for part in (url.database, url.host, url.port) if part)
    return Path("var") / f"demo-logins-{re.sub(r'[^A-Za-z0-9._-]', '_', where)}.txt"


def save_demo_logins(logins: dict[str, str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        for username, password in logins.items():
            out.write(f"{username} {password}\n")


def read_demo_logins(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(" ", 1) for line in lines if " " in line)


def demo_mentee(db: Session) -> Person | None:
    return db.exec(
        select(Person).where(Person.role == Role.mentee).order_by(Person.id)  # type: ignore[arg-type]
    ).first()
