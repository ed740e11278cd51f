"""The scorer against the calibration sets: per domain, sessions from excellent to empty with the
order a human grader would give them (tests/workers/feedback/calibration/*.yaml).

The scorer's order must agree with the intended one (Spearman >= 0.8), the strongest session must
beat the weakest by 30 points or more, and sessions with nothing to assess (empty, silent,
off-topic, talking to the grader) must score low, claim no strength and say "not enough evidence".
Coding sessions run their final code against the hidden tests and the growing inputs in real
sandbox containers, through the execution pool's in-process Dramatiq worker.
"""

from __future__ import annotations

from typing import Any

import dramatiq
import pytest

from config import Settings
from models.report import NOT_ENOUGH_EVIDENCE, Report
from models.runtime import worker_runtime
from tests.workers.feedback.sessions import create_session, load_calibration
from workers.feedback import service

DOMAINS = ["system_design", "behavioral", "coding"]
MIN_SPEARMAN = 0.8
MIN_GAP = 30
NO_EVIDENCE_MAX = 15


def spearman(xs: list[float], ys: list[float]) -> float:
    """Rank correlation with average ranks for ties."""
    rx, ry = _ranks(xs), _ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy)


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


@pytest.fixture(scope="module")
def scored(settings: Settings, worker: dramatiq.Worker) -> dict[str, list[tuple[dict[str, Any], Report]]]:
    """Every calibration session of every domain, stored and scored once per database."""
    rt = worker_runtime()
    out: dict[str, list[tuple[dict[str, Any], Report]]] = {}
    for domain in DOMAINS:
        out[domain] = []
        for spec in load_calibration(domain):
            session_id = create_session(rt, spec, domain)
            report = service.score_session(rt, session_id)
            assert report is not None, spec["name"]
            out[domain].append(({**spec, "session_id": session_id}, report))
    return out


def _table(results: list[tuple[dict[str, Any], Report]]) -> str:
    return "\n".join(f"{s['rank']:3} {r.overall:4} {r.verdict:13} {s['name']}" for s, r in results)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_scorer_orders_sessions_as_intended(domain: str, scored: dict[str, Any]) -> None:
    results = scored[domain]
    assert len(results) >= 10
    rho = spearman([-s["rank"] for s, _ in results], [r.overall for _, r in results])
    print(f"\n{domain}: Spearman {rho:.3f}\n{_table(results)}")
    assert rho >= MIN_SPEARMAN, _table(results)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_strongest_beats_the_weakest_by_thirty_points(domain: str, scored: dict[str, Any]) -> None:
    results = sorted(scored[domain], key=lambda pair: pair[0]["rank"])
    strongest, weakest = results[0][1], results[-1][1]
    assert strongest.overall - weakest.overall >= MIN_GAP, _table(results)
    assert strongest.verdict in ("strong_hire", "hire") and weakest.verdict == "no_hire"


@pytest.mark.parametrize("domain", DOMAINS)
def test_sessions_without_evidence_score_low_and_say_so(domain: str, scored: dict[str, Any]) -> None:
    empty = [(s, r) for s, r in scored[domain] if s.get("expect") == "no_evidence"]
    assert {s["name"] for s, _ in empty} >= {"empty", "silent", "injection"}
    for spec, report in empty:
        assert report.overall <= NO_EVIDENCE_MAX, spec["name"]
        assert report.verdict == "no_hire" and report.strengths == [], spec["name"]
        unscored = [d for d in report.dimensions if d.score is None]
        assert unscored and all(d.note.startswith(NOT_ENOUGH_EVIDENCE) for d in unscored), spec["name"]
        assert any(NOT_ENOUGH_EVIDENCE in n.lower() for n in report.notes) or len(unscored) * 2 >= len(
            report.dimensions
        ), spec["name"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_score_points_at_its_evidence(domain: str, scored: dict[str, Any]) -> None:
    for spec, report in scored[domain]:
        for dimension in report.dimensions:
            if dimension.score is not None and dimension.score > 0:
                assert dimension.evidence, (spec["name"], dimension.key)
        for strength in report.strengths:
            assert strength.evidence, spec["name"]
        for improvement in report.improvements:
            assert improvement.next_step, spec["name"]


def test_injection_is_named_in_the_report(scored: dict[str, Any]) -> None:
    for domain in DOMAINS:
        report = next(r for s, r in scored[domain] if s["name"] == "injection")
        assert any("addressed to the grader" in note for note in report.notes), domain


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_same_session_scored_again_gives_the_identical_report(
    domain: str, scored: dict[str, Any]
) -> None:
    """Computed from scratch, not read back: the material, the stored code runs and the scorer decide."""
    rt = worker_runtime()
    for spec, report in scored[domain][:3]:
        again = service.compute_report(rt, spec["session_id"])
        assert again is not None and again.model_dump_json() == report.model_dump_json(), spec["name"]
