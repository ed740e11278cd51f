"""Pre-started, single-use sandbox containers: hides container start-up (200-500 ms on podman).

A pooled container has started its launcher and waits for its payload on stdin; it has run no
code. A run takes one, sends the code, and the container is destroyed afterwards like any other;
a replacement is started in the background. Nothing is ever exec'd into a used container.

Thread-safe: Dramatiq runs actors in threads. When the pool is empty or the engine cannot start
containers, a run falls back to a cold start, which raises EngineUnavailable if the engine is down.
"""

import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from workers.execution.sandbox import IMAGES, EngineUnavailable, Language, RunRequest, Sandbox, Verdict

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0


class Pool:
    def __init__(
        self,
        sandbox: Sandbox,
        size: int = 2,
        *,
        memory_mb: int = 256,
        max_idle_s: float = 120.0,
        starters: int = 2,
    ) -> None:
        """size: ready containers per image; max_idle_s must stay below the janitor's max age."""
        self.sandbox = sandbox
        self.size = size
        self.memory_mb = memory_mb
        self.max_idle_s = max_idle_s
        # One language per image is enough to start it (JavaScript and TypeScript share one).
        self.languages = {IMAGES[language]: language for language in Language}
        self._ready: dict[str, deque[tuple[str, float]]] = {image: deque() for image in self.languages}
        self._starting = dict.fromkeys(self.languages, 0)
        self._backoff = dict.fromkeys(self.languages, 0.0)
        self._retry_at = dict.fromkeys(self.languages, 0.0)
        self._lock = threading.Lock()
        self._closed = False
        self._starter = ThreadPoolExecutor(max_workers=starters, thread_name_prefix="sandbox-pool")
        for image in self.languages:
            self._refill(image)

    def run(self, request: RunRequest) -> Verdict:
        if request.memory_mb != self.memory_mb:
            return self.sandbox.run(request)  # pooled containers carry the default memory limit
        image = IMAGES[request.language]
        container_id = self._take(image)
        if container_id is not None:
            try:
                return self.sandbox.execute(container_id, request)
            except EngineUnavailable:
                log.warning("pooled sandbox %s failed; retrying cold", container_id[:12], exc_info=True)
        return self.sandbox.run(request)

    def ready_count(self, language: Language) -> int:
        with self._lock:
            return len(self._ready[IMAGES[language]])

    def wait_ready(self, timeout: float = 30.0) -> bool:
        """Block until every image has `size` ready containers (tests and benchmarks)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if all(len(ready) >= self.size for ready in self._ready.values()):
                    return True
            time.sleep(0.02)
        return False

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._starter.shutdown(wait=True)
        with self._lock:
            leftovers = [cid for ready in self._ready.values() for cid, _ in ready]
            for ready in self._ready.values():
                ready.clear()
        for container_id in leftovers:
            self.sandbox.reaper.remove(container_id)

    def _take(self, image: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            ready = self._ready[image]
            while ready:
                container_id, started = ready.popleft()
                if now - started < self.max_idle_s:
                    break
                self.sandbox.reaper.remove(container_id)  # stale: the janitor might be near
            else:
                container_id = None
        self._refill(image)
        return container_id

    def _refill(self, image: str) -> None:
        with self._lock:
            if self._closed or time.monotonic() < self._retry_at[image]:
                return
            missing = self.size - len(self._ready[image]) - self._starting[image]
            self._starting[image] += max(missing, 0)
        for _ in range(missing):
            self._starter.submit(self._start_one, image)

    def _start_one(self, image: str) -> None:
        try:
            container_id = self.sandbox.start_container(self.languages[image], self.memory_mb, pooled=True)
        except EngineUnavailable:
            with self._lock:
                self._starting[image] -= 1
                self._backoff[image] = min(max(self._backoff[image] * 2, 0.5), MAX_BACKOFF_S)
                self._retry_at[image] = time.monotonic() + self._backoff[image]
            log.warning("sandbox pool cannot start %s; cold runs until it can", image, exc_info=True)
            return
        with self._lock:
            self._starting[image] -= 1
            self._backoff[image] = 0.0
            if not self._closed:
                self._ready[image].append((container_id, time.monotonic()))
                return
        self.sandbox.reaper.remove(container_id)
