"""The rules scorer's pure parts: comparison modes, growth fitting, bands, coverage rules, signals."""

from __future__ import annotations

from typing import Any

import pytest

from models.bank import get_question
from models.report import NOT_ENOUGH_EVIDENCE, Dimension
from workers.analysis.coverage import PointHit
from workers.feedback import complexity, harness, hidden_tests, rules
from workers.feedback.harness import DriverOutput
from workers.feedback.material import Line, QuestionMaterial, SessionMaterial
from workers.feedback.scoring import code_quality, common, summary


@pytest.mark.parametrize(
    ("mode", "actual", "expected", "ok"),
    [
        ("exact", "[0, 1]", [0, 1], True),
        ("exact", "[1, 0]", [0, 1], False),
        ("exact", "true", True, True),
        ("exact", "1", True, False),  # a number is not a boolean
        ("exact", "2.0", 2, True),  # JSON cannot tell them apart
        ("unordered", "[1, 0]", [0, 1], True),
        ("unordered", "[[8, 10], [1, 6]]", [[1, 6], [8, 10]], True),
        ("unordered", "[[6, 1]]", [[1, 6]], False),  # only the outer order is free
        ("float", "[1.0000001, 2.5]", [1.0, 2.5], True),
        ("float", "[1.01]", [1.0], False),
        ("exact", "not json", [0, 1], False),
    ],
)
def test_compare_modes(mode: str, actual: str, expected: Any, ok: bool) -> None:
    assert hidden_tests._matches(mode, actual, expected) is ok


def test_expected_exponent_from_the_bank_complexity() -> None:
    assert complexity.expected_exponent("O(n)") == 1
    assert complexity.expected_exponent("O(n log n)") == 1
    assert complexity.expected_exponent("O(n^2)") == 2
    assert complexity.expected_exponent("O(n²) time") == 2
    assert complexity.expected_exponent("O(n * L^2) with L the longest word") == 1
    assert complexity.expected_exponent("O(2^n)") == float("inf")


def _growth(points: list[tuple[int, float, float]]) -> complexity.Growth:
    sizes: list[dict[str, Any]] = [{"n": n, "t": t, "ref": r, "reps": 3} for n, t, r in points]
    return complexity.measure(DriverOutput(sizes=sizes, done=True), "ok", [p[0] for p in points])


def test_same_class_scores_full_and_an_extra_factor_of_n_scores_low() -> None:
    same = _growth([(1000, 0.0011, 0.001), (10000, 0.012, 0.011), (100000, 0.13, 0.12)])
    assert abs(same.relative_exponent or 0) < 0.1 and complexity.score(same) == 100
    quadratic = _growth([(250, 0.001, 0.00003), (500, 0.004, 0.00006), (1000, 0.016, 0.00012)])
    assert quadratic.relative_exponent == pytest.approx(1.0, abs=0.05)
    assert (complexity.score(quadratic) or 100) <= 10


def test_a_large_constant_factor_costs_points_and_a_killed_run_counts_as_slow() -> None:
    slow = _growth([(1000, 0.1, 0.001), (10000, 1.0, 0.01)])
    assert complexity.score(slow) == 40
    killed = complexity.measure(
        DriverOutput(sizes=[{"n": 1000, "t": 0.001, "ref": 0.001, "reps": 3}]), "timeout", [1000, 10000]
    )
    assert killed.unfinished == 10000 and (complexity.score(killed) or 100) <= 55


def test_bands_rise_with_the_level() -> None:
    assert summary.verdict(80, "mid") == "strong_hire"
    assert summary.verdict(80, "senior") == "hire"
    assert summary.verdict(80, "staff") == "hire"
    assert summary.verdict(90, "staff") == "strong_hire"
    assert summary.verdict(44, "mid") == "no_hire"
    assert summary.verdict(50, "senior") == "lean_no_hire"


