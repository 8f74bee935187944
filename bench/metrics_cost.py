"""What measuring costs: the in-process instruments per turn and per send, and one /metrics
scrape's database reads against a database with a history, on SQLite and PostgreSQL.

    .venv/bin/python bench/metrics_cost.py [--messages 200000] [--escalations 5000]
                                           [--db sqlite,postgresql]

Hot path: the best of 5 rounds of 200,000 calls, minus an empty call: the work a webhook turn
adds with METRICS_TOKEN set (two clock reads, the turn counter and histogram, the engine's timed
pattern screening of a short reply) and the work one send adds. Compare it with a turn's CPU
(``service_cpu_percent / messages_per_s`` of `bench/inbound.py`, about 0.5 ms).

Scrape: the state collector's queries (`bot.metrics.state`) in one read transaction, over
``--messages`` outbound rows (1 % pending, 0.1 % dead, the rest sent), ``--escalations``
escalations (most acknowledged) and 1,000 schedules; the median of 20 scrapes. The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prometheus_client import generate_latest  # noqa: E402
from sqlalchemy import Table, insert  # noqa: E402

from bench.service import bench_database  # noqa: E402
from bot.database import Database  # noqa: E402
from bot.metrics.instruments import ServiceMetrics  # noqa: E402
from bot.metrics.state import StateCollector  # noqa: E402
from flows.risk import assess  # noqa: E402
from storage.models import Escalation, Message, Person, Program, Schedule  # noqa: E402

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def per_call_us(call: Callable[[], object], n: int = 200_000) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(n):
            call()
        best = min(best, (time.perf_counter() - started) / n)
    return best * 1e6


def hot_path() -> dict[str, float]:
    metrics = ServiceMetrics()
    empty = per_call_us(lambda: None)
    clock = per_call_us(time.perf_counter) * 2
    turn = per_call_us(lambda: metrics.turn("sms", "reply", 0.003)) - empty
    plain = per_call_us(lambda: assess("4", "en")) - empty
    timed = per_call_us(lambda: metrics.pattern_screen("4", "en")) - empty
    send = per_call_us(lambda: metrics.send("sms", "sent", 0.05)) - empty
    return {"turn_us": round(turn + clock + (timed - plain), 2), "send_us": round(send + clock, 2),
            "of_which_pattern_timing_us": round(timed - plain, 2)}


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def seed(database: Database, messages: int, escalations: int) -> None:
    with database.engine.begin() as conn:
        program = conn.execute(insert(_table(Program)).values(
            name="Bench", settings={}, created_at=NOW)).inserted_primary_key[0]
        people = [{"program_id": program, "role": "mentee", "display_name": f"m{i}",
                   "language": "en", "status": "active", "created_at": NOW}
                  for i in range(1000)]
        conn.execute(insert(_table(Person)), people)
        ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM person").all()]
        conn.execute(insert(_table(Schedule)), [
            {"person_id": pid, "flow_id": "mentee_checkin", "rule": "FREQ=WEEKLY",
             "timezone": "UTC", "next_due_at": NOW + timedelta(days=1), "paused": False,
             "created_at": NOW} for pid in ids])
        rows = []
        for i in range(messages):
            status = "pending" if i % 100 == 0 else "dead" if i % 1000 == 1 else "sent"
            rows.append({"direction": "outbound", "channel": "sms" if i % 2 else "telegram",
                         "address": f"a{i % 1000}", "person_id": ids[i % 1000],
                         "body": None, "kind": "question", "status": status,
                         "lane": "routine", "priority": 1, "attempts": 1,
                         "created_at": NOW - timedelta(seconds=i), "updated_at": NOW})
            if len(rows) == 10_000:
                conn.execute(insert(_table(Message)), rows)
                rows = []
        if rows:
            conn.execute(insert(_table(Message)), rows)
        levels = ("urgent", "concern", "watch")
        rows = []
        for i in range(escalations):
            raised = NOW - timedelta(hours=i)
            acked = raised + timedelta(minutes=i % 90) if i % 10 else None  # 1 in 10 open
            rows.append({"program_id": program, "person_id": ids[i % 1000],
                         "level": levels[i % 3], "reasons": [], "evidence": [],
                         "status": "resolved" if acked else "open", "raised_at": raised,
                         "due_at": NOW, "acknowledged_at": acked, "alert_round": 1,
                         "updated_at": NOW})
        conn.execute(insert(_table(Escalation)), rows)


def scrape_ms(kind: str, messages: int, escalations: int, workdir: Path) -> dict[str, object]:
    url, pg = bench_database(kind, workdir)
    try:
        database = Database.open(url)
        database.upgrade()
        seed(database, messages, escalations)
        metrics = ServiceMetrics()
        metrics.registry.register(StateCollector(lambda: database, lambda: NOW,
                                                 lambda: ["sms", "telegram"]))
        generate_latest(metrics.registry)  # warm: prepared plans, caches
        times = []
        for _ in range(20):
            started = time.perf_counter()
            body = generate_latest(metrics.registry)
            times.append(time.perf_counter() - started)
        database.close()
        return {"db": kind, "messages": messages, "escalations": escalations,
                "scrape_p50_ms": round(statistics.median(times) * 1000, 2),
                "scrape_max_ms": round(max(times) * 1000, 2), "bytes": len(body)}
    finally:
        if pg is not None:
            pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--escalations", type=int, default=5000)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    results: dict[str, object] = {"hot_path": hot_path()}
    print(f"hot path: {results['hot_path']}")
    with tempfile.TemporaryDirectory(prefix="bench-metrics-") as tmp:
        Path(tmp).chmod(0o755)
        for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
            workdir = Path(tmp) / kind
            workdir.mkdir()
            workdir.chmod(0o777)  # the PostgreSQL server runs as the postgres user under root
            results[kind] = scrape_ms(kind, args.messages, args.escalations, workdir)
            print(f"{kind}: {results[kind]}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
