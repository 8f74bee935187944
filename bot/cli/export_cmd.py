"""`checkin export`: one program's check-in scores and escalation times over a range of days,
de-identified (bot/export/tables.py says what a row holds and why), as CSV or Parquet."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, cast

import typer
from sqlmodel import Session, select

from bot.cli.common import database, fail, flows
from bot.clock import utcnow
from bot.export.audit import record_export
from bot.export.files import FORMATS, Format, write
from bot.export.tables import MIN_PEOPLE, BadRange, build
from bot.slugs import program_slug
from storage.models import Program

ACTOR = "cli"


def _program(db: Session, name: str) -> Program:
    """By its exact name, else by its slug."""
    programs = list(db.exec(select(Program)).all())
    for program in programs:
        if program.name == name:
            return program
    matches = [p for p in programs if program_slug(p.name) == program_slug(name)]
    if len(matches) != 1:
        known = ", ".join(sorted(program_slug(p.name) for p in programs)) or "none yet"
        fail(f"no program '{name}' (programs: {known})")
    return matches[0]


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: a day as YYYY-MM-DD, e.g. 2026-03-02 (got '{text}')")


def export(
    program: Annotated[str, typer.Option("--program", help="The program: its name or its slug "
                                         "(riverside-unit).")],
    first: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD, on the "
                                       "program's clock.")],
    last: Annotated[str, typer.Option("--to", help="Last day (included), YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="A folder for checkins.FORMAT and "
                                      "escalations.FORMAT, or a file ending in .zip.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    allow_small: Annotated[bool, typer.Option(
        "--allow-small", help=f"Export even when fewer than {MIN_PEOPLE} people are in it.")]
        = False,
) -> None:
    """Export a program's check-in scores and escalation times, de-identified, as CSV or
    Parquet."""
    if fmt not in FORMATS:
        fail(f"--format: one of {', '.join(FORMATS)} (got '{fmt}')")
    first_day, last_day = _day(first, "--from"), _day(last, "--to")
    loaded = flows()
    with database().transaction() as db:
        found = _program(db, program)
        assert found.id is not None
        try:
            tables = build(db, found, loaded, first_day, last_day)
        except BadRange as exc:
            fail(f"--to: {exc}")
        if tables.small and not allow_small:
            fail(f"Only {tables.people} people are in this export (fewer than {MIN_PEOPLE}): "
                 "with so few, a role, a week and an hour can point at one person. Nothing "
                 "was written. Share it only with someone bound to keep it private, and run "
                 "again with --allow-small.", code=1)
        try:
            written = write(tables, cast(Format, fmt), out)
        except OSError as exc:  # not a folder, no permission, disk full
            fail(f"--out: cannot write there ({exc.strerror or exc}: {out})")
        record_export(db, actor=ACTOR, program_id=found.id, export=tables,
                      fmt=cast(Format, fmt), via="cli", now=utcnow())
    if tables.small:
        typer.secho(f"note: only {tables.people} people are in this export.", err=True,
                    fg=typer.colors.YELLOW)
    typer.echo(f"{len(tables.checkins.rows)} check-ins and {len(tables.escalations.rows)} "
               f"escalations of {tables.people} people, {first_day} to {last_day} "
               f"({found.timezone}):")
    for path in written:
        typer.echo(f"  {path}")
