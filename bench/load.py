"""Load: 1,000 concurrent interview sessions on a scaled-out deployment, end to end.

The deployment is the one tests/scale/ uses (tests/scale/cluster.py): nginx round-robin in front of
2 web processes, the Dramatiq pools as separate processes started from the Procfile's lines, a fresh
PostgreSQL database and a dedicated Redis, all on loopback. The client (this process, asyncio on
uvloop) creates users straight in the database, creates and starts every session through the REST
API, opens one WebSocket per session through nginx, waits for every interviewer opening, then for
a fixed window every session answers with a fresh text every THINK seconds and some coding sessions
also run Python through `POST /sessions/{id}/code`. It records:

- chat echo: frame sent -> the candidate's own message relayed back (web tier: commit, XADD, relay);
- chat reply: frame sent -> the interviewer's reply for that message (the whole pipeline);
- code: POST -> the verdict in the response (queue, sandbox container, verdict);
- memory per open WebSocket (web processes' RSS, and nginx's), failed requests (target 0).

Results go to stdout and to the `## Load (bench/load.py)` section of docs/benchmarks.md.

    .venv/bin/python -m bench.load            # ~6 minutes, 1,000 sessions
    .venv/bin/python -m bench.load --quick    # ~2 minutes, 200 sessions
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import insert
from websockets.asyncio.client import ClientConnection, connect

from api.security import TokenService, hash_password
from bench.answers import answer
from bench.common import (
    cpu_seconds,
    load_average,
    machine,
    now_utc,
    percentile,
    pids_named,
    raise_nofile,
    write_section,
)
from config import Settings
from models.db import utcnow
from models.user import User
from tests.scale.cluster import Cluster, Options
from tests.scale.processes import rss_bytes

HEADING = "Load (bench/load.py)"
TYPES = ("behavioral", "system_design", "coding")
CODE = "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"


@dataclass(frozen=True)
class Plan:
    sessions: int
    window_s: float  # the measured chat window
    think_s: tuple[float, float]  # between one session's answers
    coders: int  # coding sessions that also run code
    code_every_s: tuple[float, float]
    turn_timeout_s: float = 30.0


FULL = Plan(1000, 180, (60, 120), 50, (45, 90))
QUICK = Plan(200, 50, (15, 30), 20, (15, 30))


# --- one session ------------------------------------------------------------------------------


@dataclass
class Turn:
    sent: float
    echo: float | None = None
    reply: float | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Tally:
    echo_ms: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)
    code_ms: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


class Session:
    def __init__(self, session_id: str, token: str, coder: bool) -> None:
        self.id = session_id
        self.token = token
        self.coder = coder
        self.ws: ClientConnection | None = None
        self.welcomed = asyncio.Event()
        self.by_client: dict[str, Turn] = {}
        self.by_message: dict[int, Turn] = {}
        self.errors = 0
        self.closed = False
        self.reader: asyncio.Task[None] | None = None

    async def open(self, base: str, timeout_s: float) -> None:
        url = f"ws://{base}/ws/{self.id}?token={self.token}"
        self.ws = await connect(url, open_timeout=timeout_s, ping_interval=None, max_queue=256)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                self._on(time.perf_counter(), json.loads(raw))
        except Exception:
            pass
        finally:
            self.closed = True

    def _on(self, at: float, event: dict[str, Any]) -> None:
        data = event.get("data") or {}
        if event.get("type") == "error":
            self.errors += 1
        if event.get("type") != "message":
            return
        if data.get("sender") == "user":
            turn = self.by_client.pop(data.get("client_id") or "", None)
            if turn is not None:
                turn.echo = at
                self.by_message[int(data["id"])] = turn
            return
        key = str(data.get("message_key") or "")
        if key.endswith(":open"):
            self.welcomed.set()
        elif ":reply:" in key:
            turn = self.by_message.pop(int(key.rsplit(":", 1)[1]), None)
            if turn is not None:
                turn.reply = at
                turn.done.set()

    async def say(self, tally: Tally, timeout_s: float) -> None:
        assert self.ws is not None
        client_id = uuid.uuid4().hex
        turn = Turn(sent=time.perf_counter())
        self.by_client[client_id] = turn
        try:
            await self.ws.send(json.dumps({"type": "message", "text": answer(), "client_id": client_id}))
            await asyncio.wait_for(turn.done.wait(), timeout_s)
        except TimeoutError:
            tally.failures["chat: no reply in time" if turn.echo else "chat: no echo in time"] += 1
            return
        except Exception as exc:
            tally.failures[f"chat: {type(exc).__name__}"] += 1
            return
        assert turn.echo is not None and turn.reply is not None
        tally.echo_ms.append((turn.echo - turn.sent) * 1000)
        tally.reply_ms.append((turn.reply - turn.sent) * 1000)

    async def run_code(self, client: httpx.AsyncClient, tally: Tally) -> None:
        a, b = random.randint(1, 999), random.randint(1, 999)
        started = time.perf_counter()
        try:
            response = await client.post(
                f"/sessions/{self.id}/code",
                json={"language": "python", "code": CODE, "stdin": f"{a} {b}"},
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except httpx.HTTPError as exc:
            tally.failures[f"code: {type(exc).__name__}"] += 1
            return
        elapsed = (time.perf_counter() - started) * 1000
        body = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        if response.status_code != 200 or body.get("status") != "ok" or body.get("stdout") != f"{a + b}\n":
            tally.failures[f"code: HTTP {response.status_code} {body.get('status', '')}".strip()] += 1
            return
        tally.code_ms.append(elapsed)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


# --- set-up -------------------------------------------------------------------------------------


def create_users(cluster: Cluster, count: int) -> list[str]:
    """Users straight into the database (argon2 once, not per user); tokens from the product's TokenService."""
    settings = Settings(jwt_secret=cluster.jwt_secret, namespace=cluster.namespace)
    tokens = TokenService(settings.jwt_key(), settings.jwt_ttl_seconds)
    password_hash = hash_password("bench-password-never-used")
    ids = [str(uuid.uuid4()) for _ in range(count)]
    rows = [
        {
            "id": i,
            "email": f"load-{n}-{cluster.run_id}@example.com",
            "password_hash": password_hash,
            "created_at": utcnow(),
        }
        for n, i in enumerate(ids)
    ]
    assert cluster.db is not None
    with cluster.db.begin() as connection:
        connection.execute(insert(User), rows)
    return [tokens.issue(user_id) for user_id in ids]


