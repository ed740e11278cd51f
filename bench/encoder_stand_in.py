"""Diagnosis only: the interviewer pool with a cheaper sentence encoder, so that
`bench/chat_latency.py --encoder none|half` measures what the model costs the reply.

- `none`: the forward pass is replaced by a constant-time stand-in (one-hot vectors by a hash of the
  text): the pipeline without the model;
- `half`: the real forward pass over the first half of each sentence's tokens, about half its cost
  (roughly the best int8 weights could give on this CPU).

Replies are still decided and written through the same code; what the interviewer makes of an
answer's meaning is not meaningful here. The mode comes from `REHEARSE_BENCH_ENCODER`.

    REHEARSE_BENCH_ENCODER=none .venv/bin/python -m bench.encoder_stand_in workers.interviewer.tasks ...
"""

from __future__ import annotations

import hashlib
import os
import sys

import dramatiq.cli
import numpy as np

from workers.analysis import embeddings

_real_pooled = embeddings.Embedder._pooled


def _none(_self: embeddings.Embedder, texts: list[str]) -> embeddings.F32:
    vectors = np.zeros((len(texts), embeddings.DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        vectors[
            row, int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest()) % embeddings.DIM
        ] = 1
    return vectors


def _half(self: embeddings.Embedder, ids: list[list[int]]) -> embeddings.F32:
    return _real_pooled(self, [seq[: max(2, len(seq) // 2)] for seq in ids])


MODE = os.environ.get("REHEARSE_BENCH_ENCODER", "none")
if MODE == "none":
    embeddings.Embedder._forward = _none  # type: ignore[method-assign]
elif MODE == "half":
    embeddings.Embedder._pooled = _half  # type: ignore[method-assign]
else:
    raise SystemExit(f"REHEARSE_BENCH_ENCODER must be none or half, not {MODE!r}")

if __name__ == "__main__":  # the worker processes are forked from this one and inherit the patch
    sys.exit(dramatiq.cli.main())
