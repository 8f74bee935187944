"""`checkin keys`: the DATA_KEYS that encrypt people's words at rest (storage/crypto.py)."""

from __future__ import annotations

from typing import Annotated

import typer

keys_app = typer.Typer(help="Data keys: encryption at rest of people's words.",
                       no_args_is_help=True)


@keys_app.command("new")
def new() -> None:
    """Print a new data key (put it first in DATA_KEYS, then run `checkin keys rotate`)."""
    # No settings read: this is what production without a key is told to run. And imported
    # when run, for start-up time: the other commands never load the crypto.
    from storage.crypto import new_key

    typer.echo(new_key())


@keys_app.command("rotate")
def rotate(
    batch: Annotated[int, typer.Option(min=1, max=100_000,
                                       help="Rows per transaction.")] = 500,
) -> None:
    """Encrypt every stored word under the newest key in DATA_KEYS (safe to re-run)."""
    # Imported when run, for start-up time: the other commands never load the crypto.
    from bot.cli.common import database, fail
    from storage import crypto
    from storage.reseal import Resealed, reseal_column

    db = database()  # installs DATA_KEYS for this process
    ring = crypto.keyring()
    if ring is None:
        fail("DATA_KEYS is not set: make a key with `checkin keys new`, set DATA_KEYS, and run "
             "this again.")
    total = Resealed()
    try:
        # Commit-as-you-go on one connection: each batch is its own transaction, so an
        # interrupted run keeps what it did and a new run continues (done rows are skipped).
        with db.engine.connect() as conn:
            for table, column, kind in crypto.ENCRYPTED_COLUMNS:
                done = reseal_column(conn, table, column, kind, ring, batch=batch,
                                     after_batch=conn.commit)
                conn.commit()
                total.add(done)
                typer.echo(f"{table}.{column}: {done.encrypted} encrypted, {done.rekeyed} "
                           f"moved to the newest key, {done.unchanged} already done")
    except crypto.DataKeyError as exc:
        fail(f"cannot rotate: {exc}", code=1)
    finally:
        db.close()
    typer.echo(f"done: {total.encrypted} encrypted, {total.rekeyed} moved to the newest key, "
               f"{total.unchanged} already done")
