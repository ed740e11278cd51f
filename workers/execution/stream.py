"""The wire between the runner and a sandbox container's attach stream.

The runner sends one JSON line (code and stdin) to the container's stdin and reads its stdout and
stderr back as the Engine API's multiplexed frames (8-byte header: stream id, 3 zero bytes, size).
The launcher answers with one NUL byte on stdout once it holds the payload, just before the
program starts: the deadline counts from there, so a slow container start on a busy machine is
not charged to the candidate. The deadline and the output cap are enforced here, from outside the
container: at either one the container is SIGKILLed through the engine, never asked politely.
"""

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

START_TIMEOUT_S = 30.0  # payload sent -> launcher ready; past it the engine is in trouble
KILL_GRACE_S = 3.0  # after a kill the engine closes the stream within milliseconds
HEADER = 8
STDOUT, STDERR = 1, 2
READY = b"\0"


class LauncherDidNotStart(RuntimeError):
    """The launcher never acknowledged its payload: an engine or image problem, not the code's."""


@dataclass
class Captured:
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    truncated: bool = False
    timed_out: bool = False
    stream_closed: bool = False  # the engine ended the stream: the container exited
    duration_ms: int = 0


def raw_socket(attached: object) -> socket.socket:
    """The plain socket under what docker-py's attach_socket returns (SocketIO or socket)."""
    sock = getattr(attached, "_sock", attached)
    assert isinstance(sock, socket.socket)
    return sock


@dataclass
class Exchange:
    """One run's conversation: send the payload, collect output until EOF, kill at a limit."""

    sock: socket.socket
    time_limit_s: float
    output_limit: int
    kill: Callable[[], None]
    out: Captured = field(default_factory=Captured)
    started_at: float | None = None  # when the launcher said READY
    killed_at: float | None = None
    killer: threading.Thread | None = None
    pending: bytearray = field(default_factory=bytearray)

    def run(self, payload: bytes) -> Captured:
        sent_at = time.monotonic()
        self.sock.settimeout(START_TIMEOUT_S)
        self.sock.sendall(payload)
        while (chunk := self._receive(sent_at)) is not None:
            if not chunk:
                self.out.stream_closed = True
                break
            self.pending += chunk
            if self._take_frames() and self.killed_at is None:
                self._kill()  # over the output cap
        if self.killer is not None:
            self.killer.join(KILL_GRACE_S)
        if self.started_at is None:
            said = self.out.stderr.decode("utf-8", "replace")[-500:]
            raise LauncherDidNotStart(f"the sandbox launcher never acknowledged its payload: {said!r}")
        ended = self.killed_at or time.monotonic()
        self.out.duration_ms = round((ended - self.started_at) * 1000)
        return self.out

    def _receive(self, sent_at: float) -> bytes | None:
        """The next chunk, b'' at EOF, or None when a kill's grace ran out or it never started."""
        while True:
            now = time.monotonic()
            if self.killed_at is not None:
                limit = self.killed_at + KILL_GRACE_S
            elif self.started_at is not None:
                limit = self.started_at + self.time_limit_s
            else:
                limit = sent_at + START_TIMEOUT_S
            if now >= limit:
                if self.killed_at is not None:
                    return None  # killed, yet the stream stays open: the caller removes it
                self.out.timed_out = self.started_at is not None
                self._kill()
                continue
            self.sock.settimeout(limit - now)
            try:
                return self.sock.recv(1 << 16)
            except TimeoutError:
                continue

    def _kill(self) -> None:
        """Kill while this thread keeps draining the stream: podman's kill waits for the exit, which
        its conmon cannot report while blocked writing output nobody reads (a 5 s stall otherwise)."""
        self.killed_at = time.monotonic()
        self.killer = threading.Thread(target=self.kill, name="sandbox-kill", daemon=True)
        self.killer.start()

    def _take_frames(self) -> bool:
        """Move complete frames into out; True when a stream just went over the cap."""
        overflowed = False
        pending = self.pending
        while len(pending) >= HEADER:
            size = int.from_bytes(pending[4:HEADER], "big")
            if len(pending) < HEADER + size:
                break
            stream_id, data = pending[0], bytes(pending[HEADER : HEADER + size])
            del pending[: HEADER + size]
            if stream_id == STDOUT and self.started_at is None and data[:1] == READY:
                self.started_at = time.monotonic()
                data = data[1:]
            overflowed |= self._keep(stream_id, data)
        return overflowed

    def _keep(self, stream_id: int, data: bytes) -> bool:
        target = self.out.stdout if stream_id == STDOUT else self.out.stderr if stream_id == STDERR else None
        if target is None or not data:
            return False
        room = self.output_limit - len(target)
        if room > 0:
            target += data[:room]
        if len(data) > room and not self.out.truncated:
            self.out.truncated = True
            return True
        return False
