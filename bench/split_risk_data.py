"""Split the labelled screening texts into a development part and a sealed part, once.

    python bench/split_risk_data.py EN.tsv ES.tsv [...]

Reads TSV files with the columns ``language label family text`` (written from
``shared/risk-rubric.md`` before any pattern was changed), removes duplicates, and writes
``bench/risk_data/dev.tsv`` and ``bench/risk_data/sealed.tsv`` with a stratified random split
(per language, label and family; fixed seed) plus ``bench/risk_data/sealed.sha256``.

The sealed part is read by ``bench/risk_eval.py`` alone: no test, pattern or training script reads
it, so its figures estimate how the screener does on text it was never tuned on.  This script was
run once, before the patterns were reworked; running it again would re-deal the split and void
that promise, so it refuses to overwrite an existing sealed file.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "risk_data"
DEV, SEALED, CHECKSUM = ROOT / "dev.tsv", ROOT / "sealed.tsv", ROOT / "sealed.sha256"
FIELDS = ("language", "label", "family", "text")
SEALED_SHARE = 0.32
SEED = 20261207


def read(paths: list[str]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                key = (row["language"], " ".join(row["text"].casefold().split()))
                if key in seen or not row["text"].strip():
                    continue
                seen.add(key)
                clean = {k: row[k].strip() for k in FIELDS}
                if any("\t" in v or "\n" in v for v in clean.values()):
                    raise ValueError(f"{path}: a tab or newline inside {clean['text']!r}")
                rows.append(clean)
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    # Plain lines: the texts hold quotes but never tabs or newlines (checked by read()).
    lines = ["\t".join(FIELDS)] + ["\t".join(row[k] for k in FIELDS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stratified_split(
    rows: list[dict[str, str]], share: float, seed: int,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(kept, held out): `share` of every (language, label, family) stratum held out, drawn
    with a generator seeded by `seed`, so the same rows always split the same way."""
    strata: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        strata[(row["language"], row["label"], row["family"])].append(row)
    rng = random.Random(seed)
    kept: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    for key in sorted(strata):
        group = strata[key]
        rng.shuffle(group)
        k = round(len(group) * share)
        held += group[:k]
        kept += group[k:]
    return kept, held


def main(paths: list[str]) -> int:
    if SEALED.exists():
        print(f"{SEALED} exists: the split is made once and never re-dealt", file=sys.stderr)
        return 1
    rows = read(paths)
    dev, sealed = stratified_split(rows, SEALED_SHARE, SEED)
    ROOT.mkdir(parents=True, exist_ok=True)
    write(DEV, dev)
    write(SEALED, sealed)
    digest = hashlib.sha256(SEALED.read_bytes()).hexdigest()
    CHECKSUM.write_text(f"{digest}  sealed.tsv\n", encoding="utf-8")
    print(f"{len(rows)} texts: dev {len(dev)}, sealed {len(sealed)} (sha256 {digest[:16]}…)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
