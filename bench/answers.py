"""Candidate answers for the load benchmarks: two or three new sentences, about 40 words.

Built fresh for every turn: the interviewer caches per-sentence analysis (embeddings), so a
repeated text would measure the cache, not the work a real, new answer costs.
"""

from __future__ import annotations

import random

_SUBJECTS = (
    "I would",
    "We could",
    "My plan is to",
    "In my last job we decided to",
    "The simplest option is to",
)
_ACTIONS = (
    "shard the table by user id",
    "put a read-through cache in front of the database",
    "add a queue between the API and the workers",
    "replicate the data across two regions",
    "batch the writes and flush them every second",
    "measure the latency at the client before optimising",
    "keep the hot keys in memory and expire them after a minute",
    "split the service so that each team owns its deploys",
    "talk to the teammate one to one before the review",
    "use a hash map from value to index while scanning once",
)
_REASONS = (
    "because the traffic peaks at about {n} requests per second",
    "since roughly {n} users are active at the same time",
    "so that a failure costs us at most {n} seconds of writes",
    "which kept the p99 under {n} milliseconds when we tried it",
)


def answer() -> str:
    """Two or three sentences never seen before by the interviewer."""
    return " ".join(
        f"{random.choice(_SUBJECTS)} {random.choice(_ACTIONS)}, "
        f"{random.choice(_REASONS).format(n=random.randint(10, 99_999))}."
        for _ in range(random.randint(2, 3))
    )
