"""Run untrusted Python, JavaScript and TypeScript in hardened, single-use containers.

Every run gets a fresh container that is destroyed afterwards; nothing is ever exec'd into a
container that already ran code. The code reaches the container through its stdin (the image's
launcher reads one JSON line), so no host path is mounted. Limits are enforced by the kernel
(cgroups, rlimits) and by this runner from outside (deadline and output cap, see stream.py).
"""

import contextlib
import json
import time
import uuid
from enum import StrEnum
from typing import Literal

import docker
import docker.errors
import requests.exceptions
from docker.types import Ulimit
from pydantic import BaseModel, Field

from workers.execution.reaper import Reaper
from workers.execution.stream import Captured, Exchange, LauncherDidNotStart, raw_socket

API_VERSION = "1.41"
LABEL = "rehearse.sandbox"
CREATED_LABEL = "rehearse.created"
POOLED_LABEL = "rehearse.pooled"
UID = "10001:10001"
TMPFS_MB = 32
FILE_SIZE_LIMIT = 16 << 20


class Language(StrEnum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"


IMAGES = {
    Language.PYTHON: "rehearse-sandbox-python:latest",
    Language.JAVASCRIPT: "rehearse-sandbox-node:latest",
    Language.TYPESCRIPT: "rehearse-sandbox-node:latest",
}


class RunRequest(BaseModel):
    language: Language
    code: str = Field(max_length=100_000)
    stdin: str = Field(default="", max_length=1 << 20)
    time_limit_s: float = Field(default=5, gt=0, le=10)
    memory_mb: int = Field(default=256, ge=64, le=1024)
    output_limit: int = Field(default=64 << 10, ge=1024, le=1 << 20, description="bytes per stream")


Status = Literal["ok", "error", "timeout", "memory_limit", "output_limit"]


class Verdict(BaseModel):
    status: Status
    stdout: str
    stderr: str
    exit_code: int | None
    duration_ms: int
    truncated: bool = False


class EngineUnavailable(RuntimeError):
    """The container engine cannot start or run a sandbox; worth retrying later."""


# What a connection failure to the engine looks like through docker-py.
ENGINE_ERRORS = (
    docker.errors.APIError,
    docker.errors.DockerException,
    requests.exceptions.RequestException,
    OSError,
)


def host_config(api: docker.APIClient, memory_mb: int) -> dict[str, object]:
    """The hardening applied to every sandbox container."""
    small_tmpfs = "rw,noexec,nosuid,nodev,size=1m"
    return api.create_host_config(  # type: ignore[no-any-return]
        network_mode="none",
        read_only=True,
        # podman mounts writable /run and /var/tmp under a read-only root: cap them explicitly.
        tmpfs={
            "/tmp": f"rw,noexec,nosuid,nodev,size={TMPFS_MB}m,mode=1777",
            "/run": small_tmpfs,
            "/var/tmp": small_tmpfs,
        },
        shm_size="8m",
        mem_limit=f"{memory_mb}m",
        memswap_limit=f"{memory_mb}m",  # equal to mem_limit: no swap
        nano_cpus=1_000_000_000,
        pids_limit=64,
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        # podman needs nofile AND nproc set together, or it adds a default above its own limit.
        # nproc counts per uid across all sandboxes (no user namespace): pids_limit is the guard.
        ulimits=[
            Ulimit(name="nofile", soft=256, hard=256),
            Ulimit(name="nproc", soft=4096, hard=4096),
            Ulimit(name="fsize", soft=FILE_SIZE_LIMIT, hard=FILE_SIZE_LIMIT),
            Ulimit(name="core", soft=0, hard=0),
        ],
    )


class Sandbox:
    """Starts and runs sandbox containers through a Docker Engine API (Docker or podman)."""

    def __init__(self, docker_host: str, *, labels: dict[str, str] | None = None) -> None:
        """labels: added to every container (e.g. the worker's name), for debugging and tests."""
        # A pinned API version (podman 4.3 speaks 1.41) skips a /version round trip at start-up.
        self.client = docker.DockerClient(
            base_url=docker_host, version=API_VERSION, max_pool_size=64, timeout=30
        )
        self.api: docker.APIClient = self.client.api
        self.labels = {**(labels or {}), LABEL: "1"}
        self.reaper = Reaper(self.api)

    def run(self, request: RunRequest) -> Verdict:
        """A cold run: start a fresh container for this request alone."""
        return self.execute(self.start_container(request.language, request.memory_mb), request)

    def start_container(self, language: Language, memory_mb: int, *, pooled: bool = False) -> str:
        """Create and start a container whose launcher waits for its payload on stdin."""
        container_id: str | None = None
        try:
            created = self.api.create_container(
                IMAGES[language],
                stdin_open=True,
                user=UID,
                environment={},
                hostname="sandbox",
                network_disabled=True,
                labels={**self.labels, CREATED_LABEL: str(int(time.time())), POOLED_LABEL: str(int(pooled))},
                name=f"rehearse-sandbox-{uuid.uuid4().hex[:12]}",
                host_config=host_config(self.api, memory_mb),
            )
            container_id = str(created["Id"])
            self.api.start(container_id)
            return container_id
        except ENGINE_ERRORS as exc:
            if container_id:
                self.reaper.remove(container_id)
            raise EngineUnavailable(f"cannot start a sandbox container: {exc}") from exc

    def execute(self, container_id: str, request: RunRequest) -> Verdict:
        """Send the request to a started, unused container and judge the run; always removes it."""
        state: dict[str, object] = {}
        try:
            try:
                attached = self.api.attach_socket(
                    container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
                )
            except ENGINE_ERRORS as exc:
                raise EngineUnavailable(f"cannot attach to the sandbox: {exc}") from exc
            sock = raw_socket(attached)
            exchange = Exchange(
                sock, request.time_limit_s, request.output_limit, lambda: self.kill(container_id)
            )
            try:
                captured = exchange.run(payload(request))
            except (OSError, LauncherDidNotStart) as exc:  # the engine dropped the stream, or worse
                raise EngineUnavailable(f"sandbox run failed: {exc}") from exc
            finally:
                sock.close()
            state = self.final_state(container_id)
            return judge(captured, state)
        finally:
            if not state:
                self.kill(container_id)  # exit not confirmed: never leave code running
            # Removal is off the hot path (podman takes 60-200 ms); see Reaper.
            self.reaper.remove(container_id)

    def kill(self, container_id: str) -> None:
        with contextlib.suppress(*ENGINE_ERRORS):  # already exited (409) or gone (404)
            self.api.kill(container_id, signal="SIGKILL")

    def final_state(self, container_id: str) -> dict[str, object]:
        """State after the stream closed; the engine may need a moment to record the exit."""
        for _ in range(50):
            try:
                state: dict[str, object] = self.api.inspect_container(container_id)["State"]
            except ENGINE_ERRORS:
                return {}
            if not state.get("Running"):
                return state
            time.sleep(0.01)
        return {}

    def close(self) -> None:
        self.reaper.close()
        self.client.close()


def judge(captured: Captured, state: dict[str, object]) -> Verdict:
    exit_code = state.get("ExitCode")
    stderr = captured.stderr.decode("utf-8", "replace")
    status: Status
    if captured.truncated:
        status = "output_limit"
    elif captured.timed_out:
        status = "timeout"
    elif state.get("OOMKilled") or exit_code == 137 or out_of_memory_message(stderr):
        # PID 1 cannot be SIGKILLed from inside its namespace, and we did not kill it:
        # a 137 here is the kernel's OOM killer even when the engine did not flag it.
        status = "memory_limit"
    elif exit_code != 0 or not captured.stream_closed:
        status = "error"
    else:
        status = "ok"
    return Verdict(
        status=status,
        stdout=captured.stdout.decode("utf-8", "replace"),
        stderr=stderr,
        exit_code=exit_code if isinstance(exit_code, int) else None,
        duration_ms=captured.duration_ms,
        truncated=captured.truncated,
    )


def payload(request: RunRequest) -> bytes:
    """One JSON line; json.dumps escapes newlines, so the line ends at the only b'\\n'."""
    body = {"language": request.language.value, "code": request.code, "stdin": request.stdin}
    return json.dumps(body).encode() + b"\n"


def out_of_memory_message(stderr: str) -> bool:
    """The runtimes' own out-of-memory deaths, before the cgroup's killer gets to them."""
    tail = stderr[-2000:]
    return "JavaScript heap out of memory" in tail or tail.rstrip().endswith("MemoryError")
