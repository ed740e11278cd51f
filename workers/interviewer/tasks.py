"""Interviewer pool actors: thin wrappers that validate the payload and call the service."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import dramatiq

from models.bank import load_banks
from models.broker import broker  # sets the broker before the actors are declared
from models.jobs import InterviewerNudge, InterviewerTurn, Queue
from models.runtime import worker_runtime
from workers.analysis import coverage
from workers.analysis.warmup import BackgroundWarmUp
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


def _warm_up_steps() -> list[Callable[[], object]]:
    """Embed each question's rubric, one question per step."""
    return [partial(coverage.warm, [question]) for question in load_banks().values()]


broker.add_middleware(BackgroundWarmUp("interviewer", _warm_up_steps))
