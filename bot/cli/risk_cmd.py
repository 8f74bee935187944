"""`checkin risk`: what each reader makes of a text, and the level the service would give it.

The patterns (``flows.risk``) are what a turn applies at once; the semantic reader
(``bot/screening``) is what the background job applies seconds later, under ``flows.semantic``'s
rule (it can raise a text below concern to concern, never to urgent, never lower anything).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from flows.levels import Level
from flows.risk import Assessment, assess
from flows.semantic import combine, semantic_level, worth_reading


def fail(message: str, code: int = 2) -> NoReturn:
    # bot.cli.common's, without importing the database layer it brings.
    typer.secho(message, err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


# Texts embedded per call in --file mode: large enough to keep every core busy, small enough
# that lines come out steadily.
FILE_BATCH = 256


class _Semantic:
    """The reader for this command, loaded on first use with every core; None when off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.error: str | None = None
        self._reader: object | None = None

    def scores(self, texts: list[str]) -> list[float] | None:
        if not self.enabled or self.error is not None:
            return None
        if self._reader is None:
            # Imported when first asked, for start-up time: the model's code loads only if used.
            from bot.screening.backend import BackendUnavailable
            from bot.screening.head import HeadError
            from bot.screening.reader import open_reader
            from bot.settings import get_settings

            # The C engine's threads wait for each other at every layer; spinning there is
            # wasted on a machine other work shares (measured: 2 spinning threads under load ran
            # several times slower than 1). Sleeping waits cost ~nothing at these batch sizes.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            try:
                self._reader = open_reader(get_settings().semantic_backend, threads=None)
            except (BackendUnavailable, HeadError) as exc:
                self.error = str(exc)
                typer.secho(f"semantic reader unavailable, patterns only: {exc}", err=True,
                            fg=typer.colors.YELLOW)
                return None
        if not texts:
            return []
        return [float(s) for s in self._reader.scores(texts)]  # type: ignore[attr-defined]

    def scores_of(self, texts: list[str]) -> dict[str, float] | None:
        """``scores`` keyed by text (None when the reader is off or could not load)."""
        scores = self.scores(texts)
        return None if scores is None else dict(zip(texts, scores, strict=True))

    @property
    def threshold(self) -> float | None:
        return self._reader.threshold if self._reader is not None else None  # type: ignore[attr-defined]


def _row(text: str, found: Assessment, score: float | None, threshold: float | None,
         *, read: bool) -> dict[str, object]:
    used = score if read else None
    limit = threshold if threshold is not None else 1.0
    return {
        "text": text,
        "level": combine(found.level, used, limit).value,
        "pattern_level": found.level.value,
        "semantic_level": semantic_level(score, limit).value,
        "semantic_score": None if score is None else round(score, 4),
        "semantic_threshold": None if threshold is None else round(threshold, 4),
        "categories": list(found.categories),
        "evidence": list(found.evidence),
    }


def _lines(file: Path) -> list[str]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    header = lines[0].split("\t") if lines else []
    if "text" in header:
        col = header.index("text")
        lines = [row.split("\t")[col] for row in lines[1:] if len(row.split("\t")) > col]
    return lines


