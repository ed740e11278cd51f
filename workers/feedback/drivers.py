"""The drivers' source text: what wraps the candidate's code in a hidden-test or scaling run.

Kept apart from `harness` (which fills them in and reads their output) because they are programs in
their own right: Python, and JavaScript that is also valid TypeScript. Placeholders in capitals
(`__MARK__`, `__FN__`, `__CODE__`, `__REF__`, `__CAP__`) are replaced by `harness` with JSON literals.
"""

PY_DRIVER = r"""
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

PY_TESTS = r"""
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
PY_SCALING = r"""
import gc, math
REF = __REF__
_lines = _IN.split("\n")
_head = json.loads(_lines[0])
fn = _load()
_ref_ns = {"__name__": "reference"}
exec(compile(REF, "reference.py", "exec"), _ref_ns)
ref = _ref_ns[FN]
_start = time.perf_counter()
_sizes = _head["sizes"]
_prev = None
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
        growth = _head["growth"]
        if _prev is not None and _prev[1] >= _head["noise_s"] and best > 0:
            growth = min(3.0, max(growth, _head["margin"] + math.log(best / _prev[1]) / math.log(n / _prev[0])))
        predicted = rep_wall * (_sizes[k + 1] / n) ** growth
        if time.perf_counter() - _start + predicted > _head["budget_s"]:
            for m in _sizes[k + 1:]:
                _emit({"n": m, "skipped": "budget"})
            break
    _prev = (n, best)
_emit({"done": True})
"""

# Plain JavaScript that is also valid TypeScript (transpile-only: no annotations needed). The prelude
# is one line, so the candidate's line L is the file's line L + 1 (error messages subtract it).
JS_PRELUDE = (
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
JS_FIND = (
    "\n;const __rhCamel = __rhFn.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());\n"
    "const __rhGet = () => { for (const name of [__rhFn, __rhCamel]) { "
    "try { const f = eval(name); if (typeof f === 'function') return f; } catch (e) {} } return undefined; };\n"
    "const __rhTarget = __rhGet();\n"
    "if (typeof __rhTarget !== 'function') { __rhEmit({ load_error: 'no function named ' + __rhFn }); process.exit(0); }\n"
    "const __rhJson = (v) => JSON.stringify(v === undefined ? null : v, (_k, x) => "
    "x instanceof Set ? Array.from(x) : x instanceof Map ? Object.fromEntries(x) : x);\n"
)

JS_TESTS = (
    "JSON.parse(__rhIn).cases.forEach((args, i) => {\n"
    "  let out;\n"
    "  try { out = __rhJson(__rhTarget(...args)); } catch (e) { __rhEmit({ case: i, error: __rhDescribe(e) }); return; }\n"
    "  if (out === undefined) out = 'null';\n"
    "  if (out.length > __CAP__) __rhEmit({ case: i, out: out.slice(0, __CAP__), truncated: true });\n"
    "  else __rhEmit({ case: i, out });\n"
    "});\n"
    "__rhEmit({ done: true });\n"
)

JS_SCALING = (
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
    "let __rhPrev = null;\n"
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
    "  let growth = __rhHead.growth;\n"
    "  if (__rhPrev && __rhPrev[1] >= __rhHead.noise_s && best > 0) "
    "growth = Math.min(3, Math.max(growth, __rhHead.margin + Math.log(best / __rhPrev[1]) / Math.log(n / __rhPrev[0])));\n"
    "  if (next !== undefined && __rhNow() - __rhStart + repWall * (next / n) ** growth > __rhHead.budget_s) {\n"
    "    for (const m of __rhSizes.slice(k + 1)) __rhEmit({ n: m, skipped: 'budget' });\n"
    "    break;\n"
    "  }\n"
    "  __rhPrev = [n, best];\n"
    "}\n"
    "__rhEmit({ done: true });\n"
)
