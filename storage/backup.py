"""Backups of the database: a consistent copy while the service runs, and a restore.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database in one step,
which is one read transaction: a snapshot of the last commit before it began, never half a
turn. In WAL mode a reader does not block writers, so the service keeps taking webhooks while
it runs (in several steps, any write by another connection would restart the copy, and under
steady load it might never finish). The copy is written beside its destination under a
temporary name, checked (`PRAGMA integrity_check`), flushed to disk, and only then renamed: a
backup interrupted halfway leaves no file that looks like a backup.

PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`), run with the password in
its environment, never on its command line where any user of the machine could read it.

Restore (SQLite only) copies a backup into the configured database through the same API, in one
write transaction, after checking the backup is whole and made by a version of this code whose
migrations we know. A database another process has open (a running service) or that holds data
is not replaced unless the caller says so; the data it held is saved beside it first.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from storage.db import create_private

# How long a backup or restore waits for SQLite's locks (a turn holds the write lock for
# milliseconds; the checkpointer's PASSIVE checkpoint never blocks a reader).
LOCK_WAIT_SECONDS = 30.0


class BackupError(Exception):
    """A backup or restore that cannot be done, in words that say what to do instead."""


@dataclass(frozen=True)
class SqliteCopy:
    path: Path
    size: int
    revision: str | None  # the migration the copied database is at (None: never migrated)


def _connect(path: Path, *, must_exist: bool) -> sqlite3.Connection:
    mode = "rw" if must_exist else "rwc"
    uri = path.absolute().as_uri() + f"?mode={mode}"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=LOCK_WAIT_SECONDS)


def integrity(conn: sqlite3.Connection) -> str:
    """SQLite's own check of every page and index: "ok", or the problems it found."""
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "\n".join(str(row[0]) for row in rows)


def revision_of(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision stored in a SQLite database; None without the table or a row."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_checked(source: sqlite3.Connection, target: sqlite3.Connection,
                  journal_mode: str) -> str:
    """Copy `source` into `target`, put the copy in `journal_mode` (the copy brings the
    source's), and return SQLite's integrity verdict on it ("ok" when whole)."""
    # pages=-1: the whole database in one step, that is one read transaction on the source.
    source.backup(target, pages=-1)
    target.execute(f"PRAGMA journal_mode={journal_mode}")
    return integrity(target)


def backup_sqlite(database: Path, destination: Path, *, overwrite: bool = False) -> SqliteCopy:
    """Copy the SQLite database at `database` to `destination`, consistent while it is in use.

    The copy is a single file (rollback-journal mode, no -wal beside it), readable by its owner
    only, and passed SQLite's integrity check before it got its name."""
    if not database.is_file():
        raise BackupError(f"there is no database at {database}")
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose a new name, or --force to "
                          "replace it")
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist")
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    create_private(partial)
    try:
        with (closing(_connect(database, must_exist=True)) as source,
              closing(_connect(partial, must_exist=True)) as copy):
            # Out of the service's WAL mode: a backup is one self-contained file, which any
            # sqlite3 opens read-only as it is.
            problems = _copy_checked(source, copy, "DELETE")
            revision = revision_of(copy)
        if problems != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {problems}")
        _fsync(partial)
        os.replace(partial, destination)
        _fsync(destination.parent)
    finally:
        partial.unlink(missing_ok=True)
    return SqliteCopy(destination, destination.stat().st_size, revision)


