"""Seal a random fifth of ``dev2.tsv`` as the hold-out ``hold2.tsv``, once.

    python bench/split_dev2.py

``dev2.tsv`` (committed before any pattern was changed for issue 19's second round) was written
from ``shared/risk-rubric.md`` alone. A stratified fifth of it (per language, label and family;
fixed seed) becomes ``hold2.tsv`` with its sha256 in ``hold2.sha256``; the rest stays in
``dev2.tsv`` for tuning. Like ``sealed.tsv`` and ``check.tsv``, ``hold2.tsv`` is read only by
``bench/risk_eval.py`` and looked at in aggregate only, so its figures measure whether a pattern
change generalised. The script refuses to re-deal an existing hold-out.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
if str(_BENCH) not in sys.path:
    sys.path.insert(0, str(_BENCH))

from split_risk_data import read, stratified_split, write  # noqa: E402

ROOT = _BENCH / "risk_data"
DEV2, HOLD, CHECKSUM = ROOT / "dev2.tsv", ROOT / "hold2.tsv", ROOT / "hold2.sha256"
HOLD_SHARE = 0.2
SEED = 20261208


def main() -> int:
    if HOLD.exists():
        print(f"{HOLD} exists: the split is made once and never re-dealt", file=sys.stderr)
        return 1
    rows = read([str(DEV2)])
    tune, hold = stratified_split(rows, HOLD_SHARE, SEED)
    write(DEV2, tune)
    write(HOLD, hold)
    digest = hashlib.sha256(HOLD.read_bytes()).hexdigest()
    CHECKSUM.write_text(f"{digest}  hold2.tsv\n", encoding="utf-8")
    print(f"{len(rows)} texts: dev2 {len(tune)}, hold2 {len(hold)} (sha256 {digest[:16]}…)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
