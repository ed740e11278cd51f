"""Removes finished sandbox containers in the background.

Removing a container costs 60-200 ms on podman; doing it after the verdict is returned keeps it off
the candidate's wait. The container has already exited (or been SIGKILLed) when it gets here, so a
pending removal holds no running code. If the process dies with removals pending, the janitor
sweeps the leftovers by label.
"""

import logging
import queue
import threading

import docker
import docker.errors

log = logging.getLogger(__name__)


class Reaper:
    def __init__(self, api: docker.APIClient, threads: int = 2) -> None:
        self.api = api
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.threads = [
            threading.Thread(target=self._work, name=f"sandbox-reaper-{i}", daemon=True)
            for i in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def remove(self, container_id: str) -> None:
        self.queue.put(container_id)

    def flush(self) -> None:
        """Wait until every removal asked for so far is done (tests, shutdown)."""
        self.queue.join()

    def close(self) -> None:
        self.flush()
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join(timeout=5)

    def _work(self) -> None:
        while (container_id := self.queue.get()) is not None:
            try:
                self.api.remove_container(container_id, force=True)
            except docker.errors.NotFound:
                pass
            except Exception:
                log.warning("could not remove sandbox container %s", container_id, exc_info=True)
            finally:
                self.queue.task_done()
        self.queue.task_done()