def _screen_many(lines: list[str], language: str, semantic: _Semantic) -> Iterator[dict]:
    """Patterns on every line; the semantic reader, in batches, on the lines worth reading (as
    the service does: 3 words or more, patterns below concern). A repeated line is screened
    and embedded once.

    The embedding runs on a thread of its own while this one goes on with the patterns of the
    next lines: the model spends its time in numpy, which lets go of the interpreter, so on a
    2-core machine the patterns (pure Python) and the model use both cores at once. Lines come
    out in their order, each as soon as its scores are in."""
    embedded: dict[str, Future[dict[str, float] | None]] = {}
    # The patterns are a pure function of the text: a repeated line is screened once too.
    assessed: dict[str, Assessment] = {}
    waiting: deque[tuple[list[str], list[Assessment]]] = deque()
    with ThreadPoolExecutor(1, thread_name_prefix="risk-embed") as pool:
        if semantic.enabled:  # the model loads while the first patterns run
            pool.submit(semantic.scores_of, [])

        def ready(chunk: list[str], found: list[Assessment]) -> Iterator[dict]:
            for text, one in zip(chunk, found, strict=True):
                score = None
                if worth_reading(text, one.level) and text in embedded:
                    scores = embedded[text].result()
                    score = scores.get(text) if scores is not None else None
                yield _row(text, one, score, semantic.threshold, read=score is not None)

        for start in range(0, len(lines), FILE_BATCH):
            chunk = lines[start:start + FILE_BATCH]
            found = [assessed.get(text) or assessed.setdefault(text, assess(text, language))
                     for text in chunk]  # once a distinct line: _row reuses it
            wanted = sorted({t for t, one in zip(chunk, found, strict=True)
                             if worth_reading(t, one.level) and t not in embedded})
            if wanted and semantic.enabled:
                job = pool.submit(semantic.scores_of, wanted)
                embedded.update(dict.fromkeys(wanted, job))
            waiting.append((chunk, found))
            # Print what is done so far, in order, without waiting on the model.
            while waiting and all(embedded[t].done() for t in waiting[0][0] if t in embedded):
                yield from ready(*waiting.popleft())
        while waiting:
            yield from ready(*waiting.popleft())


def risk(
    text: Annotated[str | None, typer.Argument(help="The text to screen.")] = None,
    file: Annotated[Path | None, typer.Option(
        help="One text per line, or a TSV with a 'text' column; prints one JSON object per "
             "line, and a summary on standard error.")] = None,
    lang: Annotated[str, typer.Option(help="en or es")] = "en",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    patterns_only: Annotated[bool, typer.Option(
        "--patterns-only", help="Skip the semantic reader (no model is loaded).")] = False,
) -> None:
    """Screen text for crisis and risk language with both readers (patterns and semantic).

    The level is what the service gives the text: the patterns' level, raised to concern when
    it was below concern and the semantic score reaches its threshold (only for texts of 3
    words or more). A single TEXT always shows its semantic score; --file scores only the texts
    the service would (3 words or more, patterns below concern)."""
    if (text is None) == (file is None):
        fail("give either TEXT or --file FILE")
    semantic = _Semantic(enabled=not patterns_only)
    if file is not None:
        lines = _lines(file)
        t0 = time.perf_counter()
        counts: Counter[str] = Counter()
        raised = read = 0
        for row in _screen_many(lines, lang, semantic):
            counts[str(row["level"])] += 1
            read += row["semantic_score"] is not None
            raised += row["level"] != row["pattern_level"]
            typer.echo(json.dumps(row, ensure_ascii=False))
        seconds = time.perf_counter() - t0
        summary = {"texts": len(lines), "levels": dict(sorted(counts.items())),
                   "semantic_read": read, "raised_by_semantic": raised,
                   "semantic": "off" if patterns_only else (semantic.error or "on"),
                   "seconds": round(seconds, 2),
                   "texts_per_second": round(len(lines) / seconds, 1) if seconds else None}
        print(json.dumps({"summary": summary}), file=sys.stderr)
        return
    assert text is not None
    found = assess(text, lang)
    scores = semantic.scores([text]) if text.strip() else None
    score = scores[0] if scores else None
    row = _row(text, found, score, semantic.threshold, read=worth_reading(text, found.level))
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    cats = ", ".join(row["categories"]) or "-"  # type: ignore[arg-type]
    if score is None:
        semantic_part = "off" if patterns_only else f"unavailable ({semantic.error})"
    else:
        semantic_part = (f"{row['semantic_level']} (score {score:.2f}, threshold "
                         f"{row['semantic_threshold']})")
    if row["level"] == Level.NONE.value or row["level"] == row["pattern_level"]:
        note = ""
    else:
        note = "  (raised by the semantic reader)"
    typer.echo(f"{row['level']}\t{cats}\tpatterns: {row['pattern_level']}\t"
               f"semantic: {semantic_part}{note}")
