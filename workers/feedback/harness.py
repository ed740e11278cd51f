"""The programs the scorer sends to the execution pool: the candidate's code plus a driver.

A driver reads its cases from stdin (all of it, before the candidate's code runs, so a solution that
reads input gets none), silences the candidate's own printing (its output would eat the 64 KiB cap
and could forge results), calls the function with positional JSON arguments and writes one marked
JSON line per case as it goes, so a run killed at its deadline still reports what finished. The
marker carries a nonce, and the Python driver deletes its own file before the candidate's code runs.

Hidden tests report each case's return value as JSON text (compared by the scorer, one comparison
for every language). Scaling runs time the candidate's function and the bank's reference solution
on each size inside the driver (CPU time around the call only, the best of a few repetitions on
freshly parsed arguments) within a time budget, and stop before a size whose predicted time would
not fit. The programs themselves are in `drivers`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from workers.feedback import drivers

OUTPUT_CAP = 2000  # characters of one case's JSON result; the hidden tests expect far less
SCALING_BUDGET_S = 2.0  # of the run's 5 s deadline: interpreter start-up and parsing need the rest
# Each size is called at least SCALING_MIN_REPS times and for SCALING_MIN_TIME_S in all (the best
# call counts: garbage collection and JIT warm-up only ever add time), at most SCALING_MAX_REPS
# times; a call slower than SCALING_SLOW_S is not repeated.
SCALING_MIN_REPS = 3
SCALING_MIN_TIME_S = 0.03
SCALING_MAX_REPS = 7
SCALING_SLOW_S = 0.2
# The next size is skipped when one call of it would not fit in the budget: predicted from the last
# call's wall time growing as n^SKIP_GROWTH, or a little faster (SKIP_GROWTH_MARGIN) than the
# candidate's time grew between the last two sizes (up to n^3) when those were long enough to
# measure. A quadratic solution stops early instead of spending the budget on one huge input.
SKIP_GROWTH = 1.5
SKIP_GROWTH_MARGIN = 0.25
SKIP_GROWTH_NOISE_S = 1e-4
JS_WARM_CALLS = 50  # V8 optimises a hot function after some calls: warm it before timing
JS_WARM_S = 0.2


def marker(*parts: object) -> str:
    """A per-run marker: deterministic, so the same run rebuilds the same program (and finds its row)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return f"@@rehearse-{digest}"


def tests_program(language: str, function_name: str, code: str, mark: str) -> str:
    if language == "python":
        return _python(code, function_name, mark, drivers.PY_TESTS.replace("__CAP__", str(OUTPUT_CAP)))
    return _javascript(
        language, code, function_name, mark, drivers.JS_TESTS.replace("__CAP__", str(OUTPUT_CAP))
    )


def scaling_program(language: str, function_name: str, code: str, reference: str, mark: str) -> str:
    """`reference`: the bank's solution in the same language (JavaScript for TypeScript)."""
    if language == "python":
        return _python(
            code, function_name, mark, drivers.PY_SCALING.replace("__REF__", json.dumps(reference))
        )
    return _javascript(language, code, function_name, mark, drivers.JS_SCALING.replace("__REF__", reference))


def tests_stdin(cases: list[list[Any]]) -> str:
    return json.dumps({"cases": cases}, separators=(",", ":"))


def scaling_stdin(sizes: list[int], args: list[list[Any]]) -> str:
    head = {
        "sizes": sizes,
        "budget_s": SCALING_BUDGET_S,
        "min_reps": SCALING_MIN_REPS,
        "min_time_s": SCALING_MIN_TIME_S,
        "max_reps": SCALING_MAX_REPS,
        "slow_s": SCALING_SLOW_S,
        "growth": SKIP_GROWTH,
        "noise_s": SKIP_GROWTH_NOISE_S,
        "margin": SKIP_GROWTH_MARGIN,
        "warm_calls": JS_WARM_CALLS,
        "warm_s": JS_WARM_S,
    }
    return "\n".join(json.dumps(x, separators=(",", ":")) for x in [head, *args])


def _python(code: str, function_name: str, mark: str, body: str) -> str:
    driver = (
        drivers.PY_DRIVER.replace("__MARK__", json.dumps(mark))
        .replace("__FN__", json.dumps(function_name))
        .replace("__CODE__", json.dumps(code))
    )
    return driver + body


def _javascript(language: str, code: str, function_name: str, mark: str, body: str) -> str:
    prelude = drivers.JS_PRELUDE.replace("__MARK__", json.dumps(mark)).replace(
        "__FN__", json.dumps(function_name)
    )
    if language == "javascript":  # the program runs as CommonJS: a stray ES `export` would not parse
        code = re.sub(r"^export\s+(?:default\s+)?(?=function|const|let|class)", "", code, flags=re.MULTILINE)
    return prelude + code + drivers.JS_FIND + body


@dataclass
class DriverOutput:
    """What a driver reported: its marked lines, in order."""

    load_error: str | None = None
    cases: dict[int, dict[str, Any]] = field(default_factory=dict)
    sizes: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False


def parse_output(stdout: str, mark: str) -> DriverOutput:
    out = DriverOutput()
    prefix = mark + " "
    for line in stdout.splitlines():
        if not line.startswith(prefix):
            continue
        try:
            item = json.loads(line[len(prefix) :])
        except ValueError:
            continue
        if not isinstance(item, dict):
            continue
        if "load_error" in item:
            out.load_error = str(item["load_error"])
        elif "case" in item and isinstance(item["case"], int):
            out.cases[item["case"]] = item
        elif "n" in item:
            out.sizes.append(item)
        elif item.get("done"):
            out.done = True
    return out
