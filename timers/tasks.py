"""Timers pool actors."""

from __future__ import annotations

from typing import Any

import dramatiq

from models.broker import broker  # noqa: F401  (sets the broker before the actors are declared)
from models.jobs import ExpireSession, Queue, Sweep
from models.runtime import worker_runtime
from timers import service


@dramatiq.actor(
    actor_name=ExpireSession.actor_name, queue_name=Queue.TIMERS.value, time_limit=30_000, max_retries=5
)
def expire_session(**payload: Any) -> None:
    service.expire_session(worker_runtime(), ExpireSession.model_validate(payload).session_id)


@dramatiq.actor(actor_name=Sweep.actor_name, queue_name=Queue.TIMERS.value, time_limit=60_000, max_retries=0)
def sweep(**payload: Any) -> None:
    Sweep.model_validate(payload)
    service.sweep(worker_runtime())
