"""`checkin simulate`, `checkin chat`, `checkin demo`: conversations at the terminal."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from bot.cli.common import database, fail, flows
from bot.clock import utcnow
from bot.seed import DEMO_PROGRAM, demo_logins_file, demo_mentee, save_demo_logins, seed_demo
from bot.terminal import chat as terminal_chat
from flows.engine import step
from flows.events import EscalationRaised, EscalationUpdated, Reply, Start

SIMULATION_START = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
_STATUS_NAMES = {"waiting": "active"}  # the engine's word for an open session vs. the DB's


def simulate(
    flow: Annotated[str, typer.Option("--flow", help="Flow id, e.g. mentee_checkin")],
    lang: Annotated[str, typer.Option("--lang", help="en or es")] = "en",
    name: Annotated[str, typer.Option(help="The name used in messages.")] = "Alex",
    as_json: Annotated[bool, typer.Option("--json", help="End with a JSON summary.")] = False,
) -> None:
    """Run a flow in memory with replies from standard input (one per line); nothing is stored."""
    known = flows()
    if flow not in known:
        fail(f"no flow named '{flow}' (known: {', '.join(sorted(known))})")
    definition = known[flow]
    now = SIMULATION_START
    result = step(definition, None, Start(lang, {"name": name, "program": "Demo Program"}), now)
    escalations: dict[str, list[str]] = {}

    def show() -> None:
        for message in result.messages:
            typer.echo(f"bot: {message.text}")
        for event in result.events:
            if isinstance(event, EscalationRaised | EscalationUpdated):
                escalations[event.level] = list(event.reasons)
                if not as_json:
                    typer.echo(f"  [escalation {event.level}: {', '.join(event.reasons)}]")

    show()
    interactive = sys.stdin.isatty()
    while result.state.status == "waiting":
        if interactive:
            typer.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        now += timedelta(minutes=1)
        result = step(definition, result.state, Reply(line.rstrip("\r\n")), now)
        show()
    if as_json:
        summary: dict[str, Any] = {
            "status": _STATUS_NAMES.get(result.state.status, result.state.status),
            "answers": result.state.answers,
            "escalations": [{"level": lv, "reasons": rs} for lv, rs in escalations.items()],
        }
        typer.echo(json.dumps(summary, ensure_ascii=False))


def chat(
    person: Annotated[int, typer.Option("--person", help="Person id (see `checkin people list`).")],
    flow: Annotated[str | None, typer.Option("--flow", help="Defaults by role.")] = None,
) -> None:
    """An interactive check-in as this person, stored in the database like any other channel."""
    _chat(person, flow)


def _chat(person_id: int, flow: str | None) -> None:
    interactive = sys.stdin.isatty()

    def lines():  # type: ignore[no-untyped-def]
        while True:
            if interactive:
                typer.echo("> ", nl=False)
            line = sys.stdin.readline()
            if not line:
                return
            yield line

    try:
        status = terminal_chat(database(), flows(), person_id, lines(), typer.echo, flow)
    except LookupError as exc:
        fail(str(exc).strip("'\""))
    typer.echo(f"(check-in {status})")


def demo() -> None:
    """Migrate, seed a demo program if the database is empty, and chat as a demo mentee."""
    db = database()
    db.upgrade()
    with db.transaction() as session:
        logins = seed_demo(session, utcnow(), flows())
        if logins:
            typer.echo(f"Created '{DEMO_PROGRAM}' with a supervisor, an admin, 2 mentors and "
                       "4 mentees.")
        mentee = demo_mentee(session)
        if mentee is None or mentee.id is None:
            fail("the database has programs but no mentee; add one with `checkin people add`")
        mentee_id, name = mentee.id, mentee.display_name
    if logins:
        save_demo_logins(logins, demo_logins_file(db.url))
    typer.echo(f"You are {name} (person {mentee_id}), a mentee. Reply to each message; "
               "try HELP, STOP, a number word, or free text. Ctrl-D ends.\n")
    _chat(mentee_id, None)
