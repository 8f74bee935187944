"""SQLite's WAL is checkpointed by a thread of the service, never by a conversation's commit."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from bot.database import Database


def wal_size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def write_pages(database: Database, rows: int) -> None:
    with database.transaction() as db:
        db.execute(text("CREATE TABLE IF NOT EXISTS filler (x TEXT)"))
    for _ in range(rows // 100):
        with database.transaction() as db:
            db.execute(text("INSERT INTO filler (x) VALUES " +
                            ",".join(["('" + "x" * 4000 + "')"] * 100)))


def test_commits_leave_checkpoints_to_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "service.db"
    database = Database.open(f"sqlite:///{path}", checkpoint_in_background=True)
    assert database._checkpointer is not None
    database._checkpointer._stop.set()  # pause the thread: only commits could checkpoint now
    database._checkpointer._thread.join()
    write_pages(database, 4000)  # ~4,000 pages of 4 kB, four times SQLite's threshold
    grown = wal_size(path)
    assert grown > 3000 * 4096  # no commit copied the log back (it would stop near 1,100)
    database._checkpointer.checkpoint()
    write_pages(database, 100)  # the next writer starts the log again from its beginning
    with database.transaction() as db:
        assert db.execute(text("SELECT count(*) FROM filler")).scalar_one() == 4100
    assert wal_size(path) == grown  # reused from its start, not grown further
    database.close()


def test_the_thread_checkpoints_while_the_service_writes(tmp_path: Path) -> None:
    path = tmp_path / "service.db"
    database = Database.open(f"sqlite:///{path}", checkpoint_in_background=True)
    try:
        for _ in range(5):
            write_pages(database, 500)
            time.sleep(0.6)  # past the 0.5 s interval
        # Without checkpoints the log would hold all ~2,500 pages; the thread keeps resetting it.
        assert wal_size(path) < 1500 * 4096
    finally:
        database.close()


def test_a_database_file_that_is_gone_is_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    database = Database.open(f"sqlite:///{path}", checkpoint_in_background=True)
    database.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database.close()  # a last checkpoint, which must not create an empty database
    assert not path.exists()
