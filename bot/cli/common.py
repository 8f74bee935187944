"""Shared helpers for the `checkin` command: settings, database and flows, readable failures."""

from __future__ import annotations

from typing import NoReturn

import typer

from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.settings import Settings, get_settings
from flows.loader import FlowError
from flows.model import Flow


def fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(message, err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def settings() -> Settings:
    return get_settings()


def database() -> Database:
    return Database.open(settings().database_url)


def flows() -> dict[str, Flow]:
    try:
        return load_configured_flows(settings())
    except FlowError as exc:
        fail(f"The flow files have problems:\n{exc}")
