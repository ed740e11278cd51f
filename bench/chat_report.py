"""The chat-latency benchmark's plan, results and report (what `bench/chat_latency.py` measures
and how it is written to docs/benchmarks.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bench.chat_client import Turn
from bench.common import machine, now_utc, percentile, versions

THINK_S = (1.5, 2.5)  # seconds between a reply and the next message
STRESS_THINK_S = (0.5, 1.0)
TARGET_MS = 50.0

PACKAGES = (
    "uvicorn",
    "starlette",
    "websockets",
    "uvloop",
    "httptools",
    "dramatiq",
    "redis",
    "SQLAlchemy",
    "psycopg",
)


@dataclass(frozen=True)
class Plan:
    open_sessions: int
    single_s: float
    hundred_s: float
    target_s: float
    sweep: tuple[int, ...]
    sweep_s: float
    warmup_s: float
    turn_timeout_s: float
    budget_s: float  # no new sweep step starts after this much wall time


FULL = Plan(1000, 15, 20, 30, (100, 250, 500, 1000), 15, 3, 10, 300)
QUICK = Plan(120, 4, 5, 6, (100,), 5, 1.5, 5, 60)


@dataclass
class StepResult:
    name: str
    open_sockets: int
    chatters: int
    duration_s: float
    turns: list[Turn]
    cpu: dict[str, float]

    def ms(self, attr: str) -> list[float]:
        return [(getattr(t, attr) - t.sent) * 1000 for t in self.turns if getattr(t, attr) is not None]

    @property
    def failed(self) -> int:
        return sum(1 for t in self.turns if t.error is not None)

    @property
    def rate(self) -> float:
        return len(self.turns) / self.duration_s

    def split(self) -> str:
        """Where a reply's time goes, at the median and at p99: web, queue + interviewer, relay."""
        rows = [
            (t.sent, t.echo_added, t.reply_added, t.reply)
            for t in self.turns
            if t.echo_added is not None and t.reply_added is not None and t.reply is not None
        ]
        if not rows:
            return ""
        stages = {
            "frame -> echo appended (web)": [echo - sent for sent, echo, _, _ in rows],
            "echo -> reply appended (queue + interviewer)": [reply - echo for _, echo, reply, _ in rows],
            "reply appended -> client (relay)": [at - reply for _, _, reply, at in rows],
        }
        parts = [
            f"{name} {percentile(values, 50) * 1000:.1f} / {percentile(values, 99) * 1000:.1f} ms"
            for name, values in stages.items()
        ]
        return (
            f"{self.name}: where a reply's time goes, p50 / p99 of each stage (Redis stream ids, ms resolution): "
            + "; ".join(parts)
        )

    def reply_p99(self) -> float:
        # A failed turn counts as slower than any answered one.
        values = self.ms("reply") + [math.inf] * self.failed
        return percentile(values, 99)


@dataclass
class Report:
    plan: Plan
    quick: bool
    steps: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rss: dict[str, dict[str, int]] = field(default_factory=dict)  # moment -> process -> bytes
    memory: str = ""
    setup: str = ""
    dead_sockets: int = 0
    services: dict[str, str] = field(default_factory=dict)
    load: list[str] = field(default_factory=list)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "-"
    if math.isinf(value):
        return "failed"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ms(value: float) -> str:
    return "over the turn timeout (failed turns)" if math.isinf(value) else f"{_fmt(value)} ms"


CPU_COLUMNS = ("web", "interviewer", "timers", "client", "redis", "postgres")


def table_header() -> str:
    cols = ["scenario", "open", "chatting", "msg/s", "echo p50", "echo p99", "reply p50", "reply p99"]
    cols += ["reply max", "turns", "failed", *(f"{c} CPU" for c in CPU_COLUMNS), "other CPU"]
    cols += ["web CPU ms/turn", "worker CPU ms/turn"]
    return "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)


def row(step: StepResult) -> str:
    echo, reply = step.ms("echo"), step.ms("reply")
    other = step.cpu.get("machine", 0) - sum(step.cpu.get(c, 0) for c in CPU_COLUMNS)
    cells = [
        step.name,
        str(step.open_sockets),
        str(step.chatters),
        f"{step.rate:.0f}",
        _fmt(percentile(echo, 50)),
        _fmt(percentile(echo, 99)),
        _fmt(percentile(reply, 50)),
        _fmt(step.reply_p99()),
        _fmt(max(reply) if reply else math.nan),
        str(len(step.turns)),
        str(step.failed),
        *(f"{step.cpu.get(c, 0):.0f}%" for c in CPU_COLUMNS),
        f"{max(other, 0):.0f}%",
        *(
            _fmt(step.cpu.get(c, 0) * 10 * step.duration_s / max(len(step.turns), 1))
            for c in ("web", "interviewer")
        ),
    ]
    return "| " + " | ".join(cells) + " |"


