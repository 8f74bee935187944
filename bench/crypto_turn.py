"""What encryption at rest costs one reply turn, in CPU: the bench's check-in replies run
in-process (no HTTP, no sender), in groups of 8 as group commit writes them, on SQLite, without
and with a data key, rounds interleaved. CPU time, not wall time: the machine is shared.

    .venv/bin/python bench/crypto_turn.py [--mentees 800] [--rounds 3]

Per run: the CPU per turn, the storage/crypto.py calls per turn and the CPU spent inside them
(timed around each outermost call, which adds about half a microsecond a call to both runs).
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.inbound import REPLIES, enrol
from bot import inbound
from bot.app import build_context
from bot.settings import Settings
from storage import crypto

CALLS = ("seal", "unseal", "seal_json", "seal_json_text", "unseal_json")


class CryptoCalls:
    """Counts the module's calls and the CPU inside the outermost ones, while installed."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.ns = 0
        self._depth = 0
        self._saved: dict[str, Callable[..., Any]] = {}

    def __enter__(self) -> CryptoCalls:
        for name in CALLS:
            self._saved[name] = original = getattr(crypto, name)
            setattr(crypto, name, self._counted(name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self._saved.items():
            setattr(crypto, name, original)

    def _counted(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any) -> Any:
            self.calls[name] += 1
            if self._depth:
                return original(*args)
            self._depth = 1
            start = time.thread_time_ns()
            try:
                return original(*args)
            finally:
                self.ns += time.thread_time_ns() - start
                self._depth = 0
        return counted


def one_run(mentees_n: int, keyed: bool, workdir: Path) -> dict[str, object]:
    url = f"sqlite:///{workdir}/{'key' if keyed else 'nokey'}-{time.monotonic_ns()}.db"
    ctx = build_context(Settings(database_url=url,
                                 data_keys=crypto.new_key() if keyed else None))
    try:
        ctx.database.upgrade()
        mentees = enrol(ctx.database, ctx.flows, mentees_n, 0)
        turns = 0
        with CryptoCalls() as counted:
            cpu0 = time.process_time()
            for r, reply in enumerate(REPLIES):
                for i in range(0, len(mentees), 8):
                    group = [inbound._Turn(m.channel.value, m.address, reply, f"r{r}-{i + j}")
                             for j, m in enumerate(mentees[i:i + 8])]
                    results = inbound.run_batch(ctx, list(group))
                    failed = [x for x in results if isinstance(x, Exception)]
                    if failed:
                        raise RuntimeError(f"a turn failed: {failed[0]!r}")
                    turns += len(group)
            cpu = time.process_time() - cpu0
        return {"key": keyed, "turns": turns,
                "cpu_us_per_turn": round(cpu / turns * 1e6, 1),
                "crypto_us_per_turn": round(counted.ns / turns / 1000, 1),
                "crypto_calls_per_turn": {k: round(v / turns, 2)
                                          for k, v in sorted(counted.calls.items())}}
    finally:
        ctx.database.close()
        crypto.configure(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=800, help="each does a whole check-in")
    parser.add_argument("--rounds", type=int, default=3, help="each: one run without, one with")
    args = parser.parse_args()
    runs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="bench-crypto-turn-") as tmp:
        for _ in range(args.rounds):
            for keyed in (False, True):
                run = one_run(args.mentees, keyed, Path(tmp))
                print(json.dumps(run), file=sys.stderr, flush=True)
                runs.append(run)

    def mean(keyed: bool, field: str) -> float:
        values = [float(r[field]) for r in runs if r["key"] is keyed]  # type: ignore[arg-type]
        return round(sum(values) / len(values), 1)

    plain, sealed = mean(False, "cpu_us_per_turn"), mean(True, "cpu_us_per_turn")
    print(json.dumps({"runs": runs, "cpu_us_per_turn_without_key": plain,
                      "cpu_us_per_turn_with_key": sealed,
                      "key_costs_percent": round(100 * (sealed - plain) / plain, 1),
                      "crypto_us_per_turn_with_key": mean(True, "crypto_us_per_turn")}))


if __name__ == "__main__":
    main()