def warm_up(port: int, token: str) -> None:
    """The question banks are parsed on a web process's first use, by every request that arrives
    before the first parse has finished: dozens of concurrent first requests each parse ~380 KB of
    YAML and take 20-60 s (a cold start measured here, not steady state), so each process gets one
    request alone first."""
    response = httpx.get(
        f"http://127.0.0.1:{port}/questions", headers={"Authorization": f"Bearer {token}"}, timeout=120
    )
    response.raise_for_status()


async def start_sessions(
    client: httpx.AsyncClient, tokens: list[str], plan: Plan, tally: Tally, concurrency: int = 24
) -> list[Session]:
    gate = asyncio.Semaphore(concurrency)
    coding = [i for i in range(len(tokens)) if TYPES[i % len(TYPES)] == "coding"]
    coders = set(coding[: plan.coders])

    async def one(i: int, token: str) -> Session | None:
        headers = {"Authorization": f"Bearer {token}"}
        async with gate:
            created = await client.post("/sessions", json={"type": TYPES[i % len(TYPES)]}, headers=headers)
            if created.status_code != 201:
                tally.failures[f"setup: POST /sessions {created.status_code}"] += 1
                return None
            session_id = created.json()["id"]
            started = await client.patch(f"/sessions/{session_id}/start", headers=headers)
            if started.status_code != 200:
                tally.failures[f"setup: PATCH start {started.status_code}"] += 1
                return None
        return Session(session_id, token, i in coders)

    found = await asyncio.gather(*(one(i, token) for i, token in enumerate(tokens)))
    return [s for s in found if s is not None]


