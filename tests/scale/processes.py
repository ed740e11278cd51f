"""Product processes started the way the Procfile starts them, each in its own process group.

A process group is what a supervisor (honcho, compose, systemd) stops or what a crash takes down:
`kill(SIGKILL)` hits the Dramatiq master and its forked worker together, never anything by name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _parents() -> dict[int, int]:
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        found[int(name)] = int(raw[raw.rindex(")") + 2 :].split()[1])
    return found


def tree_pids(root: int) -> list[int]:
    """`root` and its descendants (Dramatiq's CLI forks its worker processes)."""
    parents = _parents()
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return sorted(pid for pid in found if pid in parents)


def _socket_inodes(pids: Iterable[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    return inodes


def _tcp_sockets(pids: Iterable[int]) -> Iterator[tuple[int, int, bool]]:
    """(local port, remote port, established) of every TCP socket these processes hold, from /proc."""
    inodes = _socket_inodes(pids)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if cols[9] in inodes:
                local, remote = int(cols[1].rsplit(":", 1)[1], 16), int(cols[2].rsplit(":", 1)[1], 16)
                yield local, remote, cols[3] == "01"


def connections_to(pids: Iterable[int], port: int) -> int:
    """Established TCP connections that these processes hold to 127.0.0.1:`port`."""
    return sum(1 for _, remote, established in _tcp_sockets(pids) if established and remote == port)


def owns_connection(pids: Iterable[int], local_port: int, remote_port: int) -> bool:
    """Whether one of these processes holds the TCP connection 127.0.0.1:local_port -> :remote_port."""
    return any(local == local_port and remote == remote_port for local, remote, _ in _tcp_sockets(pids))


def rss_bytes(pids: Iterable[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class Proc:
    """One product process (web, a pool) that can be killed and started again with the same line."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None
    starts: int = 0
    history: list[int] = field(default_factory=list)  # every pid it ever had

    def start(self) -> Proc:
        with self.log.open("ab") as sink:
            sink.write(f"\n--- start {self.starts + 1}: {' '.join(self.argv)}\n".encode())
            sink.flush()
            self.popen = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        self.history.append(self.popen.pid)
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def pids(self) -> list[int]:
        return tree_pids(self.pid) if self.alive() else []

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """Signal the whole process group (the Dramatiq master and its worker die together)."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        if sig == signal.SIGKILL:
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        self.kill(signal.SIGTERM)
        assert self.popen is not None
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""


def wait_until(probe, timeout: float, interval: float = 0.05, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll `probe` until it returns something truthy (bounded in time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout:.1f} s (last value: {value!r})")
        time.sleep(interval)
