"""Speed and memory of workers/analysis: the numpy MiniLM and rubric coverage, in this process.

Measures, on 200 realistic candidate messages (~50 words, built from the answers the analysis
tests use, each one unique so no cache helps):

- model load time (tokenizer + safetensors + weight layout) and RSS after it;
- embedding time per message, as one sequence and split into sentences as `analyse()` does;
- `analyse()` per message (one turn) with the question's phrasings already embedded, and the
  one-off cost of embedding a question's phrasings;
- RSS once every system-design and behavioral question is warmed.

Prints a markdown table; writes nothing.

    .venv/bin/python -m bench.analysis                   # BLAS capped at 1 thread, as the workers run
    .venv/bin/python -m bench.analysis --blas-threads 2  # to compare
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from functools import partial

from bench.common import load_average, machine, percentile, rss_bytes
from models.bank import BANK_DIR, load_bank_file
from tests.workers.analysis import answers

MESSAGES = 200
SEED = 20261124


def _messages() -> list[str]:
    """Unique ~50-word messages: two or three sentences drawn from realistic answers."""
    from workers.analysis.text import sentences

    pool = sorted(
        {
            s
            for name in dir(answers)
            if name.endswith(("_STRONG", "_WEAK"))
            for text in getattr(answers, name)
            for s in sentences(text)
            if len(s.split()) >= 6
        }
    )
    rng = random.Random(SEED)
    out: set[str] = set()
    while len(out) < MESSAGES:
        picked = rng.sample(pool, 3)
        message = " ".join(picked)
        while len(message.split()) > 65:
            picked.pop()
            message = " ".join(picked)
        out.add(message)
    return sorted(out)


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _row(name: str, values: list[float], unit: str = "ms") -> str:
    return f"| {name} | {percentile(values, 50):.1f} {unit} | {percentile(values, 99):.1f} {unit} | {len(values)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--blas-threads", type=int, default=1, help="BLAS threads while measuring")
    args = parser.parse_args()
    me = [os.getpid()]
    rss_start = rss_bytes(me)
    start = time.perf_counter()
    from workers.analysis.embeddings import Embedder, get_embedder

    import_ms = (time.perf_counter() - start) * 1000
    load_ms = _timed(Embedder)  # a second, separate instance: the cold-load cost on its own
    embedder = get_embedder()
    rss_loaded = rss_bytes(me)
    from threadpoolctl import threadpool_limits

    threadpool_limits(args.blas_threads, user_api="blas")

    from workers.analysis.coverage import analyse, warm
    from workers.analysis.text import sentences

    messages = _messages()
    words = [len(m.split()) for m in messages]
    embedder._forward(["warm up the BLAS threads"])
    whole = [_timed(partial(embedder._forward, [m])) for m in messages]
    split = [_timed(partial(embedder._forward, sentences(m))) for m in messages]

    questions = {
        q.id: q
        for name in ("system_design.yaml", "behavioral.yaml")
        for q in load_bank_file(BANK_DIR / name).questions
    }
    index_ms = [_timed(partial(warm, [q])) for q in questions.values()]
    rss_warm = rss_bytes(me)
    url = questions["sd-url-shortener"]
    turns: list[float] = []
    for message in messages:
        embedder._cache.clear()  # a new turn: none of its sentences embedded yet
        turns.append(_timed(partial(analyse, url, [message])))
    cached = [_timed(partial(analyse, url, [m])) for m in messages[-50:]]  # still in the LRU

    mib = 1024 * 1024
    info = machine()
    print(f"Machine: {info.get('cpu', '?')}, {os.cpu_count()} cores, load average {load_average()}")
    print(f"BLAS threads: {args.blas_threads}")
    print(f"{MESSAGES} messages, {min(words)}-{max(words)} words (median {sorted(words)[len(words) // 2]})\n")
    print("| measure | p50 | p99 | n |")
    print("|---|---|---|---|")
    print(f"| import workers.analysis.embeddings | {import_ms:.0f} ms | | 1 |")
    print(f"| model load (Embedder()) | {load_ms:.0f} ms | | 1 |")
    print(_row("embed one message, one sequence", whole))
    print(_row("embed one message, split into sentences", split))
    print(_row("embed a question's phrasings (once per process)", index_ms))
    print(_row("analyse() one turn, phrasings warm", turns))
    print(_row("analyse() same turn again (embedding cached)", cached))
    print(
        f"| RSS before import / after load / all {len(questions)} questions warm | "
        f"{rss_start / mib:.0f} / {rss_loaded / mib:.0f} / {rss_warm / mib:.0f} MiB | | |"
    )


if __name__ == "__main__":
    main()