async def open_sockets(base: str, sessions: list[Session], tally: Tally, timeout_s: float) -> list[Session]:
    gate = asyncio.Semaphore(64)

    async def one(session: Session) -> bool:
        async with gate:
            try:
                await session.open(base, 20)
            except Exception as exc:
                tally.failures[f"setup: WebSocket open {type(exc).__name__}"] += 1
                return False
        try:
            await asyncio.wait_for(session.welcomed.wait(), timeout_s)
            return True
        except TimeoutError:
            tally.failures["setup: no interviewer opening in time"] += 1
            return False

    ok = await asyncio.gather(*(one(s) for s in sessions))
    return [s for s, good in zip(sessions, ok, strict=True) if good]


def ai_messages(cluster: Cluster) -> int:
    return int(cluster.query("SELECT count(*) FROM messages WHERE sender = 'ai'")[0][0])


async def drained(cluster: Cluster, limit_s: float) -> str:
    """After the window: is every answer stored, and answered (late replies are slow, not lost)?"""
    sql = (
        "SELECT count(*) FILTER (WHERE sender = 'user'), "
        "count(*) FILTER (WHERE turn_key LIKE 'reply:%') FROM messages"
    )
    started = time.monotonic()
    while True:
        users, replies = cluster.query(sql)[0]
        waited = time.monotonic() - started
        if replies >= users:
            return f"backlog: all {users} stored answers had their reply {waited:.0f} s after the window"
        if waited > limit_s:
            return f"backlog: {users - replies} of {users} stored answers still unanswered {limit_s:.0f} s after the window"
        await asyncio.sleep(1)


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Report:
    plan: Plan
    quick: bool
    tally: Tally = field(default_factory=Tally)
    lines: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    load: list[str] = field(default_factory=list)
    window_s: float = 0.0
    turns_sent: int = 0
    runs_sent: int = 0


def phase(t0: float, what: str) -> None:
    print(f"[{time.monotonic() - t0:6.1f} s] {what}", file=sys.stderr, flush=True)


def cpu_readings(cluster: Cluster) -> dict[str, float]:
    groups: dict[str, list[int]] = {}
    for name, proc in cluster.procs.items():
        groups.setdefault(name.rsplit("-", 1)[0], []).extend(proc.pids())
    found = {name: cpu_seconds(pids) for name, pids in groups.items()}
    assert cluster.nginx is not None and cluster.redis_server is not None
    found["nginx"] = cpu_seconds(cluster.nginx.proc.pids())
    found["redis"] = cpu_seconds(cluster.redis_server.proc.pids())
    found["postgres"] = cpu_seconds(pids_named("postgres"))
    found["client"] = cpu_seconds([os.getpid()])
    return found


async def chat_window(cluster: Cluster, sessions: list[Session], plan: Plan, report: Report) -> None:
    tally = report.tally
    end = time.monotonic() + plan.window_s
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=f"http://{cluster.base}", timeout=60, limits=limits) as client:

        async def chatter(session: Session) -> None:
            await asyncio.sleep(random.uniform(0, plan.think_s[1]))  # spread the first answers
            while time.monotonic() < end and not session.closed:
                report.turns_sent += 1
                await session.say(tally, plan.turn_timeout_s)
                await asyncio.sleep(min(random.uniform(*plan.think_s), max(0.0, end - time.monotonic())))
            if session.closed:
                tally.failures["chat: socket closed"] += 1

        async def coder(session: Session) -> None:
            await asyncio.sleep(random.uniform(0, plan.code_every_s[1]))
            while time.monotonic() < end:
                report.runs_sent += 1
                await session.run_code(client, tally)
                await asyncio.sleep(min(random.uniform(*plan.code_every_s), max(0.0, end - time.monotonic())))

        tasks = [chatter(s) for s in sessions] + [coder(s) for s in sessions if s.coder]
        await asyncio.gather(*tasks)
    tally.failures["chat: error events"] += sum(s.errors for s in sessions)


