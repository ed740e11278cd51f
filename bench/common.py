"""The harness a benchmark shares: a throw-away stack (database, Redis namespace, the product's own
processes started as in the Procfile), process CPU/RSS from /proc, and the docs/benchmarks.md writer.

Benchmarks run the product the way production does (separate processes on loopback), so the figures
include every hop; nothing here imports the web tier or a worker.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# The fault tests' /proc helpers are the one copy (ports, process trees, sockets, memory).
from tests.scale.processes import tree_pids

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_PORT = 6379
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
BENCHMARKS_MD = ROOT / "docs" / "benchmarks.md"
_TICK = os.sysconf("SC_CLK_TCK")


def raise_nofile(wanted: int) -> int:
    """Raise this process's open-file limit (children inherit it); returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- processes --------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of one process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def pids_named(comm: str) -> list[int]:
    found = []
    for pid in _all_pids():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == comm:
                found.append(pid)
        except OSError:
            continue
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    return sum(stat[1] for pid in pids if (stat := _stat(pid)) is not None)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / _TICK


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def pids(self) -> list[int]:
        return tree_pids(self.popen.pid)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class CpuMeter:
    """CPU used by named groups of processes over an interval, in % of one core."""

    def __init__(self, read: Callable[[], dict[str, float]]) -> None:
        self._read = read
        self._start: dict[str, float] = {}
        self._t0 = 0.0

    def start(self) -> None:
        self._start, self._t0 = self._read(), time.perf_counter()

    def stop(self) -> dict[str, float]:
        now, elapsed = self._read(), time.perf_counter() - self._t0
        # max(0): a process that exited in between takes its CPU time with it
        return {name: max(0.0, 100 * (now[name] - self._start.get(name, 0.0)) / elapsed) for name in now}


def py_spy(
    binary: str, processes: dict[str, list[int]], seconds: float, outdir: Path
) -> list[subprocess.Popen[bytes]]:
    """Start sampling each process with py-spy (raw folded stacks); the caller waits for them."""
    outdir.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                binary,
                "record",
                "-p",
                str(pid),
                "-d",
                str(int(seconds)),
                "-r",
                "100",
                "-f",
                "raw",
                "--nonblocking",
                "-o",
                str(outdir / f"{name}-{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pids in processes.items()
        for pid in pids
    ]


def hot_frames(raw: Path, limit: int = 25, skip: tuple[str, ...] = ("threading.py", "queue.py")) -> list[str]:
    """The functions with the most samples on their stack (inclusive), from a py-spy raw profile."""
    inclusive: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        for frame in {f.split(":")[0] for f in stack.split(";")}:
            if not any(s in frame for s in skip):
                inclusive[frame] = inclusive.get(frame, 0) + int(count)
    ranked = sorted(inclusive.items(), key=lambda kv: -kv[1])[:limit]
    return [f"{100 * n / max(total, 1):5.1f}%  {frame}" for frame, n in ranked]


# --- the stack --------------------------------------------------------------------------------


