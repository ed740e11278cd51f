"""Judging a hidden-test run: each case's JSON result against the bank's expected value.

Comparison happens here, once for every language: `exact` (booleans are not numbers, 2 == 2.0 as
JSON cannot tell them apart), `unordered` (the returned list's order is free: both sides are
sorted by the JSON text of their elements) and `float` (numbers within 1e-6, relative or absolute).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from models.bank import CodingSpec
from workers.feedback.harness import DriverOutput

FLOAT_TOLERANCE = 1e-6
_ERROR_LINE = re.compile(r"(?:^|\s)(\w*(?:Error|Exception)\b.*|✘ \[ERROR\].*)$")


@dataclass(frozen=True)
class CaseResult:
    index: int
    passed: bool
    call: str  # "two_sum([3, 3], 6)"
    expected: str
    actual: str | None  # the JSON the code returned, None when it raised or never ran
    error: str | None
    note: str = ""


@dataclass(frozen=True)
class HiddenResults:
    total: int
    cases: list[CaseResult] = field(default_factory=list)
    problem: str | None = None  # why no case ran (does not compile, no such function, ...)

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def first_failure(self) -> CaseResult | None:
        return next((c for c in self.cases if not c.passed), None)


def judge(spec: CodingSpec, output: DriverOutput, status: str, stderr: str) -> HiddenResults:
    """The run's verdict `status` and `stderr` explain a run that reported no case at all."""
    cases: list[CaseResult] = []
    for index, test in enumerate(spec.tests):
        call = f"{spec.function_name}({', '.join(_short(a) for a in test.args)})"
        expected = _short(test.expected)
        reported = output.cases.get(index)
        if reported is None:
            error = "did not run: the time limit was reached" if status == "timeout" else "did not run"
            cases.append(CaseResult(index, False, call, expected, None, error, test.note))
        elif "error" in reported:
            cases.append(CaseResult(index, False, call, expected, None, str(reported["error"]), test.note))
        else:
            actual = str(reported.get("out", "null"))
            passed = not reported.get("truncated") and _matches(spec.compare, actual, test.expected)
            cases.append(CaseResult(index, passed, call, expected, _clip(actual), None, test.note))
    problem = output.load_error
    if problem is None and not output.cases:
        problem = _run_problem(status, stderr)
    return HiddenResults(len(spec.tests), cases, problem)


def _run_problem(status: str, stderr: str) -> str:
    if status == "timeout":
        return "the program did not finish within the time limit"
    if status in ("memory_limit", "output_limit"):
        return f"the program stopped at the {status.replace('_', ' ')}"
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    found = [m.group(1) for line in lines if (m := _ERROR_LINE.search(line))]
    where = next((m.group(1) for line in lines if (m := re.search(r"main\.[jt]s:(\d+)", line))), None)
    detail = (found[0] if found else lines[-1] if lines else "it did not run")[:200]
    if where is not None:
        detail += f" (line {max(1, int(where) - 1)})"
    return f"the code does not run: {detail}"


def _matches(mode: str, actual_json: str, expected: Any) -> bool:
    try:
        actual = json.loads(actual_json)
    except ValueError:
        return False
    if mode == "unordered" and isinstance(actual, list) and isinstance(expected, list):
        actual, expected = _sorted(actual), _sorted(expected)
    return _equal(actual, expected, mode == "float")


def _sorted(values: list[Any]) -> list[Any]:
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True))


def _equal(a: Any, b: Any, tolerant: bool) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if tolerant:
            return abs(a - b) <= FLOAT_TOLERANCE * max(1.0, abs(b))
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y, tolerant) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k], tolerant) for k in a)
    return bool(a == b)


def _short(value: Any, limit: int = 80) -> str:
    return _clip(json.dumps(value, separators=(", ", ": ")), limit)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
