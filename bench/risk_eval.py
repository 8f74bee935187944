"""Evaluate flows.risk.assess against the labelled table tests/flows/risk_cases.tsv.

    .venv/bin/python bench/risk_eval.py [--split tune|holdout|all]

Prints a table per split, the misclassified rows, and as its LAST line one JSON object with the
figures.  Definitions:
- urgent_recall: urgent rows assessed urgent.
- concern_recall: concern rows assessed concern or higher.
- watch_recall: watch rows assessed watch or higher.
- none_fpr: none rows assessed anything but none.
The `tune` split was used to write the patterns; the `holdout` split was written first and is
never used to change them, so its figures estimate how the screen does on unseen phrasing.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from flows.levels import Level  # noqa: E402
from flows.risk import assess  # noqa: E402

CASES_PATH = _ROOT / "tests" / "flows" / "risk_cases.tsv"
SPLITS = ("tune", "holdout")
TARGETS = {"urgent_recall": 0.95, "concern_recall": 0.90, "none_fpr": 0.05}


@dataclass(frozen=True)
class Case:
    split: str
    language: str
    label: Level
    category: str  # expected category, "-" for none
    text: str


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Case(r["split"], r["language"], Level(r["label"]), r["category"], r["text"])
            for r in reader
        ]


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def is_miss(case: Case, level: Level) -> bool:
    """Whether an assessed level counts against the figures for this case."""
    if case.label is Level.NONE:
        return level is not Level.NONE
    return level < case.label


def evaluate(cases: Iterable[Case]) -> dict[str, Any]:
    """Figures for a set of cases, plus the rows whose level differs from the label."""
    counts = {lv: 0 for lv in Level}
    recalled = {lv: 0 for lv in Level}
    wrong: list[dict[str, str]] = []
    n = 0
    for case in cases:
        n += 1
        result = assess(case.text, case.language)
        counts[case.label] += 1
        if not is_miss(case, result.level):
            recalled[case.label] += 1
        if result.level is not case.label:
            wrong.append(
                {
                    "kind": "miss" if is_miss(case, result.level) else "over",
                    "language": case.language,
                    "label": case.label.value,
                    "got": result.level.value,
                    "categories": ",".join(result.categories) or "-",
                    "text": case.text,
                }
            )
    return {
        "urgent_recall": _ratio(recalled[Level.URGENT], counts[Level.URGENT]),
        "concern_recall": _ratio(recalled[Level.CONCERN], counts[Level.CONCERN]),
        "watch_recall": _ratio(recalled[Level.WATCH], counts[Level.WATCH]),
        "none_fpr": _ratio(counts[Level.NONE] - recalled[Level.NONE], counts[Level.NONE]),
        "n": n,
        "counts": {lv.value: counts[lv] for lv in Level},
        "wrong": wrong,
    }


def _meets(name: str, value: float) -> str:
    target = TARGETS.get(name)
    if target is None:
        return ""
    ok = value <= target if name == "none_fpr" else value >= target
    return f"{'ok ' if ok else 'LOW'} (target {'<=' if name == 'none_fpr' else '>='} {target})"


def _print_split(split: str, figures: dict[str, Any]) -> None:
    counts = figures["counts"]
    print(f"\n== {split}: {figures['n']} rows  " + "  ".join(f"{k}={v}" for k, v in counts.items()))
    for name in ("urgent_recall", "concern_recall", "watch_recall", "none_fpr"):
        print(f"  {name:<15} {figures[name]:>6.3f}  {_meets(name, figures[name])}")
    wrong = figures["wrong"]
    if wrong:
        print(f"  level differs from label ({len(wrong)}; 'over' = escalated above the label):")
        for w in wrong:
            print(
                f"    {w['kind']:<4} {w['language']} {w['label']:>7} -> {w['got']:<7} "
                f"[{w['categories']}] {w['text']}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    args = parser.parse_args(argv)
    cases = load_cases()
    splits = SPLITS if args.split == "all" else (args.split,)
    summary: dict[str, Any] = {}
    for split in splits:
        figures = evaluate(c for c in cases if c.split == split)
        _print_split(split, figures)
        summary[split] = {
            k: figures[k]
            for k in ("urgent_recall", "concern_recall", "watch_recall", "none_fpr", "n")
        }
    summary["targets"] = TARGETS
    print()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
