"""Which of a question's rubric talking points a candidate's words cover, and how well.

Each candidate sentence (long ones split into clauses) is compared with each point's phrasings in
two ways: lexically (stems, canonical numbers, phrase containment, content-word overlap) and
semantically (cosine of MiniLM embeddings, against the phrasings and the point's label). The two
are combined per sentence, so the evidence for a point is one sentence the candidate really said.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.bank import Question, TalkingPoint
from workers.analysis.embeddings import F32, cosine, get_embedder
from workers.analysis.text import contains_phrase, content_stems, sentences, stems, tokens
from workers.analysis.utterance import clarification_answer, is_filler, is_injection, is_question

__all__ = [
    "COVERED",
    "THIN",
    "PointHit",
    "analyse",
    "candidate_units",
    "clarification_answer",
    "embed_units",
    "is_filler",
    "is_question",
    "warm",
]

# Calibrated on tests/workers/analysis/answers.py against the real banks. Raw MiniLM cosine between
# a candidate sentence and the nearest phrasing: off-topic / small talk 0.06-0.40, on-topic but
# off-point ("I'd write it in Java") 0.19-0.51, deep paraphrases with none of the bank's words
# 0.33-0.61, sentences that make the point in domain words 0.5-0.95. Cosine alone cannot separate
# the middle, so it only covers a point from 0.58 up; words and meaning agreeing (the common case
# in strong answers) lifts a point well past COVERED. A false "covered" silences a follow-up, a
# false "thin" only asks one, so the thresholds lean to precision.
COVERED = 0.6  # the point was made
THIN = 0.35  # touched on, not developed: worth a follow-up
# Phases where asking is the point ("Can the numbers be negative?", "Do links expire?"); elsewhere a
# question counts as thin at most.
ASKING_PHASES = frozenset({"clarify", "requirements"})
# Cosine is mapped linearly from SEM_FLOOR to SEM_CEIL (a close paraphrase of a phrasing) onto 0..1.
SEM_FLOOR = 0.38
SEM_CEIL = 0.72
AGREEMENT_BONUS = 0.35  # words and meaning agreeing in one sentence beat either alone
MISSING_NUMBER_CAP = 0.4  # "too many requests" is not "429 too many requests"
# Word overlap counts fully from this cosine up and not at all below the first: shared words in a
# sentence about something else entirely ("signed-in users pick a custom alias" against "the
# customer signed") are a coincidence.
LEXICAL_GATE = (0.10, 0.25)


@dataclass(frozen=True, slots=True)
class PointHit:
    point_id: str
    score: float  # 0..1, the combined evidence of the best sentence
    lexical: float  # 0..1, best word overlap with a phrasing
    semantic: float  # best raw cosine with a phrasing or the label
    evidence: str  # the candidate's sentence that best covers the point ("" when none does)
    covered: bool
    thin: bool  # touched on but below COVERED


@dataclass(frozen=True, slots=True)
class _Words:
    """A phrasing or a candidate sentence, prepared for lexical matching."""

    tokens: tuple[str, ...]
    stems: tuple[str, ...]
    token_set: frozenset[str]
    stem_set: frozenset[str]
    content: frozenset[str]  # stems of the meaningful words
    numbers: frozenset[str]  # the canonical number tokens among them


@dataclass(frozen=True, slots=True)
class _Index:
    """A question's phrasings, prepared once: stems for lexical matching, embeddings for semantic."""

    points: tuple[TalkingPoint, ...]
    phrasings: tuple[tuple[_Words, ...], ...]  # per point
    vectors: F32  # one row per phrasing and per label, grouped by point
    starts: npt.NDArray[np.intp]  # first row of each point in `vectors`


_indexes: dict[tuple[str, int], _Index] = {}
_index_lock = threading.Lock()


def _index(question: Question) -> _Index:
    # Keyed by content too, so an edited bank (in development) is never served stale vectors.
    key = (question.id, hash(tuple((p.id, p.label, *p.phrasings) for p in question.talking_points)))
    with _index_lock:
        found = _indexes.get(key)
    if found is not None:
        return found
    texts: list[str] = []
    starts: list[int] = []
    for point in question.talking_points:
        starts.append(len(texts))
        texts.extend([*point.phrasings, point.label])
    index = _Index(
        points=tuple(question.talking_points),
        phrasings=tuple(tuple(_words(p) for p in point.phrasings) for point in question.talking_points),
        vectors=get_embedder().encode(texts),
        starts=np.array(starts, dtype=np.intp),
    )
    with _index_lock:
        _indexes[key] = index
    return index


def _words(text: str) -> _Words:
    raw, stemmed, content = tokens(text), stems(text), content_stems(text)
    numbers = frozenset(s for s in stemmed if s.startswith("#"))
    return _Words(raw, stemmed, frozenset(raw), frozenset(stemmed), content, numbers & content)


def warm(questions: Iterable[Question]) -> None:
    """Embed the phrasings of these questions now (a worker calls this at start-up)."""
    for question in questions:
        _index(question)


