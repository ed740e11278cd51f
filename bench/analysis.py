"""Speed and memory of workers/analysis: the MiniLM encoder (OpenVINO) and rubric coverage, in this process.

Measures, on 200 realistic candidate messages (~50 words, built from the answers the analysis
tests use, each one unique so no cache helps):

- model load time (tokenizer + safetensors + ONNX graph + session) and RSS after it;
- embedding time per message, as one sequence and split into sentences as `analyse()` does;
- `analyse()` per message (one turn) with the question's phrasings already embedded, and the
  one-off cost of embedding a question's phrasings;
- RSS once every system-design and behavioral question is warmed.

Prints a markdown table; writes nothing.

    .venv/bin/python -m bench.analysis               # the model on 1 thread, as the workers run it
    .venv/bin/python -m bench.analysis --threads 2   # to compare
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from bench.common import load_average, machine, percentile
from models.bank import BANK_DIR, load_bank_file
from tests.scale.processes import rss_bytes
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


Timing = tuple[list[float], list[float]]  # wall ms, CPU ms of this process


def _measure(calls: Iterable[Callable[[], object]]) -> Timing:
    """Wall and CPU time of each call. With the model on one thread, CPU time is what the call costs on
    an idle core: the honest figure when other work shares the machine."""
    wall: list[float] = []
    cpu: list[float] = []
    for call in calls:
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _row(name: str, timing: Timing) -> str:
    wall, cpu = timing
    return (
        f"| {name} | {percentile(wall, 50):.1f} | {percentile(wall, 99):.1f} | "
        f"{percentile(cpu, 50):.1f} | {percentile(cpu, 99):.1f} | {len(wall)} |"
    )


def _turns(
    embedder: Any, analyse: Callable[..., object], question: Any, messages: list[str]
) -> Iterator[Callable[[], object]]:
    for message in messages:
        embedder._cache.clear()  # a new turn: none of its sentences embedded yet
        yield partial(analyse, question, [message])


def _again(
    analyse: Callable[..., object], question: Any, messages: list[str]
) -> Iterator[Callable[[], object]]:
    for message in messages:
        analyse(question, [message])  # untimed: embeds the sentences into the LRU
        yield partial(analyse, question, [message])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--threads", type=int, default=1, help="CPU threads per forward pass (encoder_threads)"
    )
    args = parser.parse_args()
    me = [os.getpid()]
    rss_start = rss_bytes(me)
    start = time.perf_counter()
    from workers.analysis.embeddings import Embedder, get_embedder

    import_ms = (time.perf_counter() - start) * 1000
    load = _measure([Embedder])  # a separate instance: the cold-load cost on its own
    embedder = get_embedder() if args.threads == 1 else Embedder(threads=args.threads)
    rss_loaded = rss_bytes(me)
    from workers.analysis.coverage import analyse, warm
    from workers.analysis.text import sentences

    messages = _messages()
    words = sorted(len(m.split()) for m in messages)
    embedder._forward(["warm up"])
    whole = _measure(partial(embedder._forward, [m]) for m in messages)
    split = _measure(partial(embedder._forward, sentences(m)) for m in messages)
    questions = {
        q.id: q
        for name in ("system_design.yaml", "behavioral.yaml")
        for q in load_bank_file(BANK_DIR / name).questions
    }
    index = _measure(partial(warm, [q]) for q in questions.values())
    rss_warm = rss_bytes(me)
    url = questions["sd-url-shortener"]
    turns = _measure(_turns(embedder, analyse, url, messages))
    cached = _measure(_again(analyse, url, messages[:50]))

    mib = 1024 * 1024
    print(f"Machine: {machine().get('cpu', '?')}, {os.cpu_count()} cores, load average {load_average()}")
    print(
        f"encoder threads: {args.threads}, precision: {embedder.precision}; {MESSAGES} messages of {words[0]}-{words[-1]} words (median {words[len(words) // 2]})\n"
    )
    print("| measure | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms | n |")
    print("|---|---|---|---|---|---|")
    print(f"| import workers.analysis.embeddings | {import_ms:.0f} | | | | 1 |")
    print(_row("model load (Embedder())", load))
    print(_row("embed one message, one sequence", whole))
    print(_row("embed one message, split into sentences", split))
    print(_row("embed a question's phrasings (once per process)", index))
    print(_row("analyse() one turn, phrasings warm", turns))
    print(_row("analyse() same turn again (embedding cached)", cached))
    print(
        f"| RSS before import / after load / all {len(questions)} questions warm | "
        f"{rss_start / mib:.0f} / {rss_loaded / mib:.0f} / {rss_warm / mib:.0f} MiB | | | | |"
    )


if __name__ == "__main__":
    main()
