"""Interviewer pool actors: thin wrappers that validate the payload and call the service."""

from __future__ import annotations

import threading
from typing import Any

import dramatiq

from models.bank import load_banks
from models.broker import broker  # sets the broker before the actors are declared
from models.jobs import InterviewerNudge, InterviewerTurn, Queue
from models.runtime import worker_runtime
from workers.analysis import coverage
from workers.interviewer import service


@dramatiq.actor(
    actor_name=InterviewerTurn.actor_name,
    queue_name=Queue.INTERVIEWER.value,
    time_limit=60_000,
    max_retries=3,
)
def take_turn(**payload: Any) -> None:
    service.take_turn(worker_runtime(), InterviewerTurn.model_validate(payload))


@dramatiq.actor(
    actor_name=InterviewerNudge.actor_name,
    queue_name=Queue.INTERVIEWER.value,
    time_limit=30_000,
    max_retries=3,
)
def nudge(**payload: Any) -> None:
    service.nudge(worker_runtime(), InterviewerNudge.model_validate(payload))


class WarmInterviewer(dramatiq.Middleware):
    """Parse the banks and embed every rubric when a worker process boots: otherwise the first
    turns after a deploy pay for it (all threads parsing the same YAML at once took 15-36 s)."""

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # In the background: a turn that arrives first simply embeds its own question.
        threading.Thread(
            target=lambda: coverage.warm(load_banks().values()), name="interviewer-warm", daemon=True
        ).start()


broker.add_middleware(WarmInterviewer())
