"""The feedback report: one versioned pydantic model, written by the feedback pool, served by the API.

The rules scorer and the optional LLM grader produce the same `ReportBody`; the scorer stamps the
facts it owns (version, scorer, rubric version, level, per-question breakdown, hints) around it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_VERSION = 1
NOT_ENOUGH_EVIDENCE = "not enough evidence"

EvidenceKind = Literal["transcript", "code", "test", "diagram"]
Verdict = Literal["strong_hire", "hire", "lean_no_hire", "no_hire"]
VERDICTS: tuple[Verdict, ...] = ("strong_hire", "hire", "lean_no_hire", "no_hire")


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Part):
    """A quote (transcript, code line, diagram element) or a measured fact (a test result)."""

    kind: EvidenceKind
    text: str = Field(min_length=1, max_length=600)
    ref: str | None = Field(default=None, max_length=80)


class Dimension(_Part):
    key: str = Field(pattern=r"^[a-z_]+$", max_length=40)
    name: str = Field(max_length=80)
    score: int | None = Field(ge=0, le=100)  # None: not enough evidence to score it
    evidence: list[Evidence] = Field(default_factory=list, max_length=8)
    note: str = Field(default="", max_length=600)
    weight: float = Field(default=0.0, ge=0, le=1)  # its share of the overall score


class Strength(_Part):
    text: str = Field(min_length=1, max_length=400)
    evidence: list[Evidence] = Field(default_factory=list, max_length=4)


class Improvement(_Part):
    text: str = Field(min_length=1, max_length=400)
    next_step: str = Field(min_length=1, max_length=500)
    evidence: list[Evidence] = Field(default_factory=list, max_length=4)


class QuestionBreakdown(_Part):
    question_id: str
    title: str
    score: int | None = Field(ge=0, le=100)
    points_covered: list[str] = Field(default_factory=list)
    points_missed: list[str] = Field(default_factory=list)
    hints_used: int = Field(default=0, ge=0)


class ReportBody(_Part):
    """What a grader judges: the rules scorer computes it, an LLM grader may propose it."""

    overall: int = Field(ge=0, le=100)
    verdict: Verdict
    dimensions: list[Dimension] = Field(min_length=1, max_length=12)
    strengths: list[Strength] = Field(default_factory=list, max_length=6)
    improvements: list[Improvement] = Field(default_factory=list, max_length=6)


class Report(ReportBody):
    version: int = REPORT_VERSION
    scorer: str = Field(pattern=r"^(rules|llm:.+)$")  # "rules" or "llm:<model>"
    rubric_version: str
    session_type: Literal["system_design", "coding", "behavioral"]
    level: str | None
    questions: list[QuestionBreakdown] = Field(default_factory=list)
    hints_used: int = Field(default=0, ge=0)
    notes: list[str] = Field(default_factory=list)  # e.g. why the LLM grader's report was not used


class ProgressPoint(_Part):
    session_id: str
    date: str
    overall: int | None
    dimensions: dict[str, int | None]


class Movement(_Part):
    """A dimension whose score changed between a domain's last two reports."""

    domain: str
    key: str
    name: str
    previous: int | None
    latest: int | None
    delta: int


class Progress(_Part):
    domains: dict[str, list[ProgressPoint]]
    moved: list[Movement] = Field(default_factory=list)
