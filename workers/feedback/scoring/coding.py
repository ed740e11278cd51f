"""Coding: hidden tests and measured efficiency of the final code, how the candidate communicated
(clarifying, explaining the approach, testing, stating complexity) and static code-quality signals.

A check the runner could not perform (the engine was down) is not the candidate's fault: that
dimension gets no weight instead of a zero, and the report says so.
"""

from __future__ import annotations

from models.report import Dimension, Evidence
from workers.analysis import coverage as coverage_lib
from workers.analysis.coverage import PointHit
from workers.feedback import complexity
from workers.feedback.coderun import CodeChecks
from workers.feedback.hidden_tests import HiddenResults
from workers.feedback.material import QuestionMaterial, SessionMaterial
from workers.feedback.scoring import code_quality, common, relevance
from workers.feedback.scoring.common import DomainScore

CORRECTNESS = ("correctness", "Correctness (hidden tests)", 0.35)
EFFICIENCY = ("efficiency", "Efficiency", 0.15)
COMMUNICATION = ("communication", "Clarifying and explaining the approach", 0.20)
VERIFICATION = ("verification", "Testing, edge cases and complexity", 0.15)
QUALITY = ("code_quality", "Code quality", 0.15)
NOT_MEASURED = "could not be measured"
TALK_WORDS = 60  # what explaining an approach, its tests and its cost takes at the least


def score(material: SessionMaterial, checks: dict[str, CodeChecks]) -> DomainScore:
    result = DomainScore([], [])
    per_question = []
    answered = [q for q in material.questions if q.lines or q.final_code] or material.questions[:1]
    for question in answered:
        check = checks.get(question.question.id)
        dims, hits = _question(question, check, result)
        per_question.append(dims)
        result.questions.append(common.breakdown(question, dims, hits))
        if check is not None and check.tests is None:
            result.notes.append(
                f"{question.question.title}: {check.note}; correctness and efficiency were left out."
            )
    result.dimensions = common.combine(per_question)
    return result


def _question(
    material: QuestionMaterial, check: CodeChecks | None, result: DomainScore
) -> tuple[list[Dimension], dict[str, PointHit]]:
    units = coverage_lib.candidate_units(material.texts)
    relevant = relevance.assess(material.question, units).gate
    hits = common.strict(material.question, coverage_lib.analyse(material.question, material.texts))
    result.note_relevance(material.question.title, relevant, units)
    # One line cannot clarify, explain and test: talk earns its rubric points in proportion to it.
    gate = relevant * min(1.0, common.words(units) / TALK_WORDS)
    tests = check.tests if check else None
    talk = common.coverage(material.question, hits, ("clarify", "approach", "implement"), material.lines)
    result.add_missed(COMMUNICATION[0], talk)
    communication = common.dimension(
        *COMMUNICATION,
        talk.score(gate),
        talk.evidence,
        talk.note() if talk.touched else "the approach was never clarified or explained",
    )
    dims = [
        _correctness(material, check),
        _efficiency(material, check),
        communication,
        _verification(material, hits, gate, result),
        _quality(material, check, tests),
    ]
    return dims, hits


def _correctness(material: QuestionMaterial, check: CodeChecks | None) -> Dimension:
    if material.final_code is None or check is None:
        return common.dimension(*CORRECTNESS, None, [], "no code was run for this question")
    if check.tests is None:
        return _unmeasured(CORRECTNESS, check.note)
    tests = check.tests
    summary = f"Passed {tests.passed} of {tests.total} hidden tests."
    evidence = [Evidence(kind="test", text=summary, ref="hidden_tests")]
    failure = tests.first_failure
    if tests.problem:
        evidence.append(
            Evidence(
                kind="test", text=common.clip(common.sentence_case(tests.problem), 600), ref="hidden_tests"
            )
        )
    elif failure is not None:
        got = f"returned {failure.actual}" if failure.actual is not None else f"failed: {failure.error}"
        about = f" ({failure.note})" if failure.note else ""
        text = f"First failing case{about}: {failure.call} {got}, expected {failure.expected}."
        evidence.append(Evidence(kind="test", text=common.clip(text, 600), ref=f"case:{failure.index}"))
    note = summary + (f" {common.sentence_case(tests.problem)}." if tests.problem else "")
    return common.dimension(*CORRECTNESS, round(100 * tests.pass_rate), evidence, note)


def _efficiency(material: QuestionMaterial, check: CodeChecks | None) -> Dimension:
    spec = material.question.coding
    if material.final_code is None or check is None or spec is None or check.starter_unchanged:
        return common.dimension(*EFFICIENCY, None, [], "no working code to measure")
    if check.tests is None:
        return _unmeasured(EFFICIENCY, check.note)
    if check.growth is None:
        return common.dimension(
            *EFFICIENCY, None, [], check.note or "the growing inputs could not be measured"
        )
    growth = check.growth
    text = complexity.describe(growth, spec.complexity.time)
    if growth.error:
        text += f" It raised on a large input: {growth.error}"
    evidence = [Evidence(kind="test", text=common.clip(text, 600), ref="scaling")]
    note = f"Expected {spec.complexity.time} time. {text}"
    return common.dimension(*EFFICIENCY, complexity.score(growth), evidence, note)


def _verification(
    material: QuestionMaterial, hits: dict[str, PointHit], gate: float, result: DomainScore
) -> Dimension:
    talk = common.coverage(material.question, hits, ("test", "complexity"), material.lines)
    result.add_missed(VERIFICATION[0], talk)
    final = material.final_code
    checked = final.runs_with_output if final else 0
    if not talk.touched and checked == 0:
        return common.dimension(
            *VERIFICATION, None, [], "no test cases, edge cases or complexity were discussed"
        )
    spoken = (talk.score(gate) or 0) / 100
    score = round(100 * (0.75 * spoken + 0.25 * min(1.0, checked / 2)))
    evidence = list(talk.evidence)
    if final is not None:
        runs = f"Ran the code {final.runs} time{'s' if final.runs != 1 else ''}; {checked} clean run(s) printed output."
        evidence.append(Evidence(kind="test", text=runs, ref="runs"))
    return common.dimension(
        *VERIFICATION, score, evidence, talk.note() or "Only checked by running the code."
    )


def _quality(material: QuestionMaterial, check: CodeChecks | None, tests: HiddenResults | None) -> Dimension:
    final, spec = material.final_code, material.question.coding
    if final is None or spec is None or (check is not None and check.starter_unchanged):
        return common.dimension(*QUALITY, None, [], "no code of the candidate's own to read")
    found = code_quality.signals(final.code, final.language, spec.function_name, final.status)
    share = sum(s.ok for s in found) / len(found)
    working = (
        0.5 + 0.5 * tests.pass_rate if tests is not None else 1.0
    )  # clean code that fails is not quality
    issues = [s for s in found if not s.ok]
    evidence = [s.evidence for s in [*issues, *found] if s.evidence is not None]
    note = "Good: " + ", ".join(s.name for s in found if s.ok) + "." if len(issues) < len(found) else ""
    if issues:
        note += " To improve: " + ", ".join(s.name for s in issues) + "."
    return common.dimension(*QUALITY, round(100 * share * working), evidence, note.strip())


def _unmeasured(spec: tuple[str, str, float], why: str) -> Dimension:
    key, name, _ = spec
    return common.dimension(key, name, 0.0, None, [], f"{NOT_MEASURED}: {why}")
