"""The optional LLM grader: the interviewer's provider, asked for the same `ReportBody`, then checked.

The model's answer is parsed against the report model, and then it must also earn its place: the
same dimensions as the rules scorer, every quote found verbatim in what the candidate said, wrote
or drew (or in our own test results), a score only where some evidence survives, and an overall
within MAX_DRIFT points of the rules scorer's (a grader talked into "100" by the candidate is not
believed). The verdict band is recomputed from the overall; the per-question facts and hint counts
stay the rules scorer's. On any failure the rules report is returned with a note saying why.
"""

from __future__ import annotations

import logging
import re

from config import Settings
from models.report import Dimension, Evidence, Improvement, Report, ReportBody, Strength
from workers.analysis import diagram as diagrams
from workers.feedback.material import SessionMaterial
from workers.feedback.scoring import summary
from workers.llm.prompts import grader_messages
from workers.llm.provider import LLMProvider, ProviderError

log = logging.getLogger("rehearse.feedback")

MAX_DRIFT = 25
_QUOTES = "\"'`\u201c\u201d\u2018\u2019"


class Rejected(Exception):
    """The model answered in the right shape, but not with a report we can stand behind."""


def grade(settings: Settings, material: SessionMaterial, rules: Report) -> Report:
    if not settings.llm_base_url or not settings.llm_model:
        return rules
    provider = LLMProvider(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_grading_timeout_s,
        first_token_timeout_s=settings.llm_grading_timeout_s,
    )
    try:
        body = provider.complete_json(_messages(material, rules), ReportBody)
        return accept(body, rules, material, f"llm:{settings.llm_model}")
    except (ProviderError, Rejected) as exc:
        log.warning("LLM grader %s not used for %s: %s", settings.llm_model, material.session_id, exc)
        note = f"The LLM grader ({settings.llm_model}) was not used: {exc}. This is the rules-based report."
        return rules.model_copy(update={"notes": [*rules.notes, note[:600]]})
    finally:
        provider.close()


def accept(body: ReportBody, rules: Report, material: SessionMaterial, scorer: str) -> Report:
    """The model's report checked against the material and the rules report (raises Rejected)."""
    theirs = {d.key: d for d in body.dimensions}
    if sorted(theirs) != sorted(d.key for d in rules.dimensions):
        raise Rejected(f"its dimensions {sorted(theirs)} are not the rubric's")
    sources = _sources(material, rules)
    dimensions = []
    for ours in rules.dimensions:
        proposed = theirs[ours.key]
        evidence = _verified(proposed.evidence, sources)
        if proposed.score is not None and not evidence:
            raise Rejected(f"it scored {ours.key} without evidence found in the session")
        dimensions.append(
            Dimension(
                key=ours.key,
                name=ours.name,
                score=proposed.score,
                evidence=evidence,
                note=proposed.note,
                weight=ours.weight,
            )
        )
    if abs(body.overall - rules.overall) > MAX_DRIFT:
        raise Rejected(
            f"its overall {body.overall} is more than {MAX_DRIFT} points from the rules' {rules.overall}"
        )
    strengths = [Strength(text=s.text, evidence=_verified(s.evidence, sources)) for s in body.strengths]
    improvements = [
        Improvement(text=i.text, next_step=i.next_step, evidence=_verified(i.evidence, sources))
        for i in body.improvements
    ]
    return rules.model_copy(
        update={
            "scorer": scorer,
            "overall": body.overall,
            "verdict": summary.verdict(body.overall, rules.level),
            "dimensions": dimensions,
            "strengths": [s for s in strengths if s.evidence],  # praise needs evidence
            "improvements": improvements,
        }
    )


def _messages(material: SessionMaterial, rules: Report) -> list[dict[str, str]]:
    questions = [q.question for q in material.questions]
    rubric = [
        f"Dimension `{d.key}` ({d.name}), {round(100 * d.weight)}% of the overall; the rules scorer gave "
        f"{'no score (not enough evidence)' if d.score is None else d.score}."
        for d in rules.dimensions
    ]
    rubric += [f"{q.title}: {p.label}" for q in questions for p in q.talking_points]
    rubric.append(
        "Scores are 0-100; a dimension without evidence gets score null and the note 'not enough evidence'. "
        f"Verdict bands for a {rules.level} candidate: "
        + ", ".join(
            f"{band} from {floor + summary.LEVEL_OFFSET.get(rules.level or '', 5)}"
            for floor, band in summary.BANDS
        )
        + ", otherwise no_hire."
    )
    codes = [q.final_code.code for q in material.questions if q.final_code is not None]
    measured = [
        e.text for d in rules.dimensions if d.key in ("correctness", "efficiency") for e in d.evidence
    ]
    scene = diagrams.describe(diagrams.summarise(material.scene)) if material.scene else None
    return grader_messages(
        " / ".join(q.title for q in questions),
        "\n\n".join(q.prompt for q in questions),
        rubric,
        material.transcript,
        "\n\n".join(codes) or None,
        "\n".join(measured) or None,
        scene,
        ReportBody,
    )


def _sources(material: SessionMaterial, rules: Report) -> dict[str, list[str]]:
    said = [line.text for q in material.questions for line in q.lines]
    code = [q.final_code.code for q in material.questions if q.final_code is not None]
    ours = {
        kind: [e.text for d in rules.dimensions for e in d.evidence if e.kind == kind]
        for kind in ("test", "diagram")
    }
    scene = [diagrams.describe(diagrams.summarise(material.scene))] if material.scene else []
    return {
        "transcript": [_normal(t) for t in said],
        "code": [_normal(t) for t in code],
        "test": [_normal(t) for t in ours["test"]],
        "diagram": [_normal(t) for t in [*ours["diagram"], *scene]],
    }


def _verified(evidence: list[Evidence], sources: dict[str, list[str]]) -> list[Evidence]:
    """Only the quotes found verbatim (case and spacing aside) in the session's material."""
    kept = []
    for item in evidence:
        needle = _normal(item.text)
        if needle and any(needle in haystack for haystack in sources.get(item.kind, [])):
            kept.append(item)
    return kept


def _normal(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().strip(_QUOTES).strip()
    return text.removesuffix("...").removesuffix("…").strip().lower()
