"""`checkin doctor`: is the service set up, and can every program alert someone right now?

First the settings (which optional ones are empty), the database, its migrations and each
configured provider (a read-only call each: `bot.cli.doctor_checks`); then the same checks as
the red banner on the Queue and Delivery pages and as /healthz. Each problem comes with what to
fix. Exit code 0 when all is well, 1 when something is wrong."""

from __future__ import annotations

from typing import Annotated

import typer


def doctor(
    program: Annotated[str | None, typer.Option(help="Check only this program.")] = None,
) -> None:
    """Check that each program's on-call staff can be alerted now, and say what to fix."""
    # Imported when run, for start-up time: the other commands never load the escalation code.
    from bot.cli.common import database, program_filter, settings
    from bot.cli.doctor_checks import (
        Finding,
        check_database,
        check_migrations,
        check_telegram,
        check_twilio,
        unset_settings,
    )
    from bot.clock import utcnow
    from bot.data_keys import status_line
    from bot.escalation import reachability
    from bot.escalation.reachability import SETUP_FIX, SETUP_WORDS, StaffReach
    from bot.escalation.routing import ALERT_CHANNELS
    from bot.settings import ConfigError

    try:
        cfg = settings()
    except ConfigError as exc:
        typer.secho(f"Settings: PROBLEM: they do not load:\n{exc.code}", fg=typer.colors.RED)
        raise typer.Exit(1) from None
    unset = unset_settings(cfg)
    typer.echo("Settings: loaded." + (f" Not set: {'; '.join(unset)}." if unset else ""))
    typer.echo(status_line(cfg))
    failed = 0

    def report(finding: Finding) -> None:
        nonlocal failed
        if finding.ok:
            typer.echo(f"{finding.what}: ok, {finding.detail}")
            return
        failed += 1
        typer.secho(f"{finding.what}: PROBLEM: {finding.detail}.", fg=typer.colors.RED)
        if finding.fix:
            typer.echo(f"  Fix: {finding.fix}")

    handle = database()
    reached = check_database(handle)
    report(reached)
    if not reached.ok:
        raise typer.Exit(1)
    schema = check_migrations(cfg.database_url)
    report(schema)
    for finding in ((check_telegram(cfg) if cfg.telegram_bot_token else [])
                    + (check_twilio(cfg) if cfg.twilio_enabled else [])):
        report(finding)
    if not schema.ok:  # who can be alerted is read with the newest tables
        typer.echo("Who can be alerted is checked once the database is upgraded.")
        raise typer.Exit(1)
    ready = reachability.ready_channels(cfg)
    for channel in ALERT_CHANNELS:
        if channel in ready:
            typer.echo(f"{SETUP_WORDS[channel]}: set up")
        else:
            typer.echo(f"{SETUP_WORDS[channel]}: not set up. {SETUP_FIX[channel]}")
    try:
        with handle.transaction() as db:
            wanted = program_filter(db, program)
            reaches = reachability.check_programs(
                db, utcnow(), ready=ready, program_ids=None if wanted is None else [wanted])
    except typer.Exit:
        raise
    except Exception as exc:  # the database is the first thing a doctor checks
        typer.secho(f"The database cannot be reached ({type(exc).__name__}): check "
                    "DATABASE_URL and that the server is running.", fg=typer.colors.RED)
        raise typer.Exit(1) from None
    if not reaches:
        typer.echo("No programs yet: add one with `checkin programs add NAME`.")
        if failed:
            raise typer.Exit(1)
        return

    def staff_line(staff: StaffReach) -> str:
        if staff.reachable:
            return f"    ok       {staff.name}: alerts by {', '.join(staff.channels)}"
        why = "; ".join(p.problem for p in staff.problems) or f"{staff.name}: no usable contact"
        return f"    cannot   {why}"

    wrong = 0
    for reach in reaches:
        typer.echo("")
        typer.secho(reach.program_name, bold=True)
        typer.echo("  on call now:")
        for staff in reach.on_call:
            typer.echo(staff_line(staff))
        if not reach.on_call:
            typer.echo("    (nobody)")
        if reach.fallback:
            typer.echo("  backup and other staff (alerts fall back to them):")
            for staff in reach.fallback:
                typer.echo(staff_line(staff))
        if reach.ok:
            typer.secho("  OK: an alert raised now reaches someone on call.",
                        fg=typer.colors.GREEN)
            continue
        wrong += 1
        typer.secho(f"  PROBLEM: {reach.headline}.", fg=typer.colors.RED, bold=True)
        for problem in reach.problems:
            typer.secho(f"  - {problem.problem}.", fg=typer.colors.RED)
            typer.echo(f"    Fix: {problem.fix}")
    typer.echo("")
    if failed:
        typer.secho(f"{failed} problem{'s' if failed != 1 else ''} with the setup: see the "
                    "fixes at the top.", fg=typer.colors.RED, bold=True)
    if wrong:
        typer.secho(f"Alerts are not getting through in {wrong} of {len(reaches)} "
                    f"program{'s' if len(reaches) != 1 else ''}: see the fixes above.",
                    fg=typer.colors.RED, bold=True)
        raise typer.Exit(1)
    if failed:
        raise typer.Exit(1)
    typer.secho("All programs can alert someone on call.", fg=typer.colors.GREEN)
