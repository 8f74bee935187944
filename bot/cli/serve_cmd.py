"""`checkin serve` and `checkin seed-demo`."""

from __future__ import annotations

import errno
import gc
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import database, fail, flows, settings
from bot.clock import utcnow
from bot.seed import (
    DEMO_PROGRAM,
    demo_logins_file,
    demo_mentee,
    read_demo_logins,
    save_demo_logins,
    seed_demo,
)

if TYPE_CHECKING:
    import uvicorn


def serve(
    host: Annotated[str | None, typer.Option(help="Defaults to HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Defaults to PORT (8000).")] = None,
) -> None:
    """Run the service: webhooks, health, the outbox sender and the scheduler."""
    # Imported when run, for start-up time: only `serve` loads the web app and uvicorn.
    import uvicorn

    from bot.app import build_context, create_app
    from bot.logs import configure_logging, uvicorn_log_config
    from bot.web.slow_clients import uvicorn_limits

    config = settings()
    configure_logging(config.log_level, config.log_format)
    host, port = host or config.host, port or config.port
    # Checked before anything is said or done: uvicorn would otherwise fail with a bare
    # "[Errno 98] address already in use" after we printed "is running".
    problem = port_problem(host, port)
    if problem:
        fail(f"cannot start: {problem}", code=3)  # 3 as below: the server could not start
    database().upgrade()
    try:
        app = create_app(build_context(config))
    except Exception as exc:  # a clear sentence at start beats a trace later
        fail(f"cannot start: {exc}")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"Peer Check-in is running. Dashboard: http://{shown}:{port}/  "
               "(health: /healthz)")
    notice = demo_logins_notice(config.database_url)
    if notice:
        typer.echo(notice)
    channels = [name for name, on in (("SMS", config.twilio_enabled),
                                      ("Telegram", config.telegram_enabled)) if on]
    typer.echo(f"Channels: {', '.join(channels) or 'none configured (see README)'}. "
               "Press Ctrl-C to stop.")
    # Everything loaded so far (modules, flows, the ORM's metadata: ~180,000 objects) lives as
    # long as the process. Frozen, the garbage collector stops walking it: a full collection,
    # a pause every webhook in flight waits out, went from ~110 ms to ~15 ms (measured).
    gc.collect()
    gc.freeze()
    # uvicorn handles SIGTERM/SIGINT: in-flight requests finish, then the app's lifespan shuts
    # the sender and scheduler down cleanly.
    # Slow or oversized headers and idle connections are cut (bot/web/slow_clients.py).
    server = uvicorn.Server(uvicorn.Config(
        app, host=host, port=port, log_level=config.log_level.lower(),
        # uvicorn's lines go through our handler: the same format, the request id.
        log_config=uvicorn_log_config(config.log_level), access_log=config.access_log,
        proxy_headers=True, forwarded_allow_ips=config.forwarded_allow_ips, server_header=False,
        **uvicorn_limits(config)))
    with _sigterm_after_shutdown_is_success(server):
        server.run()
    if not server.started:
        raise typer.Exit(3)  # as uvicorn.run: the server could not start (port in use, ...)


def port_problem(host: str, port: int) -> str | None:
    """Why the service could not listen on host:port (in words, with how to choose another
    port), or None. Bound the way uvicorn binds (SO_REUSEADDR), then released at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            choose = (f"Stop whatever uses it, or choose another port: PORT={port + 1} make run "
                      f"(or checkin serve --port {port + 1}).")
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is already in use (another Peer Check-in, or "
                        f"another program). {choose}")
            if exc.errno == errno.EACCES:
                return f"port {port} needs administrator rights on this machine. {choose}"
            return f"cannot listen on {host}:{port} ({exc.strerror or exc}). {choose}"
    return None


def demo_logins_notice(database_url: str) -> str | None:
    """Where the demo passwords are, never the passwords: `serve` runs on every start, and its
    output ends up in terminals, service logs and screenshots. `seed-demo` shows them once,
    when it makes them."""
    path = demo_logins_file(database_url)
    logins = read_demo_logins(path)
    if not logins:
        return None
    return (f"Demo logins: {', '.join(sorted(logins))} (passwords in {path})"
            "  — alex is the admin (simulator, people); sam the supervisor.")


@contextmanager
def _sigterm_after_shutdown_is_success(server: uvicorn.Server) -> Iterator[None]:
    """Exit status 0 for a SIGTERM that ended a clean shutdown.

    uvicorn catches SIGTERM while it serves, shuts down (our lifespan stops the sender and the
    scheduler), then raises the signal again to whatever handler was there before, so with the
    default one the process died by SIGTERM (status -15) and service managers counted a clean
    stop as a failure. The handler installed here sees that second SIGTERM: after a server
    that started, the work is done and it returns; before one (a signal during start-up, or a
    start that failed) it ends the process as the default would (status 143)."""
    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        if not server.started:
            raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def seed_demo_command() -> None:
    """Create the demo program (a supervisor, 2 mentors, 4 mentees, twelve weeks of their
    check-ins) if the database is empty."""
    loaded = flows()
    with database().transaction() as db:
        logins = seed_demo(db, utcnow(), loaded)
        mentee = demo_mentee(db)
    if logins:
        path = demo_logins_file(settings().database_url)
        save_demo_logins(logins, path)
        typer.echo(f"Created '{DEMO_PROGRAM}' with a supervisor, an admin, 2 mentors and "
                   "4 mentees, and their last twelve weeks of check-ins.")
        typer.echo("Dashboard logins: " + ", ".join(f"{user} / {password}" for user, password
                                                    in logins.items()) +
                   f"  (kept in {path})")
    if mentee is not None:
        typer.echo(f"Try a check-in in another terminal:  .venv/bin/checkin chat --person "
                   f"{mentee.id}   (you are {mentee.display_name})")