def _crossings(steps: list[StepResult]) -> list[str]:
    sweep = [s for s in steps if s.name == "sweep"]
    if not sweep:
        return []
    lines = []
    for limit in (50.0, 200.0):
        over = next((s for s in sweep if s.reply_p99() > limit), None)
        if over is None:
            lines.append(f"sweep: reply p99 stays under {limit:.0f} ms up to {sweep[-1].chatters} chatters")
            continue
        below = [s for s in sweep if s.chatters < over.chatters and s.reply_p99() <= limit]
        since = (
            f"between {below[-1].chatters} and {over.chatters}" if below else f"already at {over.chatters}"
        )
        lines.append(
            f"sweep: reply p99 crosses {limit:.0f} ms {since} chatters "
            f"(p99 {_ms(over.reply_p99())} at {over.rate:.0f} msg/s)"
        )
    return lines


def render(report: Report) -> str:
    plan = report.plan
    target = next((s for s in report.steps if s.name.endswith("50 chatting")), None)
    met = target is not None and target.reply_p99() < TARGET_MS and report.dead_sockets == 0
    why = f"reply p99 {_ms(target.reply_p99())}" if target else "not reached"
    if report.dead_sockets:
        why += f"; {report.dead_sockets} of {plan.open_sessions} sockets received no event at all"
    moments = list(report.rss)
    info = machine()
    versions_line = ", ".join(f"{k} {v}" for k, v in {**versions(PACKAGES), **report.services}.items())
    out = [
        f"Run {now_utc()}{' with `--quick`' if report.quick else ''} on {info['cpus']} CPUs ({info['cpu']}), "
        f"{info['memory']}, {info['os']}, Python {info['python']}; load average "
        f"{' -> '.join(report.load)} (start -> end). Everything on loopback, client on the same machine.",
        "",
        "Latency in ms at the client from sending a chat frame to: **echo**, the user's own message "
        "relayed back (web process: PostgreSQL commit, XADD, relay); **reply**, the first interviewer "
        "`message`/`token` event of that turn (the whole pipeline through the Dramatiq worker). "
        f"Chatters think {THINK_S[0]}-{THINK_S[1]} s between turns (one message about every 2 s, the "
        f"pacing of the issue's own figures), except in the stress row; the first {plan.warmup_s:.0f} s of each "
        f"step are not counted; a turn without a reply in {plan.turn_timeout_s:.0f} s is failed and counts as "
        "slowest. CPU is % of one core over the measured window; *other* is the rest of the machine "
        "(processes that are not part of this run); CPU ms/turn includes idle polling, so it only means "
        "something under load.",
        "",
        table_header(),
        *(row(s) for s in report.steps),
        "",
        f"**Target** (reply p99 < {TARGET_MS:.0f} ms with {plan.open_sessions} sessions open, 50 chatting, "
        f"1 web process): **{'met' if met else 'MISSED'}** ({why}).",
        "",
        *(
            f"- {line}"
            for line in [
                *_crossings(report.steps),
                *(step.split() for step in report.steps if step.name != "sweep"),
                report.memory,
                report.setup,
                *report.notes,
            ]
            if line
        ),
        "",
        "| process RSS (MiB) | " + " | ".join(moments) + " |",
        "|---|" + "---|" * len(moments),
        *(
            f"| {name} | " + " | ".join(f"{report.rss[m][name] / 2**20:.0f}" for m in moments) + " |"
            for name in ("web", "interviewer", "timers")
        ),
        "",
        "Processes (the Procfile's lines): "
        + "; ".join(f"`{c}`" for c in report.commands)
        + "; no scheduler. "
        "PostgreSQL and Redis on 127.0.0.1, a fresh database and key namespace per run. "
        "Client: `websockets` asyncio on uvloop, default permessage-deflate, one socket per session.",
        "",
        f"Versions: {versions_line}.",
        "",
        "Run: `.venv/bin/python -m bench.chat_latency` (~4-6 minutes; `--quick`: ~1 minute, "
        f"{QUICK.open_sessions} sessions; `--py-spy PATH` profiles the target step).",
    ]
    return "\n".join(out)
