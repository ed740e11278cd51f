"""Time from the end of an interview to `feedback_ready` on its stream, per domain.

Starts the product's own processes as the Procfile does (web, the feedback pool, the execution pool
with its container engine) against a fresh PostgreSQL database and Redis namespace. For each domain
it plays the calibration sessions (tests/workers/feedback/calibration/*.yaml, excellent to empty)
in turn: create and start the session through the REST API, store the candidate's messages, code
runs and diagram as the product would have, then `PATCH /sessions/{id}/end` and read the session's
stream until `feedback_ready`. The latency is the stream entry's own timestamp (Redis's clock, on
this machine) minus the moment before the end request was sent: the web tier, the queue, scoring,
the hidden tests and the scaling run in real containers for coding, the database write and the XADD.

The first session of each domain after boot is reported apart (the pool warms its embedding model
and the rubrics in the background while it boots). Results go to stdout and to the
`## Feedback latency (bench/feedback.py)` section of docs/benchmarks.md.

    DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/python -m bench.feedback
    ... .venv/bin/python -m bench.feedback --sessions 5 --no-write    # a quick look
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bench.common import (
    Stack,
    load_average,
    machine,
    now_utc,
    percentile,
    stack,
    write_section,
)
from bench.procfile import EXECUTION, FEEDBACK, WEB, login, start_processes
from models.streams import stream_key
from tests.workers.feedback.sessions import answers_of, load_calibration, store_material

HEADING = "Feedback latency (bench/feedback.py)"
DOMAINS = ("behavioral", "system_design", "coding")
WITH_CODE = "coding, sessions with code"  # the ones that run the hidden tests and the scaling run
TARGET_S = {"behavioral": 1.0, "system_design": 1.0, "coding": 5.0, WITH_CODE: 5.0}
WAIT_S = 120.0
COLD_WAIT_S = 600.0  # the first session after boot also waits for the models to load on a busy host
THINK_S = 1.0  # between sessions: lets the sandbox pool replace the containers the last one used


def one_session(
    st: Stack, api: httpx.Client, db: Session, domain: str, spec: dict[str, Any], wait_s: float = WAIT_S
) -> float:
    """Seconds from sending `end` to the `feedback_ready` entry on the session's stream."""
    question = next(iter(answers_of(spec)))
    created = api.post("/sessions", json={"type": domain, "question_id": question, "duration_minutes": 30})
    created.raise_for_status()
    session_id = created.json()["id"]
    api.patch(f"/sessions/{session_id}/start").raise_for_status()
    store_material(db, session_id, spec)
    db.commit()
    key = stream_key(st.namespace, session_id)
    ended_at = time.time()
    api.patch(f"/sessions/{session_id}/end").raise_for_status()
    last_id, deadline = "0", time.monotonic() + wait_s
    while time.monotonic() < deadline:
        st.check_alive()
        for _, entries in st.redis.xread({key: last_id}, block=1000) or []:
            for entry_id, fields in entries:
                last_id = entry_id.decode()
                if fields[b"type"] == b"feedback_ready":
                    return int(last_id.split("-")[0]) / 1000 - ended_at
    raise RuntimeError(f"no feedback_ready for {domain} session {spec['name']} within {wait_s:.0f} s")


def run(
    sessions: int, keep_logs: bool, verbose: bool
) -> tuple[dict[str, list[float]], dict[str, float], str]:
    measured: dict[str, list[float]] = {d: [] for d in [*DOMAINS, WITH_CODE]}
    cold: dict[str, float] = {}
    env = {"DOCKER_HOST": os.environ["DOCKER_HOST"], "REHEARSE_RATE_SESSION_STARTS": "100000/hour"}
    with stack("feedback", env, keep_logs) as st:
        address, _ = start_processes(st, {"web": WEB, "feedback": FEEDBACK, "execution": EXECUTION})
        base = f"http://{address}"
        engine = create_engine(st.db_url)
        with httpx.Client(base_url=base, timeout=30) as api, Session(engine) as db:
            login(api)
            for domain in DOMAINS:
                specs = itertools.cycle(load_calibration(domain))
                cold[domain] = one_session(st, api, db, domain, next(specs), COLD_WAIT_S)
                print(f"{domain}: first after boot {cold[domain]:.2f} s", flush=True)
                for _ in range(sessions):
                    time.sleep(THINK_S)
                    spec = next(specs)
                    measured[domain].append(one_session(st, api, db, domain, spec))
                    if verbose:
                        print(f"  {domain} {spec['name']}: {measured[domain][-1]:.2f} s", flush=True)
                    if spec.get("runs"):
                        measured[WITH_CODE].append(measured[domain][-1])
                samples = measured[domain]
                print(
                    f"{domain}: p50 {percentile(samples, 50):.2f} s, p99 {percentile(samples, 99):.2f} s",
                    flush=True,
                )
        engine.dispose()
    return measured, cold, load_average()


def render(
    measured: dict[str, list[float]], cold: dict[str, float], load_before: str, load_after: str
) -> str:
    box = machine()
    rows = [
        "| domain | sessions | p50 s | p99 s | max s | target | first after boot s |",
        "|---|---|---|---|---|---|---|",
    ]
    for domain in [*DOMAINS, WITH_CODE]:
        samples = measured[domain]
        met = "met" if percentile(samples, 99) < TARGET_S[domain] else "**missed**"
        rows.append(
            f"| {domain} | {len(samples)} | {percentile(samples, 50):.2f} | {percentile(samples, 99):.2f} | "
            f"{max(samples):.2f} | < {TARGET_S[domain]:.0f} s ({met} at p99) | {_cold(cold, domain)} |"
        )
    return "\n".join(
        [
            f"{now_utc()}; {box['cpus']} CPUs ({box['cpu']}), {box['memory']}; PostgreSQL, Redis, podman "
            "sandboxes; the Procfile's web, feedback and execution processes.",
            f"Load average before / after: {load_before} / {load_after} (the machine is shared: other "
            "sessions' tests and benchmarks may run at the same time).",
            "",
            "Time from `PATCH /sessions/{id}/end` to the `feedback_ready` entry on the session's stream, "
            f"one session at a time ({THINK_S:.0f} s apart), cycling through the calibration sessions "
            "(excellent to empty). Coding sessions with code include the hidden-test run and the scaling "
            "run in real containers, side by side; with 20 sessions p99 is the slowest one.",
            "",
            *rows,
        ]
    )


def _cold(cold: dict[str, float], domain: str) -> str:
    return f"{cold[domain]:.2f}" if domain in cold else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="measured sessions per domain")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs (path printed)")
    parser.add_argument("--verbose", action="store_true", help="print every session's latency")
    args = parser.parse_args()
    if not os.environ.get("DOCKER_HOST"):
        sys.exit(
            "DOCKER_HOST is not set: DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/python -m bench.feedback"
        )
    load_before = load_average()
    measured, cold, load_after = run(args.sessions, args.keep_logs, args.verbose)
    text = render(measured, cold, load_before, load_after)
    print("\n" + text)
    if not args.no_write:
        write_section(HEADING, text)
        print(f"\nwritten to docs/benchmarks.md ({HEADING})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
