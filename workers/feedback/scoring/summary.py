"""From dimensions to the headline: overall score, verdict band, strengths and improvements.

Overall is the weighted mean of the dimensions, "not enough evidence" counting 0, minus 3 points per
hint (at most 10). The verdict band depends on the level: the bars rise by 5 points from mid to
senior and again to staff. Strengths are only claimed where a dimension scored 70 or more, with its
evidence; an empty session has none. Improvements take the weakest dimensions, each with one
concrete next step naming what was missed.
"""

from __future__ import annotations

from models.report import Dimension, Improvement, Strength, Verdict
from workers.feedback.scoring.common import clip, weighted

HINT_PENALTY = 3
MAX_HINT_PENALTY = 10
# The lowest overall score of each band at mid level, best band first.
BANDS: tuple[tuple[int, Verdict], ...] = ((80, "strong_hire"), (65, "hire"), (45, "lean_no_hire"))
LEVEL_OFFSET = {"mid": 0, "senior": 5, "staff": 10}
STRENGTH_FROM = 70
IMPROVE_BELOW = 65
MAX_ITEMS = 3

NEXT_STEPS = {
    # system design
    "requirements": "Open with 3-5 functional requirements and the non-functional ones that shape the design "
    "(latency, availability, read/write ratio), and confirm them before drawing anything.",
    "estimates": "Do a one-minute back-of-the-envelope pass: requests per second, storage over a few years, "
    "and the read/write ratio, then say which number drives the design.",
    "api": "Write down the 2-3 core endpoints with their inputs, outputs and status codes before the boxes.",
    "data_model": "Name the main entities, their key fields and the lookup key, and justify the store you pick.",
    "architecture": "Draw every request's path end to end (client, load balancer, services, cache, storage) "
    "with labelled arrows, and connect every box you draw.",
    "scaling": "Pick the hardest part of this design and go deep: partitioning, caching, replication and "
    "what happens when a node fails.",
    "trade_offs": "Close by naming the biggest bottleneck, a single point of failure and one trade-off you made, "
    "with what you would do next.",
    # coding
    "correctness": "Before you say you're done, run the examples plus the edge cases (empty, duplicates, "
    "negatives, the smallest input) against your function.",
    "efficiency": "State the brute-force cost, then look for the data structure (hash map, heap, two pointers, "
    "prefix sums) that removes the inner loop, and check the result on a large input.",
    "communication": "Spend the first minutes asking about the input (size, duplicates, edge cases) and explain "
    "your approach and its cost before writing code.",
    "verification": "After coding, walk through one example by hand, list 3 edge cases and test them, "
    "and state the time and space complexity out loud.",
    "code_quality": "Keep the solution in one clear function with descriptive names, shallow nesting and no "
    "leftover placeholders.",
    # behavioral
    "star": "Structure each story as situation, task, action, result: one or two sentences of context, "
    "then most of the time on what you did, and finish with the outcome.",
    "specificity": "Prepare numbers for each story (size, time, impact) and say “I” for what you did yourself.",
    "reflection": "End every story with what you learned and what you now do differently because of it.",
    "relevance": "Answer the question that was asked: pick a story that fits it, and say in the first sentence "
    "why it fits.",
}


def overall(dimensions: list[Dimension], hints_used: int) -> int:
    base = weighted(dimensions) or 0
    return max(0, base - min(MAX_HINT_PENALTY, HINT_PENALTY * hints_used))


def verdict(score: int, level: str | None) -> Verdict:
    offset = LEVEL_OFFSET.get(level or "senior", 5)
    return next((band for floor, band in BANDS if score >= floor + offset), "no_hire")


def strengths(dimensions: list[Dimension]) -> list[Strength]:
    good = [d for d in dimensions if d.score is not None and d.score >= STRENGTH_FROM and d.evidence]
    good.sort(key=lambda d: (-(d.score or 0), -d.weight, d.key))
    return [
        Strength(text=clip(f"{d.name}: {d.note}", 400), evidence=d.evidence[:2]) for d in good[:MAX_ITEMS]
    ]


def improvements(dimensions: list[Dimension], missed: dict[str, list[str]]) -> list[Improvement]:
    weak = [d for d in dimensions if d.weight > 0 and (d.score is None or d.score < IMPROVE_BELOW)]
    weak.sort(key=lambda d: (d.score or 0, -d.weight, d.key))  # no evidence ranks with a zero
    return [
        Improvement(
            text=clip(f"{d.name}: {d.note}", 400),
            next_step=_next_step(d, missed.get(d.key, [])),
            evidence=d.evidence[:2],
        )
        for d in weak[:MAX_ITEMS]
    ]


def _next_step(dimension: Dimension, missed: list[str]) -> str:
    step = NEXT_STEPS.get(dimension.key, "Practise this part of the interview with a timer.")
    if missed:
        step += " Here that means covering: " + "; ".join(missed[:3]) + "."
    return clip(step, 500)
