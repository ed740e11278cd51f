"""Pieces every domain's scorer uses: rubric coverage of phases, quotes, dimensions, aggregation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from models.bank import Question, TalkingPoint
from models.report import NOT_ENOUGH_EVIDENCE, Dimension, Evidence, QuestionBreakdown
from workers.analysis.coverage import PointHit
from workers.analysis.text import tokens
from workers.feedback.material import Line, QuestionMaterial

CREDIT_THIN = 0.35  # a point touched on but not developed
# One sentence makes one or two points: a short generic line ("I get feedback sometimes") can be
# semantically near several of a question's points at once, and must not cover them all.
MAX_POINTS_PER_SENTENCE = 2
RELEVANCE_NOTE_BELOW = 0.75  # the report says so when rubric points were discounted below this
FULL_COVERAGE = 0.8  # weighted coverage of a phase's points that earns full marks
MAX_EVIDENCE = 4


@dataclass(frozen=True)
class Coverage:
    share: float  # weighted credit of the phases' points, 0..1
    covered: list[TalkingPoint]
    thin: list[TalkingPoint]
    missed: list[TalkingPoint]
    evidence: list[Evidence]

    @property
    def touched(self) -> bool:
        return bool(self.covered or self.thin)

    def score(self, gate: float) -> int | None:
        """0-100, scaled by relevance; None when no point of these phases was even touched on."""
        if not self.touched:
            return None
        return round(100 * min(1.0, self.share / FULL_COVERAGE) * gate)

    def note(self) -> str:
        parts = []
        if self.covered:
            parts.append("Covered: " + "; ".join(_label(p) for p in self.covered) + ".")
        if self.thin:
            parts.append("Touched on: " + "; ".join(_label(p) for p in self.thin) + ".")
        if self.missed:
            parts.append("Missed: " + "; ".join(_label(p) for p in self.missed) + ".")
        return " ".join(parts)


@dataclass
class DomainScore:
    """A domain scorer's answer: the dimensions, the per-question breakdown, remarks for the report."""

    dimensions: list[Dimension]
    questions: list[QuestionBreakdown]
    notes: list[str] = field(default_factory=list)
    missed: dict[str, list[str]] = field(default_factory=dict)  # dimension key -> rubric points missed

    def note_relevance(self, title: str, gate: float, units: list[str]) -> None:
        """Say so when rubric points were discounted because the talk was about something else."""
        if units and gate < RELEVANCE_NOTE_BELOW:
            share = "were" if gate == 0 else "were mostly"
            self.notes.append(
                f"{title}: your answers {share} not about this question, so the rubric points they touched "
                f"count {'not at all' if gate == 0 else f'at {round(100 * gate)}%'}."
            )

    def add_missed(self, key: str, talk: Coverage) -> None:
        known = self.missed.setdefault(key, [])
        known.extend(p.label for p in talk.missed if p.label not in known)


def strict(question: Question, hits: dict[str, PointHit]) -> dict[str, PointHit]:
    """The analysis' hits, held to two rules the semantic match alone does not know:

    - a sentence covers at most MAX_POINTS_PER_SENTENCE points (its best ones): a short generic line
      ("I get feedback sometimes") can be near several points at once and must not cover them all;
    - a point whose phrasings are mostly numbers ("4000 redirects per second") needs a number in
      its evidence: "redirects should be fast" is not an estimate.

    A point losing its cover this way counts as touched on.
    """
    numeric = {p.id for p in question.talking_points if _numeric(p)}
    demoted = {
        pid
        for pid, h in hits.items()
        if pid in numeric and (h.covered or h.thin) and not _has_number(h.evidence)
    }
    by_sentence: dict[str, list[PointHit]] = {}
    for hit in hits.values():
        if hit.covered and hit.point_id not in demoted:
            by_sentence.setdefault(hit.evidence, []).append(hit)
    for group in by_sentence.values():
        group.sort(key=lambda h: (-h.score, h.point_id))
        demoted.update(h.point_id for h in group[MAX_POINTS_PER_SENTENCE:])
    return {
        pid: replace(h, covered=False, thin=pid not in numeric or _has_number(h.evidence))
        if pid in demoted
        else h
        for pid, h in hits.items()
    }


