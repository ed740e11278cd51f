"""Warm a worker's models in the background after it boots, and stop cleanly when it shuts down.

The first jobs after a deploy should not pay for loading the encoder and embedding every rubric
(all threads parsing and embedding at once took 15-36 s). The warm-up runs in one thread, step by
step. Not at a lower priority: the encoder's native threads are created by the thread that loads it
and would inherit that niceness for the worker's whole life. At shutdown it stops between steps and
is waited for: a thread still inside the native encoder when the interpreter exits can abort the
process ("terminate called without an active exception", exit 134).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import dramatiq

from models.heap import freeze_startup_objects

log = logging.getLogger("rehearse.warmup")
Step = Callable[[], object]


class BackgroundWarmUp(dramatiq.Middleware):
    def __init__(self, name: str, steps: Callable[[], Iterable[Step]]) -> None:
        self.name = name
        self._steps = steps
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name=f"{self.name}-warm", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def run(self) -> None:
        try:
            for step in self._steps():
                if self._stop.is_set():
                    return
                step()
            freeze_startup_objects()  # the models and banks live as long as the process
        except Exception:  # a cold first job is slower, not broken
            log.warning("could not warm the %s models", self.name, exc_info=True)
