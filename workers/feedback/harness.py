"""The programs the scorer sends to the execution pool: the candidate's code plus a driver.

A driver reads its cases from stdin (all of it, before the candidate's code runs, so a solution that
reads input gets none), silences the candidate's own printing (its output would eat the 64 KiB cap
and could forge results), calls the function with positional JSON arguments and writes one marked
JSON line per case as it goes, so a run killed at its deadline still reports what finished. The
marker carries a nonce, and the Python driver deletes its own file before the candidate's code runs.

Hidden tests report each case's return value as JSON text (compared by the scorer, one comparison
for every language). Scaling runs time each size inside the driver (wall clock around the call
only, the best of a few repetitions on freshly parsed arguments) within a time budget, and stop
before a size whose predicted time would not fit.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

OUTPUT_CAP = 2000  # characters of one case's JSON result; the hidden tests expect far less
SCALING_BUDGET_S = 2.5  # of the run's 5 s deadline: interpreter start-up and parsing need the rest
# Each size is called at least SCALING_MIN_REPS times and for SCALING_MIN_TIME_S in all (the best
# call counts: garbage collection and JIT warm-up only ever add time), at most SCALING_MAX_REPS
# times; a call slower than SCALING_SLOW_S is not repeated.
SCALING_MIN_REPS = 3
SCALING_MIN_TIME_S = 0.03
SCALING_MAX_REPS = 7
SCALING_SLOW_S = 0.2
# The next size is skipped when one call of it, predicted from the last one's wall time growing as
# n^SKIP_GROWTH, would not fit in the budget: a quadratic solution stops before the run's deadline.
SKIP_GROWTH = 1.5
JS_WARM_CALLS = 50  # V8 optimises a hot function after some calls: warm it before timing
JS_WARM_S = 0.2

_PY_DRIVER = r"""
import io, json, os, sys, time, traceback
MARK = __MARK__
FN = __FN__
CODE = __CODE__
try:
    os.unlink(__file__)
except OSError:
    pass
_IN = sys.stdin.read()
sys.stdin = io.StringIO("")
class _Sink(io.TextIOBase):
    def write(self, s):
        return len(s)
sys.stdout = sys.stderr = _Sink()
sys.setrecursionlimit(10000)
def _emit(obj):
    os.write(1, (MARK + " " + json.dumps(obj, separators=(",", ":")) + "\n").encode())
def _describe(exc):
    line = next((f.lineno for f in reversed(traceback.extract_tb(exc.__traceback__)) if f.filename == "solution.py"), None)
    text = (type(exc).__name__ + ": " + str(exc))[:300]
    return text + (" (line %d)" % line if line else "")
def _default(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)
def _load():
    ns = {"__name__": "solution"}
    try:
        exec(compile(CODE, "solution.py", "exec"), ns)
    except BaseException as exc:
        if isinstance(exc, SyntaxError):
            _emit({"load_error": "SyntaxError: %s (line %s)" % (exc.msg, exc.lineno)})
        else:
            _emit({"load_error": _describe(exc)})
        raise SystemExit(0)
    camel = FN[0] + "".join(p.title() for p in FN.split("_"))[1:]
    for name in (FN, camel):
        if callable(ns.get(name)):
            return ns[name]
    if isinstance(ns.get("Solution"), type):
        for name in (FN, camel):
            method = getattr(ns["Solution"](), name, None)
            if callable(method):
                return method
    _emit({"load_error": "no function named %s" % FN})
    raise SystemExit(0)
"""

_PY_TESTS = r"""
fn = _load()
for i, args in enumerate(json.loads(_IN)["cases"]):
    try:
        out = json.dumps(fn(*args), default=_default)
    except BaseException as exc:
        _emit({"case": i, "error": _describe(exc)})
        continue
    if len(out) > __CAP__:
        _emit({"case": i, "out": out[:__CAP__], "truncated": True})
    else:
        _emit({"case": i, "out": out})
_emit({"done": True})
"""

# The bank's reference solution is timed on the same inputs, interleaved with the candidate's calls:
# whatever the machine adds (caches, allocation, a busy neighbour) grows both curves alike, so the
# scorer compares their growth. CPU time of the calling thread, not wall time: waiting for a core on
# a loaded host is not the code's cost.
_PY_SCALING = r"""
import gc
REF = __REF__
_lines = _IN.split("\n")
_head = json.loads(_lines[0])
fn = _load()
_ref_ns = {"__name__": "reference"}
exec(compile(REF, "reference.py", "exec"), _ref_ns)
ref = _ref_ns[FN]
_start = time.perf_counter()
_sizes = _head["sizes"]
def _time(f, line):
    args = json.loads(line)
    t0 = time.thread_time()
    f(*args)
    return time.thread_time() - t0
