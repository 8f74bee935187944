"""Engine and session factory for SQLite (default) and PostgreSQL.

One transaction per conversation turn: the caller opens ``session_scope(factory)``, query
helpers work inside it without committing, and the scope commits once at the end.

SQLite transactions start with ``BEGIN IMMEDIATE`` by default: the write lock is taken at the
start of the transaction, so two turns that read then write serialise (waiting up to
``busy_timeout``) instead of the second failing with "database is locked" when it upgrades its
read lock.  A purely read-only unit of work can ask for a plain deferred transaction with
``session.connection(execution_options={"sqlite_begin": "DEFERRED"})`` as its first statement,
or the whole engine can default to it with ``make_engine(url, sqlite_begin="DEFERRED")``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

SqliteBegin = Literal["IMMEDIATE", "DEFERRED", "EXCLUSIVE"]
SessionFactory = Callable[[], Session]

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=NORMAL",
    # Deleted and erased content (retention's erased bodies) is overwritten with zeros instead
    # of lingering in free pages, whatever the system SQLite's build default is.
    "PRAGMA secure_delete=ON",
    # 16 MiB of page cache per connection instead of SQLite's 2 MiB: one dispatch batch (a
    # thousand starts) touches a few thousand pages spread over the schedule, session and
    # message indexes; with 2 MiB it spilled and re-read them within its own transaction
    # (measured, 100,000 starts: 5.3 s -> 4.5 s of CPU on SQLite).
    "PRAGMA cache_size=-16384",
)


def normalize_url(url: str) -> str:
    """Point ``postgres://`` and ``postgresql://`` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_file(url: str) -> Path | None:
    """The database file of a ``sqlite:///path`` URL; None for in-memory SQLite and PostgreSQL."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def make_engine(
    url: str, *, echo: bool = False, sqlite_begin: SqliteBegin = "IMMEDIATE",
    sqlite_autocheckpoint: bool = True,
) -> Engine:
    """Create an engine for ``url`` (``sqlite:///path`` or a PostgreSQL URL).

    ``sqlite_autocheckpoint=False``: commits never copy the WAL back into the database file;
    the caller must checkpoint (see `bot.database.Checkpointer`)."""
    sa_url = make_url(normalize_url(url))
    if sa_url.get_backend_name() != "sqlite":
        # Server-side prepared statements only where asked for: `storage.prepared` asks for
        # the inbound turn's few statements, which PostgreSQL then parses and plans once per
        # connection instead of on every turn (planning them was as much server CPU as running
        # them). psycopg's automatic preparation of everything else is off (a threshold never
        # reached): across the ORM's many statements it cost more client CPU than it saved
        # (closed-loop inbound 350 -> 455 msg/s without it). Behind PgBouncer in transaction
        # mode this needs its max_prepared_statements (PgBouncer 1.21 or later).
        return create_engine(sa_url, echo=echo, pool_pre_ping=True,
                             connect_args={"prepare_threshold": 1_000_000_000})

    path = sqlite_file(url)
    if path is not None:
        create_private(path)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if sa_url.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool  # one shared connection, or each would be a new DB
    # No pre-ping: a SQLite connection is a file handle that cannot go stale, and the ping was
    # one more statement in every transaction.
    engine = create_engine(sa_url, echo=echo, **kwargs)
    _install_sqlite_hooks(engine, sqlite_begin, sqlite_autocheckpoint)
    return engine


def create_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600) if it does not exist yet.

    SQLite would create it with the process umask (usually 0644: world-readable), and gives its
    -wal and -shm files the main file's permissions, so creating the (empty, valid) file first
    is enough for all three. No umask juggling: the umask is process-wide, shared by threads.
    An existing file keeps its mode: an operator may have chosen it (a backup group)."""
    if not path.parent.is_dir():
        return  # SQLite reports the missing folder itself, as before
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _install_sqlite_hooks(engine: Engine, default_begin: SqliteBegin, autocheckpoint: bool) -> None:
    # The documented SQLAlchemy recipe: stop the sqlite3 module from issuing its own (deferred,
    # DML-only) BEGIN and emit BEGIN ourselves whenever SQLAlchemy starts a transaction.

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
            if not autocheckpoint:
                cursor.execute("PRAGMA wal_autocheckpoint=0")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        mode = str(options.get("sqlite_begin", default_begin)).upper()
        if mode not in ("IMMEDIATE", "DEFERRED", "EXCLUSIVE"):
            raise ValueError(f"sqlite_begin must be IMMEDIATE, DEFERRED or EXCLUSIVE, not {mode}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A callable returning a new ``sqlmodel.Session`` bound to ``engine``."""
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


@contextmanager
def session_scope(factory: SessionFactory) -> Iterator[Session]:
    """Yield a session; commit if the block succeeds, roll back if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def is_postgres(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"
