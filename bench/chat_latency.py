"""Chat latency through the whole pipeline, with the product's own processes.

A candidate's frame goes WebSocket -> web process (store + commit, XADD the echo, enqueue) ->
Dramatiq interviewer worker (lock, reply, commit, XADD) -> the session's Redis Stream -> the web
process's XREAD -> WebSocket. For every turn the client records the time from sending the frame to

- the echo of its own message (the web tier alone: PostgreSQL commit, XADD, relay), and
- the first interviewer `message` or `token` event of that turn (the whole pipeline).

The bench starts 1 uvicorn process, 1 interviewer worker and 1 timers worker with the Procfile's
settings against a fresh PostgreSQL database and Redis namespace, creates users directly in the
database (one shared password hash), creates and starts every session through the REST API, then:

1. 1 session chatting;
2. 100 sessions, all chatting;
3. 1,000 sessions open, 50 chatting (the target: p99 < 50 ms with one web process), then the same
   at the stress pacing;
4. a sweep of active chatters with all sessions open.

A chatter sends, waits for the reply, thinks 1.5-2.5 s and repeats: one message about every 2 s,
the pacing behind the issue's own figures (its prototype's 1,000 active chatters sent 500 msg/s).
Step 3 is run again with chatters thinking only 0.5-1 s (three times the rate) as a stress row. Results go to stdout and to the
`## Chat latency (bench/chat_latency.py)` section of docs/benchmarks.md.

    .venv/bin/python -m bench.chat_latency            # ~4-6 minutes
    .venv/bin/python -m bench.chat_latency --quick    # ~1 minute, 120 sessions

Diagnosis only (marked in the report): `--py-spy PATH` profiles the web and interviewer processes
during the target step, `--interviewer-processes N`, `--synchronous-commit off`, `--keep-logs`,
`--no-write`, `--open N` (hold N sockets open instead of 1,000), `--target-only`, `--encoder half|none`
(the interviewer's encoder at about half its cost, or replaced by a constant-time stand-in).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import math
import os
import random
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.chat_client import (
    Chat,
    Turn,
    create_users,
    drain,
    open_chats,
    session_types,
    start_sessions,
    token_service,
    wait_for_openings,
)
from bench.chat_report import (
    FULL,
    QUICK,
    STRESS_THINK_S,
    THINK_S,
    Plan,
    Report,
    StepResult,
    render,
    row,
    table_header,
)
from bench.common import (
    REDIS_PORT,
    CpuMeter,
    cpu_seconds,
    hot_frames,
    load_average,
    machine_busy_seconds,
    pids_named,
    py_spy,
    raise_nofile,
    redis_server_info,
    service_versions,
    stack,
    write_section,
)
from bench.procfile import INTERVIEWER, TIMERS, WEB, command_line, start_processes
from tests.scale.processes import connections_to as tcp_connections_to
from tests.scale.processes import rss_bytes

HEADING = "Chat latency (bench/chat_latency.py)"


def with_processes(argv: list[str], processes: int) -> list[str]:
    at = argv.index("--processes") + 1
    return [*argv[:at], str(processes), *argv[at + 1 :]]


# --- steps ------------------------------------------------------------------------------------


async def run_step(
    name: str,
    open_sockets: int,
    chatters: Sequence[Chat],
    plan: Plan,
    duration_s: float,
    meter: CpuMeter,
    think_s: tuple[float, float] = THINK_S,
) -> StepResult:
    measure_from = time.perf_counter() + plan.warmup_s
    stop_at = measure_from + duration_s
    turns: list[Turn] = []
    cap = int(len(chatters) * duration_s / think_s[0]) + len(chatters)  # a bound on requests per step

    async def chatter(chat: Chat) -> None:
        await asyncio.sleep(random.uniform(0, think_s[1]))  # stagger the first sends
        while time.perf_counter() < stop_at and not chat.closed and len(turns) < cap:
            turn = await chat.turn(plan.turn_timeout_s)
            if turn.sent >= measure_from or turn.error is not None:  # a failure in warmup counts too
                turns.append(turn)
            if turn.error is not None:
                return  # its late reply could be mistaken for the next turn's: this chatter stops
            await asyncio.sleep(random.uniform(*think_s))

    if not chatters:
        raise RuntimeError(f"{name}: no socket received the interviewer's opening; nothing to measure")
    # The client's own full collections (it holds every socket) would be counted as the product's
    # latency: its long-lived objects are set aside before each step.
    gc.collect()
    gc.freeze()
    tasks = [asyncio.create_task(chatter(chat)) for chat in chatters]
    await asyncio.sleep(plan.warmup_s)
    meter.start()
    await asyncio.sleep(duration_s)
    cpu = meter.stop()
    _done, late = await asyncio.wait(tasks, timeout=plan.turn_timeout_s + think_s[1] + 1)
    for task in late:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    turns = [t for t in turns if t.sent < stop_at]
    result = StepResult(name, open_sockets, len(chatters), duration_s, turns, cpu)
    print(row(result), flush=True)
    return result


# --- the run ----------------------------------------------------------------------------------


def phase(started_at: float, what: str) -> None:
    print(f"[{time.monotonic() - started_at:5.1f} s] {what}", file=sys.stderr, flush=True)


async def run(plan: Plan, report: Report, options: argparse.Namespace) -> None:
    env = {"REHEARSE_RATE_SESSION_STARTS": "1000000/hour", "REHEARSE_RATE_AUTH_ATTEMPTS": "1000000/minute"}
    started_at = time.monotonic()
    report.load.append(load_average())
    spy: str | None = options.py_spy
    if options.label:
        report.notes.append(options.label)
    with stack("chat-latency", env, options.keep_logs or bool(spy)) as st:
        report.services = service_versions(st.redis)
        if options.synchronous_commit != "on":
            st.set_database_option("synchronous_commit", options.synchronous_commit)
            report.notes.append(f"diagnostic run: PostgreSQL synchronous_commit={options.synchronous_commit}")
        phase(started_at, f"database {st.db_name} migrated; starting processes")
        commands = {"web": WEB, "interviewer": INTERVIEWER, "timers": TIMERS}
        if options.interviewer_processes != 1:
            env_, argv = INTERVIEWER
            commands["interviewer"] = (env_, with_processes(argv, options.interviewer_processes))
            report.notes.append(f"diagnostic run: {options.interviewer_processes} interviewer processes")
        if options.encoder != "real":
            env_, argv = commands["interviewer"]
            stand_in = {**env_, "REHEARSE_BENCH_ENCODER": options.encoder}
            commands["interviewer"] = (stand_in, ["python", "-m", "bench.encoder_stand_in", *argv[1:]])
            report.notes.append(f"diagnostic run: --encoder {options.encoder} (bench/encoder_stand_in.py)")
        report.commands = [command_line(*command) for command in commands.values()]
        base, procs = start_processes(st, commands)
        processes_at = time.perf_counter()
        phase(started_at, f"web on {base}, workers started; creating sessions")
        redis_pids = [int(redis_server_info(st.redis)["process_id"])]  # the Redis we use, not any other

        def readings() -> dict[str, float]:
            found = {name: cpu_seconds(proc.pids()) for name, proc in procs.items()}
            found["client"] = cpu_seconds([os.getpid()])
            found["redis"] = cpu_seconds(redis_pids)
            found["postgres"] = cpu_seconds(pids_named("postgres"))
            found["machine"] = machine_busy_seconds()
            return found

        def snapshot(moment: str) -> None:
            report.rss[moment] = {name: rss_bytes(proc.pids()) for name, proc in procs.items()}

        meter = CpuMeter(readings)
        snapshot("started")
        t0 = time.perf_counter()
        types = session_types(base, token_service(st).issue(str(uuid.uuid4())))
        tokens = create_users(st, math.ceil(plan.open_sessions / len(types)))
        chats = await start_sessions(base, tokens, types, plan.open_sessions)
        setup_s = time.perf_counter() - t0
        phase(started_at, f"{len(chats)} sessions started")
        first, last = await wait_for_openings(st, len(chats), stall_s=max(60.0, plan.turn_timeout_s * 6))
        report.setup = (
            f"setup: {len(tokens)} users, {len(chats)} sessions ({', '.join(types)}) created and started "
            f"through the REST API in {setup_s:.1f} s; the fresh interviewer worker (started "
            f"{t0 - processes_at:.1f} s before) wrote the first opening {first:.1f} s after the first "
            f"session started (cold start), the last {last:.1f} s after"
        )
        phase(started_at, f"all {len(chats)} openings written")
        live: list[Chat] = []

        async def step(
            name: str,
            open_sockets: int,
            chatters: Sequence[Chat],
            duration_s: float,
            think_s: tuple[float, float] = THINK_S,
        ) -> None:
            report.steps.append(
                await run_step(name, open_sockets, chatters, plan, duration_s, meter, think_s)
            )
            limit_s = plan.turn_timeout_s * 3
            waited = await drain(st, limit_s)
            if waited > 2:
                gave_up = " (gave up waiting)" if waited >= limit_s else ""
                report.notes.append(f"after '{name}' the backlog took {waited:.0f} s to drain{gave_up}")

        async def open_up_to(n: int) -> None:
            timeout_s = plan.turn_timeout_s * 2
            failed = await open_chats(base, [c for c in chats[:n] if c.ws is None], timeout_s)
            st.check_alive()
            silent = [c for c in failed if not c.got_event]
            if failed:
                note = (
                    f"{len(failed)} of {n} sockets got no interviewer opening within {timeout_s:.0f} s, "
                    f"{len(silent)} of them no event at all (relay dead); they stay open, not used as chatters"
                )
                report.notes.append(note)
                print("WARNING:", note, flush=True)
            report.dead_sockets = sum(1 for c in chats[:n] if not c.got_event)
            live[:] = [c for c in chats[:n] if c.welcomed.is_set()]

        await open_up_to(1)
        if not options.target_only:
            await step("1 session", 1, live[:1], plan.single_s)
        await open_up_to(100)
        if not options.target_only:
            await step("100 sessions, all chatting", 100, live[:100], plan.hundred_s)
        web_pids = procs["web"].pids()
        before, redis_before = rss_bytes(web_pids), tcp_connections_to(web_pids, REDIS_PORT)
        snapshot("100 sockets open")
        await open_up_to(plan.open_sessions)
        await asyncio.sleep(1)
        n = plan.open_sessions
        snapshot(f"{n} sockets open")
        added = n - 100
        delta, redis_now = rss_bytes(web_pids) - before, tcp_connections_to(web_pids, REDIS_PORT)
        report.memory = (
            f"memory: web RSS +{delta / 2**20:.1f} MiB for {added} more open sockets = "
            f"{delta / added / 1024:.0f} KiB per open WebSocket; the web process holds {redis_now} Redis "
            f"connections with {n} sockets open (+{redis_now - redis_before} for the {added} added)"
        )
        phase(started_at, report.memory)
        spying = []
        if spy:
            worker = procs["interviewer"]
            targets = {
                "web": procs["web"].pids(),
                "interviewer": [p for p in worker.pids() if p != worker.popen.pid],
            }
            spying = py_spy(spy, targets, plan.warmup_s + plan.target_s, st.scratch / "py-spy")
        await step(f"{n} open, 50 chatting", n, live[:50], plan.target_s)
        for process in spying:
            process.wait(timeout=30)
        if options.target_only:
            report.notes.append("diagnostic run: --target-only (the other steps skipped)")
        stress = f"{STRESS_THINK_S[0]}-{STRESS_THINK_S[1]} s"
        if not options.target_only:
            await step(
                f"{n} open, 50 chatting, think {stress} (stress)", n, live[:50], plan.target_s, STRESS_THINK_S
            )
        for raw in sorted((st.scratch / "py-spy").glob("*.txt")) if spy else []:
            report.profiles[raw.name] = hot_frames(raw)
        for active in () if options.target_only else plan.sweep:
            if time.monotonic() - started_at > plan.budget_s:
                report.notes.append(f"sweep stopped before {active} chatters: time budget spent")
                break
            previous = report.steps[-1]
            if previous.name == "sweep" and previous.failed > 0.1 * max(len(previous.turns), 1):
                report.notes.append(
                    f"sweep stopped before {active} chatters: {previous.failed} of {len(previous.turns)} turns "
                    f"failed at {previous.chatters} (saturated)"
                )
                break
            await step("sweep", n, live[:active], plan.sweep_s)
        snapshot("end")
        await asyncio.gather(*(chat.close() for chat in chats if chat.ws is not None))
        st.check_alive()
        report.load.append(load_average())
        phase(started_at, "measured; stopping processes, dropping the database")
    phase(started_at, "done")


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"~1 minute, {QUICK.open_sessions} sessions")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs (path printed)")
    parser.add_argument(
        "--py-spy", metavar="PATH", help="py-spy binary: profile web and worker in the target step"
    )
    parser.add_argument("--label", default="", help="a note for the report (e.g. what was patched)")
    parser.add_argument(
        "--interviewer-processes", type=int, default=1, help="diagnosis only: interviewer worker processes"
    )
    parser.add_argument(
        "--synchronous-commit",
        default="on",
        choices=["on", "off"],
        help="diagnosis only: PostgreSQL synchronous_commit for the bench database",
    )
    parser.add_argument(
        "--encoder",
        choices=["real", "half", "none"],
        default="real",
        help="diagnosis only: the sentence encoder at half its cost, or none (bench/encoder_stand_in.py)",
    )
    parser.add_argument(
        "--target-only", action="store_true", help="diagnosis only: just the target step (~1.5 minutes)"
    )
    parser.add_argument(
        "--open",
        type=int,
        metavar="N",
        help="sessions held open (default 1,000; --quick 120): the relay's capacity",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.open:
        plan = dataclasses.replace(plan, open_sessions=args.open)
    limit = raise_nofile(4 * plan.open_sessions + 1024)
    if limit < 2 * plan.open_sessions + 256:
        print(f"open-file limit {limit} is too low for {plan.open_sessions} sockets", file=sys.stderr)
        return 2
    report = Report(plan, args.quick)
    # `timeout` and CI send SIGTERM: turn it into an exception so the processes, the database and
    # the Redis keys are still cleaned up.
    signal.signal(signal.SIGTERM, _terminate)
    print(table_header(), flush=True)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        runner.run(run(plan, report, args))
    text = render(report)
    print("\n" + text)
    for name, frames in report.profiles.items():
        print(f"\npy-spy {name} (inclusive, target step):\n" + "\n".join(frames))
    if not args.no_write:
        write_section(HEADING, text)
        print(f"\nwritten to docs/benchmarks.md ({HEADING})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