async def run(plan: Plan, report: Report, options: argparse.Namespace) -> None:
    t0 = time.monotonic()
    report.load.append(load_average())
    opts = Options(
        web=2,
        interviewer=options.interviewer,
        execution=options.execution,
        timers=1,
        db_proxy=False,
        env={"REHEARSE_NUDGE_AFTER_SECONDS": "3600"},
    )
    cluster = Cluster("load", opts)
    try:
        cluster.start()
        phase(t0, f"deployment up: nginx on {cluster.base}, {', '.join(cluster.procs)}")
        tokens = create_users(cluster, plan.sessions)
        started = time.monotonic()
        for port in cluster.web_ports.values():  # one request each first: see warm_up()
            warm_up(port, tokens[0])
        report.lines.append(
            f"warm-up: one GET /questions per web process before the load took {time.monotonic() - started:.1f} s"
        )
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(base_url=f"http://{cluster.base}", timeout=60, limits=limits) as client:
            started = time.monotonic()
            sessions = await start_sessions(client, tokens, plan, report.tally)
        report.lines.append(
            f"setup: {len(sessions)} sessions ({', '.join(TYPES)}) created and started through nginx in "
            f"{time.monotonic() - started:.0f} s"
        )
        phase(t0, report.lines[-1])
        web = [pid for name, proc in cluster.procs.items() if name.startswith("web") for pid in proc.pids()]
        assert cluster.nginx is not None and cluster.redis_server is not None
        before = rss_bytes(web), rss_bytes(cluster.nginx.proc.pids())
        clients_before = int(cluster.redis.info("clients")["connected_clients"])  # type: ignore[union-attr]
        started = time.monotonic()
        live = await open_sockets(cluster.base, sessions, report.tally, timeout_s=180)
        await asyncio.sleep(2)
        after = rss_bytes(web), rss_bytes(cluster.nginx.proc.pids())
        clients_after = int(cluster.redis.info("clients")["connected_clients"])  # type: ignore[union-attr]
        n = max(len(live), 1)
        report.lines.append(
            f"sockets: {len(live)} WebSockets opened through nginx and every interviewer opening received "
            f"{time.monotonic() - started:.0f} s after the first"
        )
        report.lines.append(
            f"memory: the 2 web processes' RSS grew {(after[0] - before[0]) / 2**20:.1f} MiB for {len(live)} "
            f"open sockets = **{(after[0] - before[0]) / n / 1024:.0f} KiB per open WebSocket** "
            f"(nginx: {(after[1] - before[1]) / n / 1024:.0f} KiB); Redis holds "
            f"{clients_after - clients_before} more client connections (one blocking XREAD per socket); "
            f"web RSS total {after[0] / 2**20:.0f} MiB"
        )
        phase(t0, report.lines[-2])
        phase(t0, report.lines[-1])
        cpu_start, window_start, ai_before = cpu_readings(cluster), time.monotonic(), ai_messages(cluster)
        await chat_window(cluster, live, plan, report)
        report.window_s = time.monotonic() - window_start
        cpu_end = cpu_readings(cluster)
        report.cpu = {k: 100 * (cpu_end[k] - cpu_start.get(k, 0.0)) / report.window_s for k in cpu_end}
        written = ai_messages(cluster) - ai_before
        report.lines.append(
            f"interviewer: {written} messages written in the window, "
            f"{10 * report.cpu.get('interviewer', 0) * report.window_s / max(written, 1):.0f} ms of "
            "interviewer CPU each"
        )
        report.lines.append(await drained(cluster, limit_s=120))
        phase(t0, report.lines[-1])
        await asyncio.gather(*(s.close() for s in live))
        for name, proc in cluster.procs.items():
            if not proc.alive():
                report.tally.failures[f"process {name} died"] += 1
        report.load.append(load_average())
        phase(t0, "measured; stopping the deployment")
    except BaseException:
        print(cluster.logs(40), file=sys.stderr)
        raise
    finally:
        cluster.close(keep_logs=options.keep_logs)
        if options.keep_logs:
            print(f"logs kept in {cluster.scratch}", file=sys.stderr)
    phase(t0, "done")


# --- output -------------------------------------------------------------------------------------


