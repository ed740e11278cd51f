"""Job payloads: one pydantic model per actor, imported by the sender and by the actor.

Payloads carry ids only; the actor re-reads the rows it needs. The front door enqueues by actor
name (`models.broker.enqueue`), so it never imports a worker's code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Queue(StrEnum):
    INTERVIEWER = "interviewer"
    EXECUTION = "execution"
    FEEDBACK = "feedback"
    TIMERS = "timers"


class Job(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actor_name: ClassVar[str]
    queue: ClassVar[Queue]


class InterviewerTurn(Job):
    """Answer user message `message_id`, comment on code run `code_submission_id`, or (neither)
    open the interview."""

    actor_name = "interviewer.take_turn"
    queue = Queue.INTERVIEWER

    session_id: str
    message_id: int | None = None
    code_submission_id: int | None = None

    @property
    def turn_key(self) -> str:
        """Unique per session: the reply to one trigger is written once, however often it is delivered."""
        if self.message_id is not None:
            return f"reply:{self.message_id}"
        if self.code_submission_id is not None:
            return f"code:{self.code_submission_id}"
        return "open"


class InterviewerNudge(Job):
    """Nudge a silent candidate, once, after the AI message `after_message_id`."""

    actor_name = "interviewer.nudge"
    queue = Queue.INTERVIEWER

    session_id: str
    after_message_id: int


class RunCode(Job):
    actor_name = "execution.run_code"
    queue = Queue.EXECUTION

    submission_id: int


class CleanSandboxes(Job):
    """Periodic: remove sandbox containers left behind by a crashed or killed execution worker."""

    actor_name = "execution.clean_up"
    queue = Queue.EXECUTION


class ScoreSession(Job):
    actor_name = "feedback.score_session"
    queue = Queue.FEEDBACK

    session_id: str


class ExpireSession(Job):
    actor_name = "timers.expire_session"
    queue = Queue.TIMERS

    session_id: str


class Sweep(Job):
    """Periodic: expire overdue sessions and nudge silent ones that delayed jobs missed."""

    actor_name = "timers.sweep"
    queue = Queue.TIMERS
