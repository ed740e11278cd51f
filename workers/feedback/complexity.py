"""Efficiency from a scaling run: how the candidate's time grows compared with the reference's.

The driver times the bank's reference solution and the candidate's on the same growing inputs, in
the same container, interleaved. Machines add their own super-linear effects (caches, allocation,
garbage collection): measured alone, a linear Python solution grows like n^1.1-1.4 here and a
quadratic one like n^2.1, too close to judge. Both curves carry the machine's effects, so the
log-log slope of candidate/reference isolates the difference in complexity: about 0 for the same
class (measured |slope| <= 0.12 for every bank solution against itself), about 1 for an extra
factor of n. The ratio at the largest size catches a same-class solution with a large constant
(the bank's generators are built so that a per-position rescan costs ~100x).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from workers.feedback.harness import DriverOutput

MIN_TIME_S = 20e-6  # below this a CPU-time reading is mostly clock resolution
SAME_CLASS = 0.3  # relative exponent up to which the growth matches the reference
WORSE_CLASS = 0.8  # from here on it is (at least) a factor of n worse
SLOW_RATIO = 4.0  # candidate/reference time at the largest size still fine...
VERY_SLOW_RATIO = 40.0  # ...and where the constant-factor penalty is full


@dataclass(frozen=True)
class Growth:
    points: list[tuple[int, float, float]]  # (n, candidate seconds, reference seconds)
    relative_exponent: float | None  # slope of log(candidate / reference) against log(n)
    ratio: float | None  # candidate / reference at the largest measured size
    unfinished: int | None = None  # the size the run was killed in (its deadline)
    skipped: list[int] = field(default_factory=list)  # sizes left out to stay within the budget
    error: str | None = None  # the candidate's code raised on a scaling input


def expected_exponent(complexity: str) -> float:
    """The power of n in the bank's time complexity ("O(n log n)" -> 1, "O(n^2)" -> 2)."""
    text = complexity.lower().replace("²", "^2").replace("³", "^3").replace("**", "^")
    if re.search(r"\b2\s*\^\s*n\b", text):
        return math.inf
    powers = [float(p) for p in re.findall(r"\bn\s*\^\s*(\d+(?:\.\d+)?)", text)]
    powers += [2.0 for _ in re.findall(r"\bn\s*\*\s*n\b", text)]
    return max(powers, default=1.0)


def measure(output: DriverOutput, verdict_status: str, sizes: list[int]) -> Growth:
    """The driver's reports for `sizes`; a run killed at its deadline leaves one size unfinished."""
    points: list[tuple[int, float, float]] = []
    skipped: list[int] = []
    error: str | None = None
    for item in output.sizes:
        n = int(item["n"])
        if "skipped" in item:
            skipped.append(n)
        elif "error" in item:
            error = str(item["error"])
        elif isinstance(item.get("t"), int | float) and isinstance(item.get("ref"), int | float):
            points.append((n, float(item["t"]), float(item["ref"])))
    unfinished = None
    if verdict_status == "timeout" and not output.done and error is None:
        reported = {p[0] for p in points} | set(skipped)
        unfinished = next((n for n in sizes if n not in reported), None)
    return Growth(points, _relative_slope(points), _ratio(points), unfinished, skipped, error)


def _relative_slope(points: list[tuple[int, float, float]]) -> float | None:
    usable = [(n, t / r) for n, t, r in points if t >= MIN_TIME_S and r >= MIN_TIME_S]
    if len(usable) < 2:
        usable = [(n, t / r) for n, t, r in points if t > 0 and r > 0]
    if len(usable) < 2:
        return None
    xs = [math.log(n) for n, _ in usable]
    ys = [math.log(v) for _, v in usable]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def _ratio(points: list[tuple[int, float, float]]) -> float | None:
    if not points:
        return None
    _, t, r = max(points)
    return t / max(r, MIN_TIME_S / 4)


def score(growth: Growth) -> int | None:
    """100 for the reference's class and speed, ~10 for a factor of n worse; None: nothing measured."""
    if growth.relative_exponent is None and growth.unfinished is None:
        if growth.ratio is None or growth.ratio < VERY_SLOW_RATIO:
            return None  # one size only, and not conclusively slow
        return 10
    exponent = growth.relative_exponent if growth.relative_exponent is not None else WORSE_CLASS
    if growth.unfinished is not None:
        exponent = max(exponent, (SAME_CLASS + WORSE_CLASS) / 2)
    class_part = 1.0 - 0.9 * _clip((exponent - SAME_CLASS) / (WORSE_CLASS - SAME_CLASS))
    constant_part = 1.0
    if growth.ratio is not None and growth.ratio > SLOW_RATIO:
        constant_part = 1.0 - 0.6 * _clip(
            math.log(growth.ratio / SLOW_RATIO) / math.log(VERY_SLOW_RATIO / SLOW_RATIO)
        )
    return round(100 * class_part * constant_part)


def describe(growth: Growth, expected: str) -> str:
    """One line of evidence: the sizes, both times, and what the growth says."""
    shown = growth.points[-3:]
    times = ", ".join(f"n={n:,}: {_ms(t)} (reference {_ms(r)})" for n, t, r in shown)
    parts = [f"Measured {times}." if times else "No input size finished."]
    if growth.relative_exponent is not None:
        if growth.relative_exponent <= SAME_CLASS:
            parts.append(f"Your time grows like the reference's {expected}.")
        else:
            power = expected_exponent(expected)
            ours = f"n^{power + growth.relative_exponent:.1f}" if math.isfinite(power) else "faster"
            parts.append(f"Your time grows like {ours}, the reference's like {expected}.")
    if growth.ratio is not None and growth.ratio > SLOW_RATIO:
        parts.append(f"At the largest size it is {growth.ratio:.0f}x slower than the reference.")
    if growth.unfinished is not None:
        parts.append(f"n={growth.unfinished:,} did not finish within the time limit.")
    return " ".join(parts)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds:.2f} s"


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
