"""The `checkin` command line: set up, enrol, validate flows, screen text, try conversations.

Each command's module is imported only when that command runs: most of them import the whole
service (the database layer, the dashboard, python-telegram-bot), which took `checkin --help`
well over a second. The list below names each command with the one-line help that `--help`
shows without importing it (a test checks these lines against the commands' own docstrings).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

# name -> (how to build its click command, the short help `checkin --help` shows)
_LAZY: dict[str, tuple[Callable[[], _click.Command], str]] = {}


def _function(module: str, attr: str, name: str) -> Callable[[], _click.Command]:
    def build() -> _click.Command:
        one = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        one.command(name)(getattr(importlib.import_module(f"bot.cli.{module}"), attr))
        return typer.main.get_command(one)

    return build


def _group(module: str, attr: str, *extra: tuple[str, str, str]) -> Callable[[], _click.Command]:
    """A sub-app from `module`, plus commands defined elsewhere: (name, module, function)."""

    def build() -> _click.Command:
        sub: typer.Typer = getattr(importlib.import_module(f"bot.cli.{module}"), attr)
        for name, other, function in extra:
            sub.command(name)(getattr(importlib.import_module(f"bot.cli.{other}"), function))
        return typer.main.get_group(sub)

    return build


def _lazy(name: str, build: Callable[[], _click.Command], short_help: str) -> None:
    _LAZY[name] = (functools.cache(build), short_help)


_lazy("start", _function("schedule_cmd", "start", "start"),
      "Start a check-in now, outside the schedule.")
_lazy("pair", _function("people_cmd", "pair", "pair"), "Pair a mentor with a mentee.")
_lazy("simulate", _function("conversation_cmd", "simulate", "simulate"),
      "Run a flow in memory with replies from standard input (one per line); nothing is stored.")
_lazy("chat", _function("conversation_cmd", "chat", "chat"),
      "An interactive check-in as this person, stored in the database like any other channel.")
_lazy("demo", _function("conversation_cmd", "demo", "demo"),
      "Migrate, seed a demo program if the database is empty, and chat as a demo mentee.")
_lazy("serve", _function("serve_cmd", "serve", "serve"),
      "Run the service: webhooks, health, the outbox sender and the scheduler.")
_lazy("seed-demo", _function("serve_cmd", "seed_demo_command", "seed-demo"),
      "Create the demo program (a supervisor, 2 mentors, 4 mentees, twelve weeks of their "
      "check-ins) if the database is empty.")
_lazy("doctor", _function("doctor_cmd", "doctor", "doctor"),
      "Check that each program's on-call staff can be alerted now, and say what to fix.")
_lazy("risk", _function("risk_cmd", "risk", "risk"),
      "Screen text for crisis and risk language with both readers (patterns and semantic).")
_lazy("programs", _group("people_cmd", "programs_app", ("set", "rota_cmd", "programs_set"),
                         ("show", "rota_cmd", "programs_show")),
      "Programs (a unit, a shelter, a cohort).")
_lazy("people", _group("people_cmd", "people_app", ("invite", "telegram_cmd", "invite"),
                       ("import", "people_cmd", "people_import_command")),
      "Mentees, mentors, supervisors and admins.")
_lazy("telegram", _group("telegram_cmd", "telegram_app"), "Telegram: the webhook Telegram calls.")
_lazy("schedule", _group("schedule_cmd", "schedule_app"), "When each person's check-ins happen.")
_lazy("escalations", _group("escalations_cmd", "escalations_app"),
      "The supervisor queue: escalations raised from check-ins.")
_lazy("rota", _group("rota_cmd", "rota_app"), "Who is on call for alerts.")
_lazy("admin", _group("admin_cmd", "admin_app"), "Dashboard accounts for supervisors and admins.")
_lazy("keys", _group("keys_cmd", "keys_app"), "Data keys: encryption at rest of people's words.")
_lazy("export", _function("export_cmd", "export", "export"),
      "Export a program's check-in scores and escalation times, de-identified, as CSV or "
      "Parquet.")


class _LazyCommand(TyperCommand):
    """Stands in for a command in the help listing; running it builds the real one."""

    def __init__(self, name: str) -> None:
        super().__init__(name, help=_LAZY[name][1])

    def real(self) -> _click.Command:
        assert self.name is not None
        return _LAZY[self.name][0]()

    def make_context(self, info_name: str | None, args: list[str],
                     parent: _click.Context | None = None, **extra: Any) -> _click.Context:
        # The real command parses its own arguments; the group then invokes ctx.command.
        return self.real().make_context(info_name, args, parent=parent, **extra)


class _LazyGroup(TyperGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name in _LAZY:
            self.commands.setdefault(name, _LazyCommand(name))


def real_command(name: str) -> _click.Command:
    """The click command `checkin NAME` runs (imports its module)."""
    return _LAZY[name][0]()


def lazy_help(name: str) -> str:
    return _LAZY[name][1]


app = typer.Typer(
    cls=_LazyGroup,
    help="Peer Check-in: private check-ins for peer-mentorship programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
flows_app = typer.Typer(help="Check-in flow files.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(flows_app, name="flows")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database tables (safe to run at every start)."""
    # Imported when run, for start-up time: `checkin --help` loads no database code.
    from bot.cli.common import database

    database().upgrade()
    typer.echo("database is up to date")


@db_app.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write.")],
    force: Annotated[bool, typer.Option(help="Replace PATH if it exists.")] = False,
) -> None:
    """Copy the database to PATH while the service runs (SQLite: online backup; PostgreSQL:
    pg_dump, custom format)."""
    # Imported when run, for start-up time (bot/cli/db_cmd.py).
    from bot.cli.db_cmd import backup

    backup(path, force)


@db_app.command("restore")
def db_restore(
    path: Annotated[Path, typer.Argument(help="A backup made by `checkin db backup`.")],
    force: Annotated[bool, typer.Option(
        help="Replace a database that holds data or that a running service has open (what it "
             "holds is saved beside it first).")] = False,
) -> None:
    """Restore a SQLite backup into the configured SQLite database (PostgreSQL: pg_restore)."""
    # Imported when run, for start-up time (bot/cli/db_cmd.py).
    from bot.cli.db_cmd import restore

    restore(path, force)


@flows_app.command("validate")
def flows_validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders.")] = None,
) -> None:
    """Check flow files; every problem names the file, the line and the state."""
    # Imported when run, for start-up time: `checkin --help` loads no settings or flow code.
    from bot.cli.common import fail, settings
    from flows.loader import DEFINITIONS_DIR, FlowError, load_flows

    targets: list[Path] = list(paths or [])
    if not targets:
        extra = settings().flows_dir
        targets = [DEFINITIONS_DIR] + ([extra] if extra is not None else [])
    try:
        found = load_flows(targets)
    except FlowError as exc:
        fail(str(exc), code=1)
    for flow in found.values():
        typer.echo(f"ok  {flow.id} v{flow.version} ({', '.join(flow.languages)}, "
                   f"{len(flow.states)} states)  {flow.source}")
