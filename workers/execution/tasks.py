"""Execution pool actors."""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.middleware import CurrentMessage

from models.broker import broker  # sets the broker before the actors are declared
from models.jobs import CleanSandboxes, Queue, RunCode
from models.runtime import worker_runtime
from workers.execution import service

MAX_RETRIES = 3


@dramatiq.actor(
    actor_name=RunCode.actor_name,
    queue_name=Queue.EXECUTION.value,
    # A backstop only: the sandbox enforces its own deadline and kills the container.
    time_limit=90_000,
    max_retries=MAX_RETRIES,
    min_backoff=500,
    max_backoff=5_000,
)
def run_code(**payload: Any) -> dict[str, Any]:
    job = RunCode.model_validate(payload)
    message = CurrentMessage.get_current_message()
    retries = int(message.options.get("retries", 0)) if message else MAX_RETRIES
    return service.run_submission(worker_runtime(), job.submission_id, final_attempt=retries >= MAX_RETRIES)


@dramatiq.actor(
    actor_name=CleanSandboxes.actor_name, queue_name=Queue.EXECUTION.value, time_limit=60_000, max_retries=0
)
def clean_up(**payload: Any) -> None:
    CleanSandboxes.model_validate(payload)
    service.clean_up(worker_runtime())


class WarmSandboxPool(dramatiq.Middleware):
    """Start the pool's containers when a worker process boots, so the first run is a warm one."""

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        try:
            service.sandbox_pool(worker_runtime().settings)
        except Exception:  # the engine may come up later; runs retry and fall back to cold starts
            service.log.warning("could not pre-start sandbox containers", exc_info=True)

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        service.close_pool()


broker.add_middleware(WarmSandboxPool())
