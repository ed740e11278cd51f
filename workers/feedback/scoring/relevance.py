"""Is the candidate talking about this question at all?

Coverage alone is lenient with a fluent answer to some other question: a rate-limiter design
shares "Redis", "shard" and "data model" with a URL shortener, and an incident story shares "I
fixed it" with a conflict story. Relevance is a second, independent signal with two parts, both
from MiniLM cosines between each sentence the candidate said and each question's own text (prompt,
rubric labels and phrasings, probes, diagram components):

- closeness: the mean over sentences of the best cosine with this question. Strong on-topic answers
  measure 0.48-0.68, vague on-topic ones 0.42-0.53, a good answer to another question of the same
  domain 0.33-0.43 (it shares the domain's words), small talk and holiday stories 0.27-0.28.
- preference: the share of sentences closer to this question than to any other question of the same
  type (by a 0.05 margin, and only sentences that are near the question at all). A good answer to
  another question scores 0.00-0.07 here; on-topic answers 0.25-0.97 (concrete detail is generic,
  so it prefers no question in particular, and behavioral questions overlap).

The gate that scales every rubric-based score is the mean of the two parts, each mapped onto 0..1.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.bank import Question, questions_of
from workers.analysis.embeddings import F32, cosine, get_embedder

CLOSENESS = (0.34, 0.48)  # mean closeness mapped linearly from 0 (at or below) to 1 (at or above)
PREFERENCE_FULL = 0.5  # share of preferring sentences that counts in full
MARGIN = 0.05  # how much closer to this question than to the next one a sentence must be...
NEAR = (0.20, 0.35)  # ...and how close to this question at all (cosine, mapped onto 0..1)
ON_TOPIC = 0.30  # a sentence at least this close is about the question (for counting specifics)


@dataclass(frozen=True)
class _TypeIndex:
    ids: list[str]
    vectors: F32  # every question's reference texts, grouped by question
    starts: npt.NDArray[np.intp]


@dataclass(frozen=True)
class Relevance:
    units: list[str]
    closeness: list[float]  # per sentence: best cosine with this question
    preference: list[float]  # per sentence, 0..1: closer to this question than to any other

    @property
    def mean_closeness(self) -> float | None:
        return round(sum(self.closeness) / len(self.closeness), 4) if self.closeness else None

    @property
    def gate(self) -> float:
        """0 for talk about something else, 1 for talk about this question."""
        if not self.units:
            return 0.0
        close = _ramp(sum(self.closeness) / len(self.closeness), *CLOSENESS)
        prefer = min(1.0, (sum(self.preference) / len(self.preference)) / PREFERENCE_FULL)
        return round((close + prefer) / 2, 4)

    def on_topic(self) -> list[str]:
        return [u for u, c in zip(self.units, self.closeness, strict=True) if c >= ON_TOPIC]


_indexes: dict[str, _TypeIndex] = {}
_lock = threading.Lock()


def assess(question: Question, units: list[str]) -> Relevance:
    if not units:
        return Relevance([], [], [])
    index = _index(question.type)
    similarity = cosine(get_embedder().encode(units), index.vectors)
    per_question = np.maximum.reduceat(similarity, index.starts, axis=1).astype(np.float64)
    mine = index.ids.index(question.id)
    own = per_question[:, mine]
    others = np.delete(per_question, mine, axis=1)
    best_other = others.max(axis=1) if others.shape[1] else np.zeros_like(own)
    prefer = np.clip((own - best_other + MARGIN) / (2 * MARGIN), 0, 1) * np.clip(
        (own - NEAR[0]) / (NEAR[1] - NEAR[0]), 0, 1
    )
    return Relevance(list(units), [round(float(v), 4) for v in own], [round(float(v), 4) for v in prefer])


def warm(question_type: str) -> None:
    _index(question_type)


def _index(question_type: str) -> _TypeIndex:
    with _lock:
        found = _indexes.get(question_type)
    if found is not None:
        return found
    questions = questions_of(question_type)
    texts: list[str] = []
    starts: list[int] = []
    for question in questions:
        starts.append(len(texts))
        texts.extend(_reference_texts(question))
    index = _TypeIndex(
        [q.id for q in questions], get_embedder().encode(texts), np.array(starts, dtype=np.intp)
    )
    with _lock:
        _indexes[question_type] = index
    return index


def _reference_texts(question: Question) -> list[str]:
    texts = [question.title, question.prompt]
    for point in question.talking_points:
        texts.extend([point.label, *point.phrasings])
    if question.behavioral is not None:
        texts.extend([question.behavioral.competency, *question.behavioral.star_probes.values()])
    if question.design is not None:
        texts.extend(c.label for c in question.design.components)
    return texts


def score(relevance: Relevance) -> float:
    """The behavioral relevance dimension: the gate itself."""
    return relevance.gate


def _ramp(value: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (value - low) / (high - low)))