def test_overall_counts_missing_evidence_as_zero_and_hints_cost_points() -> None:
    dims = [
        Dimension(key="a", name="A", score=80, weight=0.5),
        Dimension(key="b", name="B", score=None, weight=0.5, note=NOT_ENOUGH_EVIDENCE),
    ]
    assert summary.overall(dims, hints_used=0) == 40
    assert summary.overall(dims, hints_used=2) == 34
    assert summary.overall(dims, hints_used=9) == 30  # at most 10 points


def _hit(point_id: str, evidence: str, score: float = 0.9) -> PointHit:
    return PointHit(point_id, score, 0.0, score, evidence, covered=score >= 0.6, thin=0.35 <= score < 0.6)


def test_one_sentence_covers_two_points_at_most_and_estimates_need_numbers() -> None:
    question = get_question("sd-url-shortener")
    vague = "Redirects should be fast and the system highly available."
    hits = {p.id: _hit(p.id, "", 0.0) for p in question.talking_points}
    hits.update(
        core_requirements=_hit("core_requirements", vague, 0.95),
        non_functional=_hit("non_functional", vague, 0.9),
        high_level=_hit("high_level", vague, 0.7),
        scale_estimates=_hit("scale_estimates", vague, 0.8),
    )
    strict = common.strict(question, hits)
    assert strict["core_requirements"].covered and strict["non_functional"].covered
    assert not strict["high_level"].covered and strict["high_level"].thin
    assert not strict["scale_estimates"].covered and not strict["scale_estimates"].thin
    numbers = {**hits, "scale_estimates": _hit("scale_estimates", "about 40 writes a second", 0.8)}
    assert common.strict(question, numbers)["scale_estimates"].covered


def test_code_quality_points_at_lines() -> None:
    code = "def two_sum(a, b):\n    # TODO finish\n    q = 1\n    w = 2\n    z = 3\n    return [q, w, z]\n"
    found = {s.name: s for s in code_quality.signals(code, "python", "two_sum", "ok")}
    assert found["defines `two_sum` as asked"].ok
    leftover = found["no placeholder or TODO left"]
    assert not leftover.ok and leftover.evidence is not None and leftover.evidence.ref == "line:2"
    assert not found["descriptive variable names"].ok


def _material(session_type: str, question_id: str, texts: list[str]) -> SessionMaterial:
    lines = [Line(i, text) for i, text in enumerate(texts, 1)]
    question = QuestionMaterial(get_question(question_id), lines)
    return SessionMaterial("s", "u", session_type, "senior", None, [question])


@pytest.mark.parametrize(
    ("session_type", "question_id"),
    [("system_design", "sd-url-shortener"), ("behavioral", "bh-failure"), ("coding", "coding-two-sum")],
)
def test_nothing_said_is_not_enough_evidence(session_type: str, question_id: str) -> None:
    report = rules.report(_material(session_type, question_id, []))
    assert report.overall == 0 and report.verdict == "no_hire" and report.strengths == []
    assert all(d.score is None and d.note.startswith(NOT_ENOUGH_EVIDENCE) for d in report.dimensions)
    assert report.notes[0].startswith("Not enough evidence")
    assert all(i.next_step for i in report.improvements) and len(report.improvements) == 3
    assert report.rubric_version.endswith(f"/{rules.RULES_VERSION}") and report.scorer == "rules"


def test_the_same_material_gives_the_same_report() -> None:
    texts = ["I'd use a hash map from each value to its index and look up target minus the value.", "O(n)."]
    first = rules.report(_material("coding", "coding-two-sum", texts))
    second = rules.report(_material("coding", "coding-two-sum", texts))
    assert first.model_dump_json() == second.model_dump_json()


def test_markers_are_deterministic_and_output_lines_without_them_are_ignored() -> None:
    assert (
        harness.marker("s", 1, "tests") == harness.marker("s", 1, "tests") != harness.marker("s", 2, "tests")
    )
    mark = harness.marker("s", 1)
    forged = '@@rehearse-0000000000000000 {"case": 0, "out": "[0, 1]"}'
    out = harness.parse_output(
        f'{forged}\nnoise\n{mark} {{"case": 1, "out": "[1, 2]"}}\n{mark} {{"done": true}}', mark
    )
    assert list(out.cases) == [1] and out.done
