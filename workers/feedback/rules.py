"""The rules scorer's report: the domain's dimensions plus the headline, stamped with its rubric.

Pure: the same material and the same code checks give the same report, byte for byte.
"""

from __future__ import annotations

from functools import cache

from models.bank import BANK_DIR, load_bank_file
from models.report import Report
from workers.analysis.utterance import is_injection
from workers.feedback.coderun import CodeChecks
from workers.feedback.material import SessionMaterial
from workers.feedback.scoring import behavioral, coding, summary, system_design
from workers.feedback.scoring.common import DomainScore

RULES_VERSION = "rules-1"


def report(material: SessionMaterial, checks: dict[str, CodeChecks] | None = None) -> Report:
    domain = _score(material, checks or {})
    dimensions = domain.dimensions
    overall = summary.overall(dimensions, material.hints_used)
    return Report(
        scorer="rules",
        rubric_version=rubric_version(material.session_type),
        session_type=material.session_type,
        level=material.level,
        overall=overall,
        verdict=summary.verdict(overall, material.level),
        dimensions=dimensions,
        strengths=summary.strengths(dimensions),
        improvements=summary.improvements(dimensions, domain.missed),
        questions=domain.questions,
        hints_used=material.hints_used,
        notes=[*_evidence_notes(material, domain), *domain.notes],
    )


def _score(material: SessionMaterial, checks: dict[str, CodeChecks]) -> DomainScore:
    if material.session_type == "coding":
        return coding.score(material, checks)
    if material.session_type == "system_design":
        return system_design.score(material)
    return behavioral.score(material)


def _evidence_notes(material: SessionMaterial, domain: DomainScore) -> list[str]:
    notes = []
    if all(d.score is None for d in domain.dimensions):
        said = sum(len(q.lines) for q in material.questions)
        why = "no answer" if said == 0 else "no substantive answer to the question"
        notes.append(f"Not enough evidence to assess this interview: the session holds {why}.")
    steering = sum(1 for q in material.questions for line in q.lines if is_injection(line.text))
    if steering:
        notes.append(
            f"{steering} message{'s' if steering != 1 else ''} addressed to the grader rather than the "
            "interviewer (asking for a score, or to ignore instructions) counted as no answer."
        )
    return notes


@cache
def rubric_version(session_type: str) -> str:
    """The bank's version and the scorer's, e.g. `coding-2026.11/rules-1`."""
    return f"{load_bank_file(BANK_DIR / f'{session_type}.yaml').version}/{RULES_VERSION}"
