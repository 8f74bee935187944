"""Duplicates after kill -9: how many messages a crash makes the service send twice.

A message is sent twice when the process dies after the provider accepted it and before the
"sent" outcome was committed: the row is still `sending` under the dead process's lease, and the
next process takes it over and sends it again. This bench queues a burst of messages (half
Telegram, half SMS, one unique text each) and runs a real `checkin serve` against the fake
providers on 127.0.0.1 (their own process, so they outlive every kill). While the burst is going
out it SIGKILLs the service at a random moment, starts it again at once, and repeats; then lets
the last process finish the queue and counts, per provider, the texts the fake received more
than once. It runs twice: "before" (OUTBOX_RECLAIM_LOOKUP=false: a taken-over row is simply sent
again) and "after" (the default: a taken-over SMS is first looked up in Twilio's Messages list).

The duplicate window (mean time from the provider's accept to our commit) follows from Little's
law: at a random instant the number of messages inside the window is rate x window, and each of
them is sent twice after a kill at that instant. So window ~ duplicates / (sum over kills of the
send rate just before that kill). It is printed per provider for the "before" run (where nothing
hides the duplicates).

    .venv/bin/python bench/crash_window.py [--messages 1000] [--kills 8] [--db sqlite]
                                           [--modes before,after] [--seed 1]

Nothing is lost either way: the bench also checks every queued row ends `sent`, each text
delivered at least once. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from bench.providers import ProviderProcess  # noqa: E402
from bench.service import (  # noqa: E402
    BOT_TOKEN,
    bench_database,
    service_env,
    start_service,
    stop_service,
)
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Channel, Direction, Lane, Message, MessageStatus  # noqa: E402
from storage.queries.messages import enqueue_outbound  # noqa: E402
from tests.pg import _free_port  # noqa: E402

CHANNELS = ("telegram", "sms")
ADDRESSES = 100  # per channel: groups go out concurrently, as many people's messages do
LEASE_SECONDS = 5  # the shortest allowed: a taken-over row is re-sent soon after a restart


def queue_burst(db_url: str, per_channel: int) -> None:
    engine = make_engine(db_url)
    now = datetime.now(UTC)
    with Session(engine) as db:
        for i in range(per_channel):
            enqueue_outbound(db, channel=Channel.telegram, address=str(700000 + i % ADDRESSES),
                             body=f"crash bench telegram {i}", kind="question",
                             lane=Lane.routine, now=now, flush=False)
            enqueue_outbound(db, channel=Channel.sms, address=f"+1202555{i % ADDRESSES:04d}",
                             body=f"crash bench sms {i}", kind="question",
                             lane=Lane.routine, now=now, flush=False)
        db.commit()
    engine.dispose()


def unsent(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with Session(engine) as db:
            return int(db.exec(select(func.count()).select_from(Message).where(
                col(Message.direction) == Direction.outbound,
                col(Message.status) != MessageStatus.sent)).one())
    finally:
        engine.dispose()


def counts(fakes: ProviderProcess) -> dict[str, int]:
    return {name: len(texts) for name, texts in fakes.bodies().items()}


def wait_for(predicate: Any, within: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def run_mode(mode: str, args: argparse.Namespace, rng: random.Random, workdir: Path,
             ) -> dict[str, Any]:
    db_url, pg = bench_database(args.db, workdir)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(db_url)
        queue_burst(db_url, args.messages)
        with ProviderProcess(BOT_TOKEN) as fakes:
            def start() -> subprocess.Popen[bytes]:
                port = _free_port()
                env = service_env(db_url, f"http://127.0.0.1:{port}", fakes.telegram_url,
                                  fakes.twilio_url, sms_rate=args.sms_rate)
                env.update(OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
                           OUTBOX_RECLAIM_LOOKUP="false" if mode == "before" else "true")
                proc = start_service(port, env, workdir / f"{mode}-{len(procs)}.log")
                procs.append(proc)
                return proc

            proc = start()
            rates: list[dict[str, float]] = []
            total = 2 * args.messages
            for _ in range(args.kills):
                base = sum(counts(fakes).values())
                # This process is sending (a few new deliveries) or the burst is over.
                wait_for(lambda b=base: sum(counts(fakes).values()) >= min(b + 10, total), 60)
                if sum(counts(fakes).values()) >= total:
                    break
                time.sleep(rng.uniform(0.0, args.max_delay))
                c0, t0 = counts(fakes), time.monotonic()
                time.sleep(0.5)
                c1, t1 = counts(fakes), time.monotonic()
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                rates.append({name: (c1[name] - c0[name]) / (t1 - t0) for name in CHANNELS})
                proc = start()
            drained = wait_for(lambda: unsent(db_url) == 0, LEASE_SECONDS + 120, step=0.5)
            stop_service(proc)
            texts = fakes.bodies()
        left = unsent(db_url)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        if pg is not None:
            pg.stop()
    result: dict[str, Any] = {"mode": mode, "kills": len(rates), "drained": drained,
                              "unsent_rows": left}
    for name in CHANNELS:
        seen = Counter(texts[name])
        duplicates = sum(n - 1 for n in seen.values())
        rate_sum = sum(r[name] for r in rates)
        result[name] = {
            "delivered_texts": len(seen),
            "missing_texts": args.messages - len(seen),
            "duplicates": duplicates,
            "duplicates_per_kill": round(duplicates / len(rates), 2) if rates else None,
            "send_rate_at_kill_per_s": round(rate_sum / len(rates), 1) if rates else None,
            "window_ms": round(1000 * duplicates / rate_sum, 1) if rate_sum else None,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000, help="per provider")
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--modes", default="before,after")
    parser.add_argument("--sms-rate", type=float, default=60.0)
    parser.add_argument("--max-delay", type=float, default=1.0,
                        help="seconds: the kill lands at a random moment this long into sending")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results = []
    for mode in args.modes.split(","):
        with tempfile.TemporaryDirectory(prefix="crash-window-") as tmp:
            started = time.monotonic()
            result = run_mode(mode, args, rng, Path(tmp))
            result["seconds"] = round(time.monotonic() - started, 1)
        results.append(result)
        print(f"{mode:>6} ({args.db}): {result['kills']} kills, unsent rows {result['unsent_rows']}"
              + "".join(f"; {name}: {result[name]['duplicates']} duplicates"
                        f" ({result[name]['duplicates_per_kill']}/kill at"
                        f" {result[name]['send_rate_at_kill_per_s']}/s, window ~"
                        f"{result[name]['window_ms']} ms), missing {result[name]['missing_texts']}"
                        for name in CHANNELS), flush=True)
    print(json.dumps({"db": args.db, "messages_per_provider": args.messages, "results": results}))


if __name__ == "__main__":
    main()