for k, n in enumerate(_sizes):
    best, best_ref, spent, reps = None, None, 0.0, 0
    gc.collect()
    gc.disable()  # as timeit does: a collection triggered by earlier garbage is not the call's cost
    try:
        while True:
            rep_start = time.perf_counter()
            took_ref = _time(ref, _lines[1 + k])
            took = _time(fn, _lines[1 + k])
            rep_wall = time.perf_counter() - rep_start
            best = took if best is None else min(best, took)
            best_ref = took_ref if best_ref is None else min(best_ref, took_ref)
            spent += took + took_ref
            reps += 1
            if reps >= _head["max_reps"] or took > _head["slow_s"]:
                break
            if reps >= _head["min_reps"] and spent >= _head["min_time_s"]:
                break
            if time.perf_counter() - _start + rep_wall > _head["budget_s"]:
                break
    except BaseException as exc:
        _emit({"n": n, "error": _describe(exc)})
        break
    finally:
        gc.enable()
    _emit({"n": n, "t": best, "ref": best_ref, "reps": reps})
    if k + 1 < len(_sizes):
        predicted = rep_wall * (_sizes[k + 1] / n) ** _head["growth"]
        if time.perf_counter() - _start + predicted > _head["budget_s"]:
            for m in _sizes[k + 1:]:
                _emit({"n": m, "skipped": "budget"})
            break
_emit({"done": True})
"""

# Plain JavaScript that is also valid TypeScript (transpile-only: no annotations needed). The prelude
# is one line, so the candidate's line L is the file's line L + 1 (error messages subtract it).
_JS_PRELUDE = (
    'const __rhFs = require("fs"); const __rhIn = __rhFs.readFileSync(0, "utf8"); '
    "const __rhMark = __MARK__; const __rhFn = __FN__; "
    "const __rhEmit = (o) => { __rhFs.writeSync(1, __rhMark + ' ' + JSON.stringify(o) + '\\n'); }; "
    "const __rhDescribe = (e) => { const s = String((e && e.stack) || e); "
    "const m = s.match(/main\\.[jt]s:(\\d+)/); "
    "const head = String(e && e.name ? e.name + ': ' + e.message : e).slice(0, 300); "
    "return m ? head + ' (line ' + (Number(m[1]) - 1) + ')' : head; }; "
    "for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table']) { console[k] = () => {}; } "
    "process.stdout.write = () => true; process.stderr.write = () => true; "
    "process.on('uncaughtException', (e) => { __rhEmit({ load_error: __rhDescribe(e) }); process.exit(0); });\n"
)

# Direct eval sees the candidate's top-level `function`, `const` and `let` declarations alike.
_JS_FIND = (
    "\n;const __rhCamel = __rhFn.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());\n"
    "const __rhGet = () => { for (const name of [__rhFn, __rhCamel]) { "
    "try { const f = eval(name); if (typeof f === 'function') return f; } catch (e) {} } return undefined; };\n"
    "const __rhTarget = __rhGet();\n"
    "if (typeof __rhTarget !== 'function') { __rhEmit({ load_error: 'no function named ' + __rhFn }); process.exit(0); }\n"
    "const __rhJson = (v) => JSON.stringify(v === undefined ? null : v, (_k, x) => "
    "x instanceof Set ? Array.from(x) : x instanceof Map ? Object.fromEntries(x) : x);\n"
)

_JS_TESTS = (
    "JSON.parse(__rhIn).cases.forEach((args, i) => {\n"
    "  let out;\n"
    "  try { out = __rhJson(__rhTarget(...args)); } catch (e) { __rhEmit({ case: i, error: __rhDescribe(e) }); return; }\n"
    "  if (out === undefined) out = 'null';\n"
    "  if (out.length > __CAP__) __rhEmit({ case: i, out: out.slice(0, __CAP__), truncated: true });\n"
    "  else __rhEmit({ case: i, out });\n"
    "});\n"
    "__rhEmit({ done: true });\n"
)

_JS_SCALING = (
    "const __rhRef = (() => {\n__REF__\n;return eval(__rhFn); })();\n"
    "const __rhLines = __rhIn.split('\\n');\n"
    "const __rhHead = JSON.parse(__rhLines[0]);\n"
    "const __rhNow = () => Number(process.hrtime.bigint()) / 1e9;\n"
    "const __rhCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };\n"
    "const __rhTime = (f, line) => { const args = JSON.parse(line); const t0 = __rhCpu(); f(...args); "
    "return __rhCpu() - t0; };\n"
    "const __rhStart = __rhNow();\n"
    "const __rhSizes = __rhHead.sizes;\n"
    "try {\n"  # warm the JIT on the smallest input first: interpreted calls would flatten the curve
    "  for (let i = 0; i < __rhHead.warm_calls && __rhNow() - __rhStart < __rhHead.warm_s; i++) "
    "{ __rhTime(__rhRef, __rhLines[1]); __rhTime(__rhTarget, __rhLines[1]); }\n"
    "} catch (e) {}\n"
    "for (let k = 0; k < __rhSizes.length; k++) {\n"
    "  const n = __rhSizes[k];\n"
    "  let best = Infinity, bestRef = Infinity, spent = 0, reps = 0, repWall = 0, failed = false;\n"
    "  try {\n"
    "    for (;;) {\n"
    "      const repStart = __rhNow();\n"
    "      const tookRef = __rhTime(__rhRef, __rhLines[1 + k]);\n"
    "      const took = __rhTime(__rhTarget, __rhLines[1 + k]);\n"
    "      repWall = __rhNow() - repStart;\n"
    "      best = Math.min(best, took); bestRef = Math.min(bestRef, tookRef); spent += took + tookRef; reps++;\n"
    "      if (reps >= __rhHead.max_reps || took > __rhHead.slow_s) break;\n"
    "      if (reps >= __rhHead.min_reps && spent >= __rhHead.min_time_s) break;\n"
    "      if (__rhNow() - __rhStart + repWall > __rhHead.budget_s) break;\n"
    "    }\n"
    "  } catch (e) { __rhEmit({ n, error: __rhDescribe(e) }); failed = true; }\n"
    "  if (failed) break;\n"
    "  __rhEmit({ n, t: best, ref: bestRef, reps });\n"
    "  const next = __rhSizes[k + 1];\n"
    "  if (next !== undefined && __rhNow() - __rhStart + repWall * (next / n) ** __rhHead.growth > __rhHead.budget_s) {\n"
    "    for (const m of __rhSizes.slice(k + 1)) __rhEmit({ n: m, skipped: 'budget' });\n"
    "    break;\n"
    "  }\n"
    "}\n"
    "__rhEmit({ done: true });\n"
)


def marker(*parts: object) -> str:
    """A per-run marker: deterministic, so the same run rebuilds the same program (and finds its row)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return f"@@rehearse-{digest}"


