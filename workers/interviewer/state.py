"""The interviewer's conversation state, stored as JSON on the session row."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator


class QuestionProgress(BaseModel):
    phase: str
    phase_turns: int = 0
    covered: list[str] = Field(default_factory=list)
    thin: list[str] = Field(default_factory=list)
    probed: list[str] = Field(default_factory=list)  # points asked about at least once
    deepened: list[str] = Field(default_factory=list)  # covered points we went deeper on
    evidence: dict[str, str] = Field(default_factory=dict)  # point -> the candidate's best sentence
    hints_used: int = 0
    skipped: bool = False


class PendingReply(BaseModel):
    """A decided reply not yet written (it is being phrased by the LLM)."""

    text: str
    end_session: bool = False


class InterviewState(BaseModel):
    current: str | None = None
    order: list[str] = Field(default_factory=list)  # questions asked, in order
    progress: dict[str, QuestionProgress] = Field(default_factory=dict)
    asked: list[str] = Field(default_factory=list)  # every prompt asked, so none is repeated verbatim
    last_prompt: str = ""
    last_prompt_is_question: bool = False
    awaiting_done_confirmation: bool = False
    wrapped_up: bool = False
    turns: int = 0
    encouragements: int = 0
    diagram_asked: list[str] = Field(default_factory=list)  # diagram gaps already raised
    code_asked: list[str] = Field(default_factory=list)  # code observations already raised
    commented_runs: list[int] = Field(default_factory=list)
    question_started_s: float = 0.0  # elapsed seconds when the current question began
    pending: dict[str, PendingReply] = Field(default_factory=dict)  # turn key -> decided, not written

    @field_validator("pending", mode="before")
    @classmethod
    def _text_only_pending(cls, value: Any) -> Any:
        """Rows written before the end flag was kept hold the bare text."""
        if isinstance(value, dict):
            return {k: {"text": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @classmethod
    def load(cls, raw: dict[str, Any] | None) -> InterviewState:
        return cls.model_validate(raw or {})

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def progress_of(self, question_id: str) -> QuestionProgress:
        return self.progress[question_id]

    @property
    def hints_total(self) -> int:
        return sum(p.hints_used for p in self.progress.values())
