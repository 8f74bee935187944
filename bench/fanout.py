"""Scheduled fan-out: N mentees all due at once, on SQLite and PostgreSQL.

Enrols N mentees (half SMS with consent, half Telegram; first names drawn from a pool, 20% in
Spanish) with one weekly schedule each, all due, using bulk Core INSERTs (setup is not
measured). Then times `bot.jobs.dispatch.run_dispatch` — batches of 1000, one transaction each
(on PostgreSQL two batches at a time), exactly what the service's dispatch job runs — until
every schedule is claimed, i.e. claim + create the sessions + queue their first questions +
advance the schedules. Counts are checked afterwards. PostgreSQL runs with its real durability
settings (fsync, synchronous commit) on disk; SQLite in WAL mode with synchronous=NORMAL and the
WAL checkpointed by a thread of its own, as the service runs it (`bot.app` opens the database
with `checkpoint_in_background=True`). The benchmark process and the PostgreSQL server share the
machine's cores.
`batch_tx_ms` is how long each full batch's transaction lasted (median and max): on SQLite, how
long the batch holds the single write lock that a webhook reply waits behind.

Finally: how long delivering those first messages takes at the channel rates (SMS_RATE_PER_SECOND
per sender, default 1; Telegram about 30 per second per bot) — the channel, not this code, is the
ceiling.

    .venv/bin/python bench/fanout.py [--mentees 100000] [--db sqlite,postgresql] [--batch 1000]
                                     [--profile]

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, func, insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bot.context import AppContext  # noqa: E402
from bot.database import Database  # noqa: E402
from bot.flow_registry import load_configured_flows  # noqa: E402
from bot.jobs.dispatch import DISPATCH_BATCH, run_dispatch  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from storage.models import (  # noqa: E402
    Channel,
    CheckinSession,
    ContactPoint,
    Direction,
    Message,
    Person,
    PersonStatus,
    Program,
    Role,
    Schedule,
)
from tests.pg import PgServer  # noqa: E402

TARGET_S = 5  # issue 20: 100,000 due check-ins within 5 s on either database
TELEGRAM_RATE = 30.0  # messages per second per bot (Telegram's documented broadcast limit)
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Monday 12:00 in New York: not quiet hours
RULE = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0"
FIRST_NAMES = [
    f"{a}{b}" for a in ("Al", "Be", "Ca", "Da", "El", "Fe", "Ga", "Ha", "Is", "Jo", "Ka", "Lu",
                        "Ma", "Ni", "Ol", "Pa", "Ra", "Sa", "Ta", "Va")
    for b in ("ex", "na", "ra", "vi", "lo", "mi", "ny", "ta", "ro", "sa", "ke", "di", "an", "yn",
              "el")
]  # 300 first names: a real program repeats names, so the Start cache sees repeats too


@dataclass
class TimedDatabase(Database):
    """`Database` that records how long each transaction lasts. On SQLite that is how long the
    batch holds the single write lock (BEGIN IMMEDIATE to COMMIT): what a webhook reply waits."""

    holds_s: list[float] = field(default_factory=list, repr=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        t0 = time.perf_counter()
        try:
            with super().transaction() as session:
                yield session
        finally:
            self.holds_s.append(time.perf_counter() - t0)


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def enrol(database: Database, n: int) -> None:
    """N mentees, their contacts and due schedules, inserted in bulk with explicit ids."""
    created = NOW - timedelta(days=30)
    with database.engine.begin() as conn:
        conn.execute(insert(_table(Program)), [{
            "id": 1, "name": "Bench", "timezone": "America/New_York", "quiet_start": "21:00",
            "quiet_end": "08:00", "settings": {}, "created_at": created,
        }])
        for start in range(0, n, 20_000):
            ids = range(start + 1, min(n, start + 20_000) + 1)
            conn.execute(insert(_table(Person)), [{
                "id": i, "program_id": 1, "role": Role.mentee,
                "display_name": f"{FIRST_NAMES[i % len(FIRST_NAMES)]} Mentee{i}",
                "language": "es" if i % 5 == 0 else "en", "timezone": None,
                "status": PersonStatus.active, "created_at": created,
            } for i in ids])
            conn.execute(insert(_table(ContactPoint)), [{
                "id": i, "person_id": i,
                "channel": Channel.sms if i % 2 else Channel.telegram,
                "address": f"+1312{i:07d}" if i % 2 else str(10_000_000 + i),
                "opted_out": False, "consent_at": created, "unreachable": False,
                "created_at": created,
            } for i in ids])
            conn.execute(insert(_table(Schedule)), [{
                "id": i, "person_id": i, "flow_id": "mentee_checkin", "rule": RULE,
                "timezone": "America/New_York", "next_due_at": NOW - timedelta(seconds=i % 600),
                "paused": False, "last_started_at": None, "created_at": created,
            } for i in ids])
        if database.engine.dialect.name == "postgresql":
            for table in ("program", "person", "contact_point", "schedule"):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
            conn.execute(text("ANALYZE"))


def verify(database: Database, n: int) -> dict[str, int]:
    s, m, sc = _table(CheckinSession).c, _table(Message).c, _table(Schedule).c
    with database.engine.connect() as conn:
        counts = {
            "sessions": conn.scalar(select(func.count()).select_from(_table(CheckinSession))),
            "people_with_a_session": conn.scalar(select(func.count(func.distinct(s.person_id)))),
            "first_messages": conn.scalar(select(func.count()).where(
                m.direction == Direction.outbound, m.kind == "question")),
            "schedules_advanced": conn.scalar(select(func.count()).where(
                sc.next_due_at > NOW, sc.last_started_at == NOW)),
        }
    result = {k: int(v or 0) for k, v in counts.items()}
    wrong = {k: v for k, v in result.items() if v != n}
    if wrong:
        raise AssertionError(f"expected {n} of each, found {wrong}")
    return result


def run_one(kind: str, n: int, batch: int, workdir: Path, profile: bool) -> dict[str, Any]:
    pg: PgServer | None = None
    if kind == "sqlite":
        url = f"sqlite:///{workdir}/fanout.db"
    else:
        # Real durability (fsync on, synchronous commit), on disk, not in RAM.
        pg = PgServer(settings=(), scratch_root=str(workdir)).start()
        url = pg.url(pg.create_database("fanout"))
    try:
        # Opened as the service opens it (bot.app): on SQLite a thread checkpoints the WAL,
        # not the commit that crosses SQLite's threshold (with its fsync, inside the batch).
        database = cast(TimedDatabase, TimedDatabase.open(url, checkpoint_in_background=True))
        database.upgrade()
        settings = load_settings(database_url=url)
        flows = load_configured_flows(settings)
        t0 = time.perf_counter()
        enrol(database, n)
        setup_s = time.perf_counter() - t0
        ctx = AppContext(settings=settings, database=database, flows=flows, clock=lambda: NOW)
        batches = n // batch + 2
        profiler = cProfile.Profile() if profile else None
        database.holds_s.clear()
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        handled = run_dispatch(ctx, limit=batch, max_batches=batches)
        if profiler:
            profiler.disable()
        dispatch_s = time.perf_counter() - t0
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        if handled != n:
            raise AssertionError(f"run_dispatch handled {handled} schedules, expected {n}")
        full = database.holds_s[: n // batch] or database.holds_s
        counts = verify(database, n)
        database.close()
        return {
            "mentees": n,
            "setup_s": round(setup_s, 2),
            "dispatch_s": round(dispatch_s, 2),
            "checkins_per_s": round(n / dispatch_s),
            "batch": batch,
            "batches": -(-n // batch),
            # per full batch: one transaction, i.e. on SQLite the write-lock hold
            "batch_tx_ms": {
                "median": round(statistics.median(full) * 1000, 1),
                "max": round(max(full) * 1000, 1),
            },
            "verified": counts,
        }
    finally:
        if pg is not None:
            pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mentees", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--batch", type=int, default=DISPATCH_BATCH, help="schedules per batch")
    parser.add_argument("--profile", action="store_true", help="cProfile the dispatch")
    args = parser.parse_args()
    n = args.mentees
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        os.chmod(tmp, 0o755)  # PostgreSQL runs as the postgres user when we are root
        for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
            workdir = Path(tmp) / kind
            workdir.mkdir()
            os.chmod(workdir, 0o755)
            try:
                result = run_one(kind, n, args.batch, workdir, args.profile)
            except Exception as exc:  # report, don't hide: a missing server is a result too
                traceback.print_exc()
                result = {"error": f"{type(exc).__name__}: {exc}"}
            results[kind] = result
            print(f"{kind:>10}: " + ", ".join(f"{k}={v}" for k, v in result.items()))
    sms, telegram = (n + 1) // 2, n // 2
    sms_rate = load_settings().sms_rate_per_second
    results["delivery_estimate_s"] = {
        f"sms_at_{sms_rate:g}_per_s": round(sms / sms_rate),
        f"telegram_at_{TELEGRAM_RATE:g}_per_s": round(telegram / TELEGRAM_RATE),
    }
    print(f"delivering {sms} SMS at {sms_rate:g}/s per sender takes {sms / sms_rate / 3600:.1f} h; "
          f"{telegram} Telegram messages at {TELEGRAM_RATE:g}/s take "
          f"{telegram / TELEGRAM_RATE / 60:.0f} min")
    results["target_s"] = TARGET_S
    print(json.dumps(results))


if __name__ == "__main__":
    main()
