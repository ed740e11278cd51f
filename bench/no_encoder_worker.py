"""Diagnosis only: the interviewer pool with the encoder's forward pass replaced by a constant-time
stand-in, so that `bench/chat_latency.py --no-encoder` measures the pipeline without the model.

Replies are still decided and written through the same code; only the vectors are fake (one-hot by
a hash of the text), so what the interviewer makes of an answer's meaning is not meaningful here.

    .venv/bin/python -m bench.no_encoder_worker workers.interviewer.tasks --queues interviewer ...
"""

from __future__ import annotations

import hashlib
import sys

import dramatiq.cli
import numpy as np

from workers.analysis import embeddings


def _stand_in(_self: embeddings.Embedder, texts: list[str]) -> embeddings.F32:
    vectors = np.zeros((len(texts), embeddings.DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        vectors[
            row, int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest()) % embeddings.DIM
        ] = 1
    return vectors


embeddings.Embedder._forward = _stand_in  # type: ignore[method-assign]

if __name__ == "__main__":  # the worker processes are forked from this one and inherit the patch
    sys.exit(dramatiq.cli.main())