def tests_program(language: str, function_name: str, code: str, mark: str) -> str:
    if language == "python":
        return _python(code, function_name, mark, _PY_TESTS.replace("__CAP__", str(OUTPUT_CAP)))
    return _javascript(language, code, function_name, mark, _JS_TESTS.replace("__CAP__", str(OUTPUT_CAP)))


def scaling_program(language: str, function_name: str, code: str, reference: str, mark: str) -> str:
    """`reference`: the bank's solution in the same language (JavaScript for TypeScript)."""
    if language == "python":
        return _python(code, function_name, mark, _PY_SCALING.replace("__REF__", json.dumps(reference)))
    return _javascript(language, code, function_name, mark, _JS_SCALING.replace("__REF__", reference))


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
        "warm_calls": JS_WARM_CALLS,
        "warm_s": JS_WARM_S,
    }
    return "\n".join(json.dumps(x, separators=(",", ":")) for x in [head, *args])


def _python(code: str, function_name: str, mark: str, body: str) -> str:
    driver = (
        _PY_DRIVER.replace("__MARK__", json.dumps(mark))
        .replace("__FN__", json.dumps(function_name))
        .replace("__CODE__", json.dumps(code))
    )
    return driver + body


def _javascript(language: str, code: str, function_name: str, mark: str, body: str) -> str:
    prelude = _JS_PRELUDE.replace("__MARK__", json.dumps(mark)).replace("__FN__", json.dumps(function_name))
    if language == "javascript":  # the program runs as CommonJS: a stray ES `export` would not parse
        code = re.sub(r"^export\s+(?:default\s+)?(?=function|const|let|class)", "", code, flags=re.MULTILINE)
    return prelude + code + _JS_FIND + body


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
