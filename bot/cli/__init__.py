"""The `checkin` command line: set up, enrol, validate flows, screen text, try conversations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.admin_cmd import admin_app
from bot.cli.common import database, fail, settings
from bot.cli.conversation_cmd import chat, demo, simulate
from bot.cli.doctor_cmd import doctor
from bot.cli.escalations_cmd import escalations_app
from bot.cli.people_cmd import pair, people_app, people_import_command, programs_app
from bot.cli.rota_cmd import programs_set, programs_show, rota_app
from bot.cli.schedule_cmd import schedule_app, start
from bot.cli.serve_cmd import seed_demo_command, serve
from bot.cli.telegram_cmd import invite, telegram_app
from flows.loader import DEFINITIONS_DIR, FlowError, load_flows
from flows.risk import assess

app = typer.Typer(
    help="Peer Check-in: private check-ins for peer-mentorship programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
flows_app = typer.Typer(help="Check-in flow files.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(flows_app, name="flows")
app.add_typer(programs_app, name="programs")
app.add_typer(people_app, name="people")
app.add_typer(telegram_app, name="telegram")
app.add_typer(schedule_app, name="schedule")
app.add_typer(escalations_app, name="escalations")
app.add_typer(rota_app, name="rota")
app.add_typer(admin_app, name="admin")
programs_app.command("set")(programs_set)
programs_app.command("show")(programs_show)
app.command("start")(start)
people_app.command("invite")(invite)
people_app.command("import")(people_import_command)
app.command("pair")(pair)
app.command("simulate")(simulate)
app.command("chat")(chat)
app.command("demo")(demo)
app.command("serve")(serve)
app.command("seed-demo")(seed_demo_command)
app.command("doctor")(doctor)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database tables (safe to run at every start)."""
    database().upgrade()
    typer.echo("database is up to date")


@flows_app.command("validate")
def flows_validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders.")] = None,
) -> None:
    """Check flow files; every problem names the file, the line and the state."""
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


def _assessment_row(text: str, language: str) -> dict[str, object]:
    found = assess(text, language)
    return {"text": text, "level": found.level.value, "categories": list(found.categories),
            "evidence": list(found.evidence)}


@app.command("risk")
def risk(
    text: Annotated[str | None, typer.Argument(help="The text to screen.")] = None,
    file: Annotated[Path | None, typer.Option(help="One text per line, or a TSV with a 'text' "
                                              "column; prints one JSON object per line.")] = None,
    lang: Annotated[str, typer.Option(help="en or es")] = "en",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Screen text for crisis and risk language (urgent / concern / watch / none)."""
    if (text is None) == (file is None):
        fail("give either TEXT or --file FILE")
    if file is not None:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            fail(f"cannot read {file}: {exc.strerror}")
        header = lines[0].split("\t") if lines else []
        if "text" in header:
            col = header.index("text")
            lines = [row.split("\t")[col] for row in lines[1:] if len(row.split("\t")) > col]
        for line in lines:
            typer.echo(json.dumps(_assessment_row(line, lang), ensure_ascii=False))
        return
    assert text is not None
    row = _assessment_row(text, lang)
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
    else:
        cats = ", ".join(row["categories"]) or "-"  # type: ignore[arg-type]
        typer.echo(f"{row['level']}\t{cats}")