def check_backup(backup: Path) -> SqliteCopy:
    """A SQLite backup that is whole and migrated, or a BackupError saying what is wrong."""
    if not backup.is_file():
        raise BackupError(f"there is no file at {backup}")
    with open(backup, "rb") as handle:
        header = handle.read(20)
    if header[:16] != b"SQLite format 3\x00":
        raise BackupError(f"{backup} is not a SQLite database (a PostgreSQL dump is "
                          "restored with pg_restore: see docs/deploy.md)")
    log = backup.with_name(backup.name + "-wal")
    # Bytes 18-19 are 2 in WAL mode. A database file copied with its log beside it holds
    # commits only in the log, which the read-only check below would not see.
    if header[18:20] == b"\x02\x02" and log.is_file() and log.stat().st_size > 0:
        raise BackupError(f"{backup} is a live database with recent commits still in "
                          f"{log.name}; make a backup of it with `checkin db backup` and "
                          "restore that")
    # Read-only and immutable: checking a backup must not change it (or create files beside
    # it), whoever runs the check.
    conn = sqlite3.connect(backup.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        problems = integrity(conn)
        revision = revision_of(conn)
    finally:
        conn.close()
    if problems != "ok":
        raise BackupError(f"{backup} fails SQLite's integrity check: {problems}")
    if revision is None:
        raise BackupError(f"{backup} is not a Peer Check-in database (no migration recorded)")
    return SqliteCopy(backup, backup.stat().st_size, revision)


def in_use(database: Path) -> bool:
    """Whether another connection (a running service, a `checkin chat`) has the database open.

    An exclusive lock is granted only when no other connection holds any lock on the file or,
    in WAL mode, its shared-memory index; an idle pooled connection of a running service holds
    one. Asked without waiting."""
    conn = sqlite3.connect(database.absolute().as_uri() + "?mode=rw", uri=True,
                           isolation_level=None, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def holds_tables(database: Path) -> bool:
    if not database.is_file() or database.stat().st_size == 0:
        return False
    conn = sqlite3.connect(database.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            ).fetchone()[0] > 0
    finally:
        conn.close()


@dataclass(frozen=True)
class Restored:
    database: Path
    revision: str
    saved_previous: Path | None  # where the data the database held before went


def restore_sqlite(backup: Path, database: Path, *, known_revisions: set[str], force: bool,
                   now: datetime) -> Restored:
    """Replace the SQLite database at `database` with the backup at `backup`.

    Refused, unless `force`: a database another process has open (stop the service first),
    and one that holds tables. Either way, the data it held is first saved beside it as
    `NAME.before-restore-YYYYmmddTHHMMSS` (a backup like any other). The copy is one write
    transaction of the target: another process sees the old database or the restored one."""
    checked = check_backup(backup)
    assert checked.revision is not None
    if checked.revision not in known_revisions:
        raise BackupError(f"{backup} is at migration {checked.revision}, which this version "
                          "does not know: restore it with the version that made it, or a "
                          "newer one")
    if not database.parent.is_dir():
        raise BackupError(f"the folder {database.parent} does not exist")
    saved: Path | None = None
    if database.is_file():
        if in_use(database) and not force:
            raise BackupError(f"{database} is open in another process (is the service "
                              "running?). Stop the service first; --force restores anyway, "
                              "under a running service")
        if holds_tables(database):
            if not force:
                raise BackupError(f"{database} already holds a database; --force replaces "
                                  "it (what it holds is saved beside it first)")
            saved = database.with_name(
                f"{database.name}.before-restore-{now.strftime('%Y%m%dT%H%M%S')}")
            backup_sqlite(database, saved)
    create_private(database)
    backup_uri = backup.absolute().as_uri() + "?mode=ro&immutable=1"
    with (closing(sqlite3.connect(backup_uri, uri=True)) as source,
          closing(_connect(database, must_exist=True)) as target):
        problems = _copy_checked(source, target, "WAL")  # the service runs in WAL
    if problems != "ok":
        raise BackupError(f"the restored database fails SQLite's integrity check: {problems}")
    return Restored(database, checked.revision, saved)


def pg_dump_binary() -> str | None:
    return shutil.which("pg_dump")


def pg_dump_command(url: str, destination: Path) -> tuple[list[str], dict[str, str]]:
    """The pg_dump command line and the environment additions for a PostgreSQL URL: the
    password goes in PGPASSWORD, so it is not on a command line others can read."""
    binary = pg_dump_binary()
    if binary is None:
        raise BackupError("pg_dump is not installed here. Install PostgreSQL's client tools "
                          "(apt-get install postgresql-client), or run pg_dump on the database "
                          "server: see docs/deploy.md")
    parsed = make_url(url)
    password = parsed.password
    # URL.set(password=None) would keep the password (None means "unchanged" there).
    plain = URL.create("postgresql", username=parsed.username, host=parsed.host,
                       port=parsed.port, database=parsed.database, query=parsed.query)
    target = plain.render_as_string(hide_password=False)
    env = {"PGPASSWORD": str(password)} if password is not None else {}
    return [binary, "--format=custom", f"--file={destination}", f"--dbname={target}"], env


def backup_postgres(url: str, destination: Path, *, overwrite: bool = False) -> Path:
    """`pg_dump --format=custom` of the database at `url` into `destination` (restore it with
    `pg_restore`); named only once pg_dump finished without an error."""
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose a new name, or --force to "
                          "replace it")
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist")
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    create_private(partial)  # pg_dump writes into it and keeps its mode (owner only)
    try:
        command, extra_env = pg_dump_command(url, partial)
        done = subprocess.run(command, env={**os.environ, **extra_env}, capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        _fsync(partial)
        os.replace(partial, destination)
        _fsync(destination.parent)
    finally:
        partial.unlink(missing_ok=True)
    return destination
