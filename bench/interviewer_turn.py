"""Built-in interviewer turn compute time: `engine.decide` on realistic answers, the model loaded once.

Measures what a worker spends deciding a reply (analysis + move), excluding the database and the
queue, for every domain's bank; the end-to-end first-event latency through the whole pipeline is
`bench/chat_latency.py`'s figure. Writes the `Interviewer turn` section of docs/benchmarks.md.

    .venv/bin/python -m bench.interviewer_turn [--turns 300]
"""

from __future__ import annotations

import argparse
import resource
import time

from bench.common import machine, now_utc, percentile, write_section
from models.bank import questions_of
from workers.analysis import coverage
from workers.analysis.embeddings import get_embedder
from workers.interviewer import engine
from workers.interviewer.context import TurnContext
from workers.interviewer.state import InterviewState

ANSWERS = {
    "system_design": [
        "I'd start with the requirements: what are the core features, and how many users do we expect per day?",
        "Let's say a hundred million requests a day, read heavy, so roughly 1,200 reads per second at peak.",
        "The API would be a POST to create and a GET by id; the data model is a table keyed by id.",
        "A load balancer in front of stateless app servers, a cache in front of the database, sharded by key.",
        "Ok.",
        "For the deep dive, I'd replicate the database and use consistent hashing for the cache tier.",
    ],
    "coding": [
        "Can the input be empty, and are there duplicates?",
        "The brute force is two nested loops, but a hash map gives us linear time.",
        "I'll walk through the example and test with negative numbers and an empty list.",
        "It's O(n) time and O(n) space for the map.",
        "hint",
    ],
    "behavioral": [
        "At my last job we disagreed about the architecture of our billing service; the release was blocked.",
        "I set up a one on one and asked them to walk me through their reasoning, then I wrote up the pros and cons.",
        "We shipped two weeks later and cut the error rate by 40 percent.",
        "Looking back I would have talked to them earlier.",
        "repeat",
    ],
}


def measure(turns: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for domain, answers in ANSWERS.items():
        questions = questions_of(domain)
        coverage.warm(questions)  # a worker embeds each question's phrasings once
        samples: list[float] = []
        for index in range(turns):
            question = questions[index % len(questions)]
            state = InterviewState()
            ctx = TurnContext(domain, question.level, question, state, "open", 0.0, 2700.0)
            engine.decide(ctx)
            # A fresh sentence each time defeats the embedding cache, as real answers do.
            answer = answers[index % len(answers)]
            text = f"In case {index}, {answer[0].lower()}{answer[1:]}"
            ctx = TurnContext(
                domain, question.level, question, state, "message", 60.0 * (1 + index % 40), 2700.0, text
            )
            started = time.perf_counter()
            engine.decide(ctx)
            samples.append((time.perf_counter() - started) * 1000)
        timings[domain] = samples
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    args = parser.parse_args()
    started = time.perf_counter()
    get_embedder().encode(["warm up"])
    load_ms = (time.perf_counter() - started) * 1000
    timings = measure(args.turns)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        f"| {domain} | {len(samples)} | {percentile(samples, 50):.1f} | {percentile(samples, 99):.1f} |"
        for domain, samples in timings.items()
    ]
    info = machine()
    body = "\n".join(
        [
            f"Measured {now_utc()} on {info['cpus']} x {info['cpu']}, {info['memory']}, Python {info['python']}.",
            f"Model load (tokenizer + weights, once per worker process): {load_ms:.0f} ms; peak RSS {rss_mib:.0f} MiB.",
            "",
            "| domain | turns | decide p50 (ms) | decide p99 (ms) |",
            "|---|---|---|---|",
            *rows,
            "",
            "`engine.decide` = analysing the answer against the rubric (lexical + one MiniLM forward pass on",
            "OpenVINO, bf16 where the CPU has it) and choosing the move; database, queue and stream are excluded (see Chat latency).",
        ]
    )
    print(body)
    write_section("Interviewer turn (bench/interviewer_turn.py)", body)


if __name__ == "__main__":
    main()
