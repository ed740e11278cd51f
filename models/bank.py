"""The question banks: reviewable YAML files under `banks/`, validated by these models.

The interviewer and the feedback scorer both read the bank; it is data, not code, so a reviewer can
read a question's rubric without reading Python.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

SessionType = Literal["system_design", "coding", "behavioral"]
Level = Literal["mid", "senior", "staff"]
Language = Literal["python", "javascript", "typescript"]

SYSTEM_DESIGN_PHASES = (
    "requirements",
    "estimates",
    "api",
    "data_model",
    "high_level",
    "deep_dive",
    "wrap_up",
)
CODING_PHASES = ("clarify", "approach", "implement", "test", "complexity")
STAR_PARTS = ("situation", "task", "action", "result", "reflection")
PHASES: dict[str, tuple[str, ...]] = {
    "system_design": SYSTEM_DESIGN_PHASES,
    "coding": CODING_PHASES,
    "behavioral": STAR_PARTS,
}

# The data lives beside the interviewer that asks it; every pool and the API read it through here.
BANK_DIR = Path(__file__).resolve().parent.parent / "workers" / "interviewer" / "banks"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TalkingPoint(_Strict):
    """One thing a good answer covers; `phrasings` are what count as covering it."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    phase: str
    phrasings: list[str] = Field(min_length=3)
    weight: float = Field(default=1.0, gt=0, le=3)


class FollowUp(_Strict):
    point: str
    text: str


class Clarification(_Strict):
    """An answer to a clarifying question the candidate is likely to ask."""

    keywords: list[str] = Field(min_length=1)
    answer: str


class Example(_Strict):
    input: str
    output: str
    explanation: str = ""


class TestCase(_Strict):
    args: list[Any]
    expected: Any
    note: str = ""


class Complexity(_Strict):
    time: str
    space: str


class Scaling(_Strict):
    """How the scorer measures efficiency: `generator` is Python source defining
    `make_args(n) -> list` (our own reviewed code, run by the scorer, never the candidate's)."""

    generator: str
    sizes: list[int] = Field(min_length=3)


class CodingSpec(_Strict):
    function_name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    signatures: dict[Language, str]
    starter_code: dict[Language, str]
    examples: list[Example] = Field(min_length=1)
    tests: list[TestCase] = Field(min_length=5)
    compare: Literal["exact", "unordered", "float"] = "exact"
    complexity: Complexity
    reference_solution: dict[Language, str]
    scaling: Scaling
    edge_cases: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_language(self) -> CodingSpec:
        for field in ("signatures", "starter_code"):
            missing = {"python", "javascript", "typescript"} - set(getattr(self, field))
            if missing:
                raise ValueError(f"{field} lacks {sorted(missing)}")
        if "python" not in self.reference_solution:
            raise ValueError("reference_solution needs at least python")
        return self


class Component(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    synonyms: list[str] = Field(min_length=1)
    required: bool = True
    ask_if_missing: str


class Connection(_Strict):
    source: str
    target: str
    why: str


class DesignSpec(_Strict):
    components: list[Component] = Field(min_length=4)
    connections: list[Connection] = Field(min_length=3)

    @model_validator(mode="after")
    def _connections_name_components(self) -> DesignSpec:
        ids = {c.id for c in self.components}
        for conn in self.connections:
            if conn.source not in ids or conn.target not in ids:
                raise ValueError(f"connection {conn.source}->{conn.target} names an unknown component")
        return self


class BehavioralSpec(_Strict):
    competency: str
    star_probes: dict[str, str]

    @model_validator(mode="after")
    def _every_star_part(self) -> BehavioralSpec:
        missing = set(STAR_PARTS) - set(self.star_probes)
        if missing:
            raise ValueError(f"star_probes lacks {sorted(missing)}")
        return self


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    type: SessionType
    title: str
    level: Level
    prompt: str
    rephrasing: str
    talking_points: list[TalkingPoint] = Field(min_length=4)
    follow_ups: list[FollowUp] = Field(min_length=3)
    hints: list[str] = Field(min_length=3, max_length=3)
    clarifications: list[Clarification] = Field(default_factory=list)
    coding: CodingSpec | None = None
    design: DesignSpec | None = None
    behavioral: BehavioralSpec | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        phases = PHASES[self.type]
        point_ids = {p.id for p in self.talking_points}
        for point in self.talking_points:
            if point.phase not in phases:
                raise ValueError(
                    f"{self.id}: point {point.id} has phase {point.phase!r}, not one of {phases}"
                )
        for follow_up in self.follow_ups:
            if follow_up.point not in point_ids:
                raise ValueError(f"{self.id}: follow-up targets unknown point {follow_up.point!r}")
        spec = {"coding": self.coding, "system_design": self.design, "behavioral": self.behavioral}
        if spec[self.type] is None:
            raise ValueError(f"{self.id}: a {self.type} question needs its own spec block")
        return self

    def point(self, point_id: str) -> TalkingPoint:
        return next(p for p in self.talking_points if p.id == point_id)


class Bank(_Strict):
    version: str
    questions: list[Question]


def load_bank_file(path: Path) -> Bank:
    # libyaml's loader: the banks are ~400 KB and a worker parses them at boot.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Bank.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


@cache
def load_banks() -> dict[str, Question]:
    """Every question of every bank file, by id (loaded once per process)."""
    questions: dict[str, Question] = {}
    for path in sorted(BANK_DIR.glob("*.yaml")):
        for question in load_bank_file(path).questions:
            if question.id in questions:
                raise ValueError(f"duplicate question id {question.id} in {path.name}")
            questions[question.id] = question
    return questions


def questions_of(session_type: str) -> list[Question]:
    return [q for q in load_banks().values() if q.type == session_type]


def get_question(question_id: str) -> Question:
    return load_banks()[question_id]


def choose_question(session_type: str, level: str | None, recently_seen: list[str]) -> Question:
    """A question of this type, preferring the requested level and what the user has not seen lately.

    Deterministic: the candidates are ordered by (seen recently, level distance, id), so a user
    walks through the bank instead of getting a random draw.
    """
    candidates = questions_of(session_type)
    if not candidates:
        raise LookupError(f"the {session_type} bank is empty")
    order = {"mid": 0, "senior": 1, "staff": 2}
    wanted = order.get(level or "senior", 1)
    # 0 = seen most recently; the least recently seen question is preferred among seen ones
    recency: dict[str, int] = {}
    for rank, qid in enumerate(reversed(recently_seen)):
        recency.setdefault(qid, rank)

    def key(q: Question) -> tuple[int, int, int, str]:
        never_seen = q.id not in recency
        return (0 if never_seen else 1, abs(order[q.level] - wanted), -recency.get(q.id, 0), q.id)

    return min(candidates, key=key)
