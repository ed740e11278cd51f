"""Dramatiq's Prometheus exporter: off unless asked for, and on its own port per pool when asked."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from dramatiq.middleware.prometheus import Prometheus

from config import Settings
from models.broker import broker, build_broker, message_for
from models.jobs import Sweep
from tests.fixtures.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_the_exporter_is_opt_in() -> None:
    assert not any(isinstance(m, Prometheus) for m in broker.middleware)  # tests and the web tier
    enabled = build_broker(Settings(worker_metrics=True))
    assert any(isinstance(m, Prometheus) for m in enabled.middleware)


def test_a_pool_serves_its_metrics_on_its_own_port(tmp_path: Path) -> None:
    namespace = f"{os.environ['REHEARSE_NAMESPACE']}:prom"  # no other worker takes its messages
    port = _free_port()
    with _pool("timers.tasks", "timers", namespace, port, tmp_path):
        metrics = f"http://127.0.0.1:{port}/"
        wait_for(lambda: _answers(metrics), timeout=30)
        build_broker(Settings(namespace=namespace)).enqueue(message_for(Sweep()))
        text = wait_for(
            lambda: _sample(metrics, 'dramatiq_messages_total{actor_name="timers.sweep"'), timeout=20
        )
    assert 'queue_name="timers"' in text


@contextmanager
def _pool(module: str, queue: str, namespace: str, port: int, scratch: Path) -> Iterator[None]:
    env = {
        **os.environ,
        "REHEARSE_NAMESPACE": namespace,
        "REHEARSE_WORKER_METRICS": "true",
        "dramatiq_prom_port": str(port),
        "dramatiq_prom_host": "127.0.0.1",
        "dramatiq_prom_db": str(scratch),  # Prometheus's multiprocess files, fresh per run
    }
    command = [
        sys.executable,
        "-m",
        "dramatiq",
        module,
        "--queues",
        queue,
        "--processes",
        "1",
        "--threads",
        "1",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the pool's own process group: main, worker, exporter
        process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _sample(url: str, prefix: str) -> str | None:
    text = httpx.get(url, timeout=2).text
    return text if any(line.startswith(prefix) for line in text.splitlines()) else None
