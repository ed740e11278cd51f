"""What one turn knows: the question, the state, the clock, the latest code and diagram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from models.bank import Question
from workers.interviewer.state import InterviewState

Trigger = Literal["open", "message", "code_run"]


@dataclass(frozen=True)
class CodeSnapshot:
    submission_id: int
    language: str
    code: str
    status: str
    stdout: str
    stderr: str


@dataclass
class TurnContext:
    session_type: str
    level: str
    question: Question
    state: InterviewState
    trigger: Trigger
    elapsed_s: float
    total_s: float
    user_text: str = ""
    code: CodeSnapshot | None = None
    diagram: dict[str, Any] | None = None
    recently_seen: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (sender, text), for the LLM only

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.total_s - self.elapsed_s)


@dataclass
class Move:
    """The interviewer's decision: what kind of move, and the built-in wording of it."""

    kind: str
    text: str
    end_session: bool = False
    covered_now: list[str] = field(default_factory=list)
