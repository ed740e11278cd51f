"""Code-run latency and throughput of the sandbox, against the real container engine.

For each language, a hello world run N times (default 30), one at a time:

- cold: a fresh container per run (create + start + run);
- pooled: a pre-started container from the pool (size 2), the way a worker runs code.

Sequential runs leave the engine a moment between runs (the previous container's removal and the
pool's replacement finish first), as a candidate's think time does. Latency is the caller's wall
clock around `run()`.

- through the API: the Python hello world posted to `POST /sessions/{id}/code` on the product's
  own web and execution processes (the Procfile's lines, a fresh PostgreSQL database): HTTP, the
  session checks, the stored submission, the Dramatiq job, the pooled sandbox, the result back.
  The issue's target: p50 < 150 ms, at least 3x faster than the cold run above.

Then throughput: 64 Python hello worlds through the pool with 8 and with 32 runs in flight
(bounded by a thread pool), with latency from submission to verdict.
Results go to stdout and to the `## Code runs (bench/code_run.py)` section of docs/benchmarks.md.

    DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/python -m bench.code_run
    ... .venv/bin/python -m bench.code_run --runs 10 --no-write    # a quick look
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.common import load_average, machine, now_utc, percentile, stack, write_section
from bench.procfile import EXECUTION, WEB, login, start_processes
from workers.execution.pool import Pool
from workers.execution.sandbox import Language, RunRequest, Sandbox, Verdict

HEADING = "Code runs (bench/code_run.py)"
HELLO = {
    Language.PYTHON: "print('hello')",
    Language.JAVASCRIPT: "console.log('hello')",
    Language.TYPESCRIPT: "const greeting: string = 'hello';\nconsole.log(greeting)",
}
SETTLE_S = 0.5  # think time between sequential runs
API_WARM_UP = 3  # untimed runs through the API: the worker's first jobs also fill its pool


def timed(run: Callable[[RunRequest], Verdict], request: RunRequest) -> float:
    started = time.perf_counter()
    verdict = run(request)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if verdict.status != "ok" or verdict.stdout != "hello\n":
        raise RuntimeError(f"unexpected verdict: {verdict}")
    return elapsed_ms


def sequential(sandbox: Sandbox, pool: Pool, language: Language, runs: int, pooled: bool) -> list[float]:
    samples = []
    for _ in range(runs):
        sandbox.reaper.flush()
        if pooled and not pool.wait_ready(30):
            raise RuntimeError("the pool did not refill within 30 s")
        time.sleep(SETTLE_S)
        samples.append(
            timed(pool.run if pooled else sandbox.run, RunRequest(language=language, code=HELLO[language]))
        )
    return samples


def through_the_api(docker_host: str, runs: int, pooled: bool) -> list[float]:
    """Milliseconds from POST /sessions/{id}/code to its 200 with the verdict, as a browser sees it.
    Not pooled: the execution worker runs with a pool of 0, so every run starts a fresh container."""
    env = {
        "DOCKER_HOST": docker_host,
        "REHEARSE_RATE_CODE_RUNS": "100000/minute",
        "REHEARSE_SANDBOX_POOL_SIZE": "2" if pooled else "0",
    }
    with stack("code-run", env) as st:
        address, _ = start_processes(st, {"web": WEB, "execution": EXECUTION})
        with httpx.Client(base_url=f"http://{address}", timeout=30) as api:
            login(api)
            created = api.post("/sessions", json={"type": "coding", "duration_minutes": 120})
            created.raise_for_status()
            session_id = created.json()["id"]
            api.patch(f"/sessions/{session_id}/start").raise_for_status()
            body = {"language": Language.PYTHON.value, "code": HELLO[Language.PYTHON]}
            samples = []
            for index in range(API_WARM_UP + runs):
                time.sleep(SETTLE_S)
                started = time.perf_counter()
                response = api.post(f"/sessions/{session_id}/code", json=body)
                elapsed_ms = (time.perf_counter() - started) * 1000
                verdict = response.json()
                if response.status_code != 200 or verdict.get("stdout") != "hello\n":
                    raise RuntimeError(f"unexpected answer {response.status_code}: {verdict}")
                if index >= API_WARM_UP:
                    samples.append(elapsed_ms)
    return samples


def throughput(pool: Pool, in_flight: int, total: int) -> tuple[float, list[float]]:
    request = RunRequest(language=Language.PYTHON, code=HELLO[Language.PYTHON], time_limit_s=10)
    pool.wait_ready(30)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=in_flight) as executor:
        samples = list(executor.map(lambda _: timed(pool.run, request), range(total)))
    return total / (time.perf_counter() - started), samples


def engine_version(sandbox: Sandbox) -> str:
    info = sandbox.api.version()
    components = info.get("Components") or [{}]
    name = components[0].get("Name") or "Engine"  # "Podman Engine", or Docker's "Engine"
    return f"{name} {info.get('Version', '?')} (API {info.get('ApiVersion', '?')})"


def row(label: str, samples: list[float]) -> str:
    return f"| {label} | {len(samples)} | {percentile(samples, 50):.0f} | {percentile(samples, 99):.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="sequential runs per language and mode")
    parser.add_argument("--total", type=int, default=64, help="runs per throughput measurement")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    docker_host = os.environ.get("DOCKER_HOST")
    if not docker_host:
        sys.exit(
            "DOCKER_HOST is not set: DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/python -m bench.code_run"
        )

    load_before = load_average()
    sandbox = Sandbox(docker_host, labels={"rehearse.bench": "code_run"})
    pool = Pool(sandbox, size=2)
    try:
        latency = ["| run | n | p50 ms | p99 ms |", "|---|---|---|---|"]
        p50 = {}
        for language in Language:
            for pooled in (False, True):
                samples = sequential(sandbox, pool, language, args.runs, pooled)
                mode = "pooled" if pooled else "cold"
                p50[(language, mode)] = percentile(samples, 50)
                latency.append(row(f"{language.value} hello world, {mode}", samples))
                print(latency[-1], flush=True)
        for pooled in (False, True):
            samples = through_the_api(docker_host, args.runs, pooled)
            mode = "api pooled" if pooled else "api cold"
            p50[(Language.PYTHON, mode)] = percentile(samples, 50)
            latency.append(row(f"python hello world, {mode.split()[1]}, through the API", samples))
            print(latency[-1], flush=True)
        load_mid = load_average()
        rates = ["| runs in flight | runs | runs/s | p50 ms | p99 ms |", "|---|---|---|---|---|"]
        for in_flight in (8, 32):
            rate, samples = throughput(pool, in_flight, args.total)
            rates.append(
                f"| {in_flight} | {len(samples)} | {rate:.1f} | {percentile(samples, 50):.0f} | "
                f"{percentile(samples, 99):.0f} |"
            )
            print(rates[-1], flush=True)
        version = engine_version(sandbox)
    finally:
        pool.close()
        sandbox.close()

    box = machine()
    speedup = p50[(Language.PYTHON, "cold")] / p50[(Language.PYTHON, "pooled")]
    api_p50 = p50[(Language.PYTHON, "api pooled")]
    api_speedup = p50[(Language.PYTHON, "api cold")] / api_p50
    fast, faster = api_p50 < 150, speedup >= 3
    body = "\n".join(
        [
            f"{now_utc()}; {box['cpus']} CPUs ({box['cpu']}), {box['memory']}; {version}; "
            f"runc, cgroups v1; images on the local debootstrap base (Python 3.11, Node 18).",
            f"Load average before / between / after: {load_before} / {load_mid} / {load_average()} "
            "(the machine is shared: other sessions' benchmarks and tests may run at the same time).",
            "",
            f"Sequential hello worlds, {args.runs} per row, {SETTLE_S} s think time between runs "
            "(caller's wall clock around `run()`: attach, run, verdict; removal happens in the background):",
            "",
            *latency,
            "",
            f"In the sandbox, pooled Python is {speedup:.1f}x faster than cold at p50. Through the API "
            f"(web + execution process, PostgreSQL, Dramatiq: ~{api_p50 - p50[(Language.PYTHON, 'pooled')]:.0f} ms "
            f"on top), pooled Python takes {api_p50:.0f} ms at p50, {api_speedup:.1f}x faster than a cold "
            "run through the API.",
            "",
            f"**Target** pooled Python hello world p50 < 150 ms end to end through the API: "
            f"**{'MET' if fast else 'MISSED'}** ({api_p50:.0f} ms); pooled >= 3x faster than cold: "
            f"**{'MET' if faster else 'MISSED'}** ({speedup:.1f}x in the sandbox, {api_speedup:.1f}x through the API).",
            "",
            f"Throughput: {args.total} Python hello worlds through a pool of 2 per image; "
            "runs beyond the pool start cold containers:",
            "",
            *rates,
        ]
    )
    print("\n" + body)
    if not args.no_write:
        write_section(HEADING, body)
        print(f"\nwritten to docs/benchmarks.md ({HEADING})")


if __name__ == "__main__":
    main()