class Stack:
    """A fresh PostgreSQL database and Redis namespace, and the processes started against them."""

    def __init__(self, label: str, extra_env: dict[str, str] | None = None) -> None:
        self.run_id = secrets.token_hex(5)
        self.namespace = f"rehearse-bench-{self.run_id}"
        self.db_name = f"rehearse_bench_{self.run_id}"
        self.db_url = make_url(PG_ADMIN_URL).set(database=self.db_name).render_as_string(hide_password=False)
        self.scratch = Path(tempfile.mkdtemp(prefix=f"rehearse-{label}-{self.run_id}-"))
        self.jwt_secret = secrets.token_urlsafe(48)
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.processes: dict[str, Process] = {}
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "REHEARSE_ENVIRONMENT": "development",
            "REHEARSE_DATABASE_URL": self.db_url,
            "REHEARSE_REDIS_URL": REDIS_URL,
            "REHEARSE_NAMESPACE": self.namespace,
            "REHEARSE_VAR_DIR": str(self.scratch / "var"),
            "REHEARSE_JWT_SECRET": self.jwt_secret,
            "REHEARSE_FRONTEND_DIR": str(self.scratch / "no-frontend"),
            **(extra_env or {}),
        }
        self._admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def create_database(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.db_name}"'))
        migrate = subprocess.run(
            [str(BIN / "alembic"), "upgrade", "head"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=120,
        )
        if migrate.returncode != 0:
            raise RuntimeError(f"alembic upgrade head failed:\n{migrate.stderr.decode(errors='replace')}")

    def set_database_option(self, name: str, value: str) -> None:
        """A per-database PostgreSQL setting (for diagnosis, e.g. synchronous_commit); before start()."""
        if not re.fullmatch(r"[a-z_]+", name) or not re.fullmatch(r"[a-z0-9_]+", value):
            raise ValueError(f"refusing setting {name}={value}")
        with self._admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.db_name}" SET {name} = {value}'))

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Process:
        log = self.scratch / f"{name}.log"
        with log.open("wb") as sink:
            popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env={**self.env, **(env or {})},
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one, never by name
            )
        self.processes[name] = process = Process(name, popen, log)
        return process

    def wait_http(self, url: str, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for process in self.processes.values():
                if process.popen.poll() is not None:
                    raise RuntimeError(f"{process.name} exited early:\n{process.tail()}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")

    def check_alive(self) -> None:
        for process in self.processes.values():
            if process.popen.poll() is not None:
                raise RuntimeError(f"{process.name} exited ({process.popen.returncode}):\n{process.tail()}")

    def stop_processes(self) -> None:
        for process in self.processes.values():
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=5)

    def close(self, keep_logs: bool = False) -> None:
        """Stop what we started, drop the database, delete the namespace's keys, remove scratch."""
        try:
            self.stop_processes()
        finally:
            try:
                with self._admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
                self._admin.dispose()
            finally:
                keys = list(self.redis.scan_iter(match=f"{self.namespace}:*", count=1000))
                for start in range(0, len(keys), 500):
                    self.redis.delete(*keys[start : start + 500])
                self.redis.close()
                if keep_logs:
                    print(f"process logs kept in {self.scratch}", file=sys.stderr)
                else:
                    shutil.rmtree(self.scratch, ignore_errors=True)


@contextmanager
def stack(label: str, extra_env: dict[str, str] | None = None, keep_logs: bool = False) -> Iterator[Stack]:
    created = Stack(label, extra_env)
    try:
        created.create_database()
        yield created
    except BaseException:
        for process in created.processes.values():  # the logs go with the scratch directory
            print(f"--- {process.name} log (last lines) ---\n{process.tail(40)}", file=sys.stderr)
        raise
    finally:
        created.close(keep_logs)


# --- the report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    return {
        "cpus": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def versions(packages: Iterable[str]) -> dict[str, str]:
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def redis_server_info(client: redis.Redis) -> dict[str, Any]:
    info: dict[str, Any] = client.info("server")  # type: ignore[assignment]  # sync client: a dict
    return info


def service_versions(client: redis.Redis) -> dict[str, str]:
    info = redis_server_info(client)
    engine = create_engine(PG_ADMIN_URL)
    with engine.connect() as connection:
        pg = connection.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return {"redis-server": str(info.get("redis_version")), "postgresql": str(pg)}


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def write_section(heading: str, body: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace the `## heading` section of docs/benchmarks.md (or append it), keeping the others."""
    text_now = (
        path.read_text()
        if path.exists()
        else "# Benchmarks\n\nWritten by `make bench` (the scripts under `bench/`).\n"
    )
    section = f"## {heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text_now):
        updated = pattern.sub(lambda _m: section + "\n", text_now, count=1)
    else:
        updated = text_now.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated.rstrip("\n") + "\n")