def candidate_units(texts: Sequence[str]) -> list[str]:
    """The sentences (clauses, for long ones) of the candidate's messages that can count as answers:
    filler and text aimed at the grader are left out."""
    return [u for text in texts for u in sentences(text) if not is_filler(u) and not is_injection(u)]


def embed_units(texts: Sequence[str]) -> None:
    """Embed the candidate's sentences now, so a later `analyse` of the same texts finds them cached
    (the interviewer does this before it takes the session's lock)."""
    units = candidate_units(texts)
    if units:
        get_embedder().encode(units)


def _lexical(unit: _Words, phrasing: _Words) -> float:
    """1 for the whole phrasing in order; else the share of its content words found close together.

    Two shared content words at least (one shared word such as "cache" is not a point made), and a
    phrasing with fewer than two counts only when contained whole, unstemmed ("tokenization" is
    not "tokens"). A phrasing's number is its point ("429 too many requests"): with no number in
    the sentence the overlap is capped at MISSING_NUMBER_CAP; a different number counts half (the
    candidate's own estimates are as good as ours). Set tests first: most pairs share nothing.
    """
    if len(phrasing.content) < 2:
        whole = phrasing.token_set <= unit.token_set and contains_phrase(unit.tokens, phrasing.tokens)
        return 1.0 if whole else 0.0
    if phrasing.stem_set <= unit.stem_set and contains_phrase(unit.stems, phrasing.stems):
        return 1.0
    words = phrasing.content - phrasing.numbers
    if len(words & unit.stem_set) < 2:
        return 0.0
    matched: float = _near_matches(unit.stems, words, len(phrasing.stems) + 3)
    if matched < 2:
        return 0.0
    for number in phrasing.numbers:
        matched += 1.0 if number in unit.stem_set else (0.5 if unit.numbers else 0.0)
    recall = matched / len(phrasing.content)
    return min(recall, MISSING_NUMBER_CAP) if phrasing.numbers and not unit.numbers else recall


def _near_matches(unit: tuple[str, ...], words: frozenset[str], span: int) -> int:
    """The most distinct `words` inside any window of `span` tokens: bag-of-words across a long
    sentence ("signed-in users ... custom alias") is not the phrase ("the customer signed")."""
    hits = [(i, s) for i, s in enumerate(unit) if s in words]
    if len({s for _, s in hits}) < 2:
        return 0
    best, start = 0, 0
    for end in range(len(hits)):
        while hits[end][0] - hits[start][0] >= span:
            start += 1
        best = max(best, len({s for _, s in hits[start : end + 1]}))
    return best


def _combine(lexical: npt.NDArray[np.float64], cosine: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    semantic = np.clip((cosine - SEM_FLOOR) / (SEM_CEIL - SEM_FLOOR), 0.0, 1.0)
    lexical = lexical * np.clip((cosine - LEXICAL_GATE[0]) / (LEXICAL_GATE[1] - LEXICAL_GATE[0]), 0.0, 1.0)
    strong = np.maximum(lexical, semantic)
    weak = np.minimum(lexical, semantic)
    result: npt.NDArray[np.float64] = np.minimum(strong + AGREEMENT_BONUS * weak, 1.0)
    return result


def analyse(
    question: Question, texts: Sequence[str], point_ids: Iterable[str] | None = None
) -> dict[str, PointHit]:
    """Every talking point of `question` (or only `point_ids`), scored against the candidate's texts."""
    index = _index(question)
    wanted = set(point_ids) if point_ids is not None else None
    chosen = [i for i, p in enumerate(index.points) if wanted is None or p.id in wanted]
    units = candidate_units(texts)
    if not units:
        return {index.points[i].id: _empty(index.points[i].id) for i in chosen}
    # semantic: best cosine per (unit, point) over the point's phrasings and label
    cosines = cosine(get_embedder().encode(units), index.vectors)
    per_point = np.maximum.reduceat(cosines, index.starts, axis=1).astype(np.float64)
    prepared = [_words(u) for u in units]
    asked = np.array([is_question(u) for u in units])
    hits: dict[str, PointHit] = {}
    for i in chosen:
        lexical = np.array([max(_lexical(u, p) for p in index.phrasings[i]) for u in prepared])
        scores = _combine(lexical, per_point[:, i])
        if index.points[i].phase not in ASKING_PHASES:
            # "Should I put a cache in front?" floats the idea without making the point
            scores = np.where(asked, np.minimum(scores, THIN), scores)
        best = int(np.argmax(scores + 1e-3 * per_point[:, i]))  # ties: the closer meaning
        score = round(float(scores[best]), 4)
        point_id = index.points[i].id
        hits[point_id] = PointHit(
            point_id=point_id,
            score=score,
            lexical=round(float(lexical.max()), 4),
            semantic=round(float(max(per_point[:, i].max(), 0.0)), 4),
            evidence=units[best] if score >= THIN else "",
            covered=score >= COVERED,
            thin=THIN <= score < COVERED,
        )
    return hits


def _empty(point_id: str) -> PointHit:
    return PointHit(point_id, 0.0, 0.0, 0.0, "", covered=False, thin=False)