def _numeric(point: TalkingPoint) -> bool:
    return sum(_has_number(p) for p in point.phrasings) * 2 >= len(point.phrasings)


def _has_number(text: str) -> bool:
    return any(token.startswith("#") for token in tokens(text))


def words(units: list[str]) -> int:
    return sum(len(u.split()) for u in units)


def coverage(
    question: Question, hits: dict[str, PointHit], phases: Sequence[str], lines: list[Line]
) -> Coverage:
    points = [p for p in question.talking_points if p.phase in phases]
    covered = [p for p in points if hits[p.id].covered]
    thin = [p for p in points if hits[p.id].thin]
    missed = [p for p in points if p not in covered and p not in thin]
    total = sum(p.weight for p in points)
    credit = sum(p.weight for p in covered) + CREDIT_THIN * sum(p.weight for p in thin)
    ordered = sorted([*covered, *thin], key=lambda p: (-hits[p.id].score, p.id))
    evidence = [quote(hits[p.id].evidence, lines) for p in ordered if hits[p.id].evidence]
    return Coverage(credit / total if total else 0.0, covered, thin, missed, _unique(evidence)[:MAX_EVIDENCE])


def quote(text: str, lines: list[Line]) -> Evidence:
    """A transcript quote, with the message it comes from."""
    source = next((line for line in lines if text in line.text), None)
    return Evidence(
        kind="transcript", text=clip(text, 300), ref=f"message:{source.message_id}" if source else None
    )


def dimension(
    key: str, name: str, weight: float, score: int | None, evidence: list[Evidence], note: str
) -> Dimension:
    if score is None:
        note = f"{NOT_ENOUGH_EVIDENCE}: {note}" if note else NOT_ENOUGH_EVIDENCE
    return Dimension(
        key=key,
        name=name,
        score=None if score is None else max(0, min(100, score)),
        evidence=_unique(evidence)[:MAX_EVIDENCE],
        note=clip(note, 600),
        weight=weight,
    )


def combine(per_question: list[list[Dimension]]) -> list[Dimension]:
    """One dimension per key across questions: the mean, a question without evidence counting 0."""
    if len(per_question) == 1:
        return per_question[0]
    out = []
    for group in zip(*per_question, strict=True):
        scores = [d.score for d in group]
        known = [s for s in scores if s is not None]
        score = round(sum(known) / len(scores)) if known else None
        evidence = [e for d in group for e in d.evidence[:2]]
        notes = [f"Q{i}: {_without_prefix(d.note)}" for i, d in enumerate(group, 1) if d.note]
        first = group[0]
        out.append(dimension(first.key, first.name, first.weight, score, evidence, " ".join(notes)))
    return out


def weighted(dimensions: list[Dimension]) -> int | None:
    """The weighted mean, "not enough evidence" counting 0; None when no dimension has any evidence."""
    total = sum(d.weight for d in dimensions)
    if total == 0 or all(d.score is None for d in dimensions):
        return None
    return round(sum(d.weight * (d.score or 0) for d in dimensions) / total)


def breakdown(
    material: QuestionMaterial, dimensions: list[Dimension], hits: dict[str, PointHit]
) -> QuestionBreakdown:
    question = material.question
    return QuestionBreakdown(
        question_id=question.id,
        title=question.title,
        score=weighted(dimensions),
        points_covered=[_label(p) for p in question.talking_points if hits.get(p.id) and hits[p.id].covered],
        points_missed=[
            _label(p) for p in question.talking_points if not (hits.get(p.id) and hits[p.id].covered)
        ],
        hints_used=material.hints_used,
    )


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _without_prefix(note: str) -> str:
    return note.removeprefix(f"{NOT_ENOUGH_EVIDENCE}: ")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(point: TalkingPoint) -> str:
    return point.label


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    out = []
    for item in evidence:
        if (item.kind, item.text) not in seen:
            seen.add((item.kind, item.text))
            out.append(item)
    return out
