"""Shared helpers for the `checkin` command: settings, database and flows, readable failures."""

from __future__ import annotations

from typing import NoReturn

import typer
from sqlmodel import Session

from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.settings import Settings, get_settings
from flows.loader import FlowError
from flows.model import Flow
from storage.models import Program
from storage.queries import people


def fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(message, err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def header(*columns: str) -> None:
    """The first line of a list: the column names, tab-separated like the rows below them (a
    script skips one line; a person sees what each column is)."""
    typer.echo("\t".join(columns))


def settings() -> Settings:
    return get_settings()


def database() -> Database:
    # Imported when run, for start-up time: only commands that open the database load the crypto.
    from bot.data_keys import install

    config = settings()
    install(config)
    return Database.open(config.database_url)


def flows() -> dict[str, Flow]:
    try:
        return load_configured_flows(settings())
    except FlowError as exc:
        fail(f"The flow files have problems:\n{exc}")


def program_named(db: Session, name: str) -> Program:
    """The program called `name`, or a clear failure that lists where to look."""
    program = people.get_program_by_name(db, name)
    if program is None or program.id is None:
        fail(f"no program named '{name}' (see `checkin programs list`)")
    return program


def program_filter(db: Session, name: str | None) -> int | None:
    """A --program option turned into a program id (None: every program)."""
    return None if name is None else program_named(db, name).id