def _row(name: str, values: list[float], failed: int) -> str:
    cells = [name, str(len(values))]
    cells += [f"{percentile(values, q):.0f}" if values else "-" for q in (50, 99)]
    cells += [f"{max(values):.0f}" if values else "-", str(failed)]
    return "| " + " | ".join(cells) + " |"


def render(report: Report, options: argparse.Namespace) -> str:
    plan, tally, info = report.plan, report.tally, machine()
    failures = sum(tally.failures.values())
    chat_failed = sum(v for k, v in tally.failures.items() if k.startswith("chat"))
    code_failed = sum(v for k, v in tally.failures.items() if k.startswith("code"))
    rate = len(tally.reply_ms) / report.window_s if report.window_s else 0.0
    cpu = ", ".join(f"{k} {v:.0f}%" for k, v in sorted(report.cpu.items(), key=lambda kv: -kv[1]))
    breakdown = "; ".join(f"{k}: {v}" for k, v in sorted(tally.failures.items()) if v) or "none"
    return "\n".join(
        [
            f"Run {now_utc()}{' with `--quick`' if report.quick else ''} on {info['cpus']} CPUs "
            f"({info['cpu']}), {info['memory']} memory, {info['os']}, Python {info['python']}; load average "
            f"{' -> '.join(report.load)} (start -> end; the machine is shared, other work runs on it too).",
            "",
            f"Deployment (tests/scale/cluster.py, the Procfile's lines): nginx round-robin -> 2 web processes; "
            f"{options.interviewer} interviewer, {options.execution} execution and 1 timers worker processes; "
            "PostgreSQL (fresh database) and a dedicated Redis; everything and the client on one machine, "
            "loopback only; the deterministic interviewer (no LLM).",
            "",
            f"Workload: {plan.sessions} sessions, one WebSocket each through nginx, all open at once; for "
            f"{plan.window_s:.0f} s every session answers with a new 40-word text every "
            f"{plan.think_s[0]:.0f}-{plan.think_s[1]:.0f} s and {plan.coders} coding sessions also run a Python "
            f"program every {plan.code_every_s[0]:.0f}-{plan.code_every_s[1]:.0f} s. A turn without a reply in "
            f"{plan.turn_timeout_s:.0f} s is failed.",
            "",
            "| latency (ms) | n | p50 | p99 | max | failed |",
            "|---|---|---|---|---|---|",
            _row("chat: frame -> echo (web tier)", tally.echo_ms, chat_failed),
            _row("chat: frame -> interviewer reply", tally.reply_ms, chat_failed),
            _row("code: POST /code -> verdict", tally.code_ms, code_failed),
            "",
            f"**Failed requests: {failures}** (target 0; {breakdown}). {report.turns_sent} chat turns and "
            f"{report.runs_sent} code runs sent in {report.window_s:.0f} s ({rate:.1f} replies/s).",
            "",
            *(f"- {line}" for line in report.lines),
            f"- CPU in the window, % of one core: {cpu}",
            "",
            "Run: `.venv/bin/python -m bench.load` (~6 minutes; `--quick`: 200 sessions, ~2 minutes).",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK.sessions} sessions, ~2 minutes")
    parser.add_argument("--sessions", type=int, help="override the number of sessions")
    parser.add_argument("--interviewer", type=int, default=2, help="interviewer worker processes")
    parser.add_argument("--execution", type=int, default=1, help="execution worker processes")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs (path printed)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.sessions:
        plan = Plan(args.sessions, plan.window_s, plan.think_s, plan.coders, plan.code_every_s)
    limit = raise_nofile(8 * plan.sessions + 1024)  # the children (web, nginx) inherit it
    if limit < 3 * plan.sessions + 256:
        print(f"open-file limit {limit} is too low for {plan.sessions} sockets", file=sys.stderr)
        return 2
    report = Report(plan, args.quick)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        runner.run(run(plan, report, args))
    text = render(report, args)
    print("\n" + text)
    if not args.no_write:
        write_section(HEADING, text)
        print(f"\nwritten to docs/benchmarks.md ({HEADING})")
    return 0 if not sum(report.tally.failures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
