"""The product's processes as the Procfile starts them, for benchmarks that run the real stack.

Each entry is (environment, argv) of one Procfile line without its metrics exporter (a bench
measures the processes, not Prometheus); uvicorn's host and port are added per run.
"""

from __future__ import annotations

import uuid

import httpx

from bench.common import BIN, Process, Stack
from tests.scale.processes import free_port

Command = tuple[dict[str, str], list[str]]

WEB: Command = (
    {},
    [
        "uvicorn",
        "--factory",
        "api.app:create_app",
        "--ws-max-size",
        "65536",
        "--ws-per-message-deflate",
        "false",
        "--no-access-log",
    ],
)
INTERVIEWER: Command = (
    {"dramatiq_worker_timeout": "10", "dramatiq_queue_prefetch": "32"},
    [
        "dramatiq",
        "workers.interviewer.tasks",
        "--queues",
        "interviewer",
        "--processes",
        "1",
        "--threads",
        "8",
    ],
)
EXECUTION: Command = (
    {"dramatiq_worker_timeout": "10"},
    ["dramatiq", "workers.execution.tasks", "--queues", "execution", "--processes", "1", "--threads", "4"],
)
FEEDBACK: Command = (
    {"dramatiq_worker_timeout": "100"},
    ["dramatiq", "workers.feedback.tasks", "--queues", "feedback", "--processes", "1", "--threads", "2"],
)
TIMERS: Command = (
    {"dramatiq_worker_timeout": "100"},
    ["dramatiq", "timers.tasks", "--queues", "timers", "--processes", "1", "--threads", "2"],
)


def command_line(env: dict[str, str], argv: list[str]) -> str:
    return " ".join([*(f"{k}={v}" for k, v in env.items()), *argv])


def start_processes(st: Stack, commands: dict[str, Command]) -> tuple[str, dict[str, Process]]:
    """Start each command from the venv's bin directory; returns the web address and the processes."""
    port = free_port()
    extra = {"web": ["--host", "127.0.0.1", "--port", str(port)]}
    procs = {
        name: st.start(name, [str(BIN / argv[0]), *argv[1:], *extra.get(name, [])], env=env)
        for name, (env, argv) in commands.items()
    }
    st.wait_http(f"http://127.0.0.1:{port}/healthz")
    return f"127.0.0.1:{port}", procs


def login(api: httpx.Client) -> None:
    """Register a fresh user through the API and send its bearer token from now on."""
    email, password = f"bench-{uuid.uuid4().hex[:10]}@example.com", "bench password never used"
    api.post("/auth/register", json={"email": email, "password": password}).raise_for_status()
    token = api.post("/auth/token", json={"email": email, "password": password}).json()["access_token"]
    api.headers["Authorization"] = f"Bearer {token}"
