"""`checkin serve` and `checkin seed-demo`."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import database, fail, settings
from bot.clock import utcnow
from bot.seed import DEMO_PROGRAM, demo_mentee, seed_demo


def serve(
    host: Annotated[str | None, typer.Option(help="Defaults to HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Defaults to PORT (8000).")] = None,
) -> None:
    """Run the service: webhooks, health, the outbox sender and the scheduler."""
    import uvicorn

    from bot.app import build_context, create_app
    from bot.logs import configure_logging

    config = settings()
    configure_logging(config.log_level)
    database().upgrade()
    try:
        app = create_app(build_context(config))
    except Exception as exc:  # a clear sentence at start beats a trace later
        fail(f"cannot start: {exc}")
    host, port = host or config.host, port or config.port
    typer.echo(f"Peer Check-in is running on http://{host}:{port}  (health: /healthz)")
    channels = [name for name, on in (("SMS", config.twilio_enabled),
                                      ("Telegram", config.telegram_enabled)) if on]
    typer.echo(f"Channels: {', '.join(channels) or 'none configured (see README)'}. "
               "Press Ctrl-C to stop.")
    # uvicorn handles SIGTERM/SIGINT: in-flight requests finish, then the app's lifespan shuts
    # the sender and scheduler down cleanly.
    uvicorn.run(app, host=host, port=port, log_level=config.log_level.lower(),
                access_log=False, proxy_headers=True, server_header=False)


def seed_demo_command() -> None:
    """Create the demo program (a supervisor, 2 mentors, 4 mentees) if the database is empty."""
    with database().transaction() as db:
        created = seed_demo(db, utcnow())
        mentee = demo_mentee(db)
    if created:
        typer.echo(f"Created '{DEMO_PROGRAM}' with a supervisor, 2 mentors and 4 mentees.")
    if mentee is not None:
        typer.echo(f"Try a check-in in another terminal:  .venv/bin/checkin chat --person "
                   f"{mentee.id}   (you are {mentee.display_name})")
