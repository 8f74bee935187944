"""`checkin db backup` and `checkin db restore` (the work is in storage/backup.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.common import fail, settings
from bot.clock import utcnow
from storage import backup as backups
from storage.db import sqlite_file
from storage.migrate import known_revisions


def _key_reminder() -> str:
    if settings().data_key_list:
        return ("The words in it open only with DATA_KEYS: keep the key backed up too, apart "
                "from this file (docs/deploy.md).")
    return ("DATA_KEYS is not set: the words in it are readable by anyone who gets the file; "
            "keep it as safe as the database.")


def backup(path: Path, force: bool) -> None:
    url = settings().database_url
    database = sqlite_file(url)
    try:
        if database is not None:
            copy = backups.backup_sqlite(database, path, overwrite=force)
            typer.echo(f"Backed up {database} to {copy.path} ({copy.size:,} bytes, migration "
                       f"{copy.revision}, integrity check ok).")
        elif url.startswith(("postgresql", "postgres://")):
            backups.backup_postgres(url, path, overwrite=force)
            typer.echo(f"Backed up the PostgreSQL database to {path} with pg_dump (custom "
                       "format: restore with pg_restore, see docs/deploy.md).")
        else:
            fail(f"cannot back up {url}: only a SQLite file or a PostgreSQL database")
    except backups.BackupError as exc:
        fail(f"backup failed: {exc}")
    typer.echo(_key_reminder())


def restore(path: Path, force: bool) -> None:
    url = settings().database_url
    database = sqlite_file(url)
    if database is None:
        fail("checkin db restore restores SQLite backups into the configured SQLite file. For "
             "PostgreSQL use pg_restore into an empty database, e.g.\n"
             f"  pg_restore --clean --if-exists --no-owner --dbname=... {path}\n"
             "then `checkin db upgrade` (docs/deploy.md, \"Restore drill\").")
    try:
        restored = backups.restore_sqlite(path, database, known_revisions=known_revisions(),
                                          force=force, now=utcnow())
    except backups.BackupError as exc:
        fail(f"restore failed: {exc}")
    if restored.saved_previous is not None:
        typer.echo(f"The database that was there is saved as {restored.saved_previous}.")
    typer.echo(f"Restored {path} into {restored.database} (migration {restored.revision}, "
               "integrity check ok). Start the service (it runs any newer migrations first), "
               "or run `checkin db upgrade`.")
