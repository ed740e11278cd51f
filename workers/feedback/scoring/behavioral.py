"""Behavioral: per answer, STAR completeness, specificity and ownership, reflection and relevance.

Specificity is counted only over the sentences that are about the question (numbers in a holiday
story prove nothing), and every rubric-based score is scaled by the answer's relevance, so a
fluent story about something else stays low.
"""

from __future__ import annotations

from models.report import Dimension, Evidence
from workers.analysis import coverage as coverage_lib
from workers.analysis import signals
from workers.analysis.coverage import PointHit
from workers.analysis.signals import Specificity
from workers.feedback.material import Line, QuestionMaterial, SessionMaterial
from workers.feedback.scoring import common, relevance
from workers.feedback.scoring.common import DomainScore

STAR = ("star", "STAR structure", 0.35)
SPECIFICITY = ("specificity", "Specificity and ownership", 0.25)
REFLECTION = ("reflection", "Reflection", 0.15)
RELEVANCE = ("relevance", "Relevance to the question", 0.25)
STORY_PARTS = ("situation", "task", "action", "result")
STORY_WORDS = 100  # a full answer: shorter ones earn their STAR, specifics and reflection in proportion
RELEVANT_WORDS = 40  # a one-line answer is on topic, but hardly an answer


def score(material: SessionMaterial) -> DomainScore:
    result = DomainScore([], [])
    per_question = []
    answered = [q for q in material.questions if q.lines] or material.questions[:1]
    for question in answered:
        dims, hits = _answer(question, result)
        per_question.append(dims)
        result.questions.append(common.breakdown(question, dims, hits))
    result.dimensions = common.combine(per_question)
    return result


def _answer(material: QuestionMaterial, result: DomainScore) -> tuple[list[Dimension], dict[str, PointHit]]:
    question = material.question
    units = coverage_lib.candidate_units(material.texts)
    relevant = relevance.assess(question, units)
    hits = common.strict(question, coverage_lib.analyse(question, material.texts))
    # A story needs words: five of them can sound like a lesson, they cannot tell one.
    substance = min(1.0, common.words(units) / STORY_WORDS)
    scale = relevant.gate * substance
    dims = [
        _star(material, hits, scale, result),
        _specificity(relevant.on_topic(), material.lines, relevant.gate),
        _reflection(material, hits, scale, result),
        _relevance(relevant, material.lines),
    ]
    return dims, hits


def _star(
    material: QuestionMaterial, hits: dict[str, PointHit], scale: float, result: DomainScore
) -> Dimension:
    story = common.coverage(material.question, hits, STORY_PARTS, material.lines)
    result.add_missed(STAR[0], story)
    present = [part for part in STORY_PARTS if any(p.phase == part for p in story.covered)]
    score = None
    if story.touched:
        completeness = len(present) / len(STORY_PARTS)
        depth = min(1.0, story.share / common.FULL_COVERAGE)
        score = round(100 * scale * (0.5 * completeness + 0.5 * depth))
    marks = ", ".join(f"{p} {'✓' if p in present else '✗'}" for p in STORY_PARTS)
    note = (
        f"{marks.capitalize()}. {story.note()}" if story.touched else "no situation, task, action or result"
    )
    return common.dimension(*STAR, score, story.evidence, note)


def _specificity(on_topic: list[str], lines: list[Line], gate: float) -> Dimension:
    if not on_topic:
        return common.dimension(*SPECIFICITY, None, [], "no concrete details about this question")
    counts = signals.specificity(" ".join(on_topic))
    quantities = min(1.0, (counts.numbers + counts.metrics) / 4)
    timing = min(1.0, float(counts.time_expressions))
    actions = min(1.0, counts.action_verbs / 5)
    ownership = min(1.0, (counts.i_share or 0.0) / 0.6)
    hedging = min(0.2, 0.05 * counts.hedges)
    length = min(1.0, counts.words / STORY_WORDS)
    value = (0.3 * quantities + 0.1 * timing + 0.3 * actions + 0.3 * ownership - hedging) * length * gate
    ranked = sorted(on_topic, key=lambda u: (-_detail(signals.specificity(u)), on_topic.index(u)))
    evidence = [common.quote(u, lines) for u in ranked[:2] if _detail(signals.specificity(u)) > 0]
    evidence = evidence or [common.quote(ranked[0], lines)]  # nothing concrete: the closest there is
    return common.dimension(*SPECIFICITY, round(100 * max(0.0, value)), evidence, _specifics_note(counts))


def _detail(counts: Specificity) -> int:
    return 2 * (counts.numbers + counts.metrics) + counts.action_verbs + counts.time_expressions


def _specifics_note(c: Specificity) -> str:
    return (
        f"{c.numbers} numbers ({c.metrics} with a unit), {c.time_expressions} time references, "
        f"{c.action_verbs} concrete actions; “I” {c.i_count} times and “we” {c.we_count} times"
        + (f"; {c.hedges} hedges (“maybe”, “I think”)." if c.hedges else ".")
    )


def _reflection(
    material: QuestionMaterial, hits: dict[str, PointHit], scale: float, result: DomainScore
) -> Dimension:
    reflection = common.coverage(material.question, hits, ("reflection",), material.lines)
    result.add_missed(REFLECTION[0], reflection)
    note = (
        reflection.note()
        if reflection.touched
        else "no lesson or change in approach was drawn from the story"
    )
    return common.dimension(*REFLECTION, reflection.score(scale), reflection.evidence, note)


def _relevance(relevant: relevance.Relevance, lines: list[Line]) -> Dimension:
    if not relevant.units:
        return common.dimension(*RELEVANCE, None, [], "the candidate gave no answer")
    ranked = sorted(zip(relevant.closeness, relevant.units, strict=True), key=lambda pair: -pair[0])
    evidence: list[Evidence] = [common.quote(ranked[0][1], lines)]
    substance = min(1.0, common.words(relevant.units) / RELEVANT_WORDS)
    off = [u for c, u in ranked if c < relevance.ON_TOPIC]
    if relevant.gate >= common.RELEVANCE_NOTE_BELOW:
        note = f"The answer stayed on the question (relevance {relevant.gate:.2f})."
    else:
        note = f"Much of the answer was not about the question (relevance {relevant.gate:.2f})."
        if off:
            note += f" {len(off)} of {len(relevant.units)} sentences, e.g. “{common.clip(off[-1], 120)}”."
    if substance < 1.0:
        note += f" It was short: {common.words(relevant.units)} words."
    return common.dimension(*RELEVANCE, round(100 * relevant.gate * substance), evidence, note)
