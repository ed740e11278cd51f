"""Feedback pool actors."""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.middleware import CurrentMessage

from models.broker import broker  # sets the broker before the actors are declared
from models.jobs import Queue, ScoreSession
from models.runtime import worker_runtime
from workers.analysis.warmup import BackgroundWarmUp
from workers.feedback import service

MAX_RETRIES = 3


@dramatiq.actor(
    actor_name=ScoreSession.actor_name,
    queue_name=Queue.FEEDBACK.value,
    # A backstop: each code check waits a bounded time for its verdict, the LLM grader has its own.
    time_limit=300_000,
    max_retries=MAX_RETRIES,
    min_backoff=1_000,
    max_backoff=30_000,
)
def score_session(**payload: Any) -> None:
    job = ScoreSession.model_validate(payload)
    rt = worker_runtime()
    try:
        service.score_session(rt, job.session_id)
    except Exception:
        message = CurrentMessage.get_current_message()
        if message is None or int(message.options.get("retries", 0)) >= MAX_RETRIES:
            service.mark_failed(rt, job.session_id)
        raise


broker.add_middleware(BackgroundWarmUp("feedback", service.warm_up_steps))
