"""System design: the conversation's coverage of each phase, and the last diagram against the
question's reference architecture (components by label and synonym, required connections, orphans).
"""

from __future__ import annotations

from typing import Any

from models.bank import DesignSpec
from models.report import Dimension, Evidence
from workers.analysis import coverage as coverage_lib
from workers.analysis import diagram as diagrams
from workers.analysis.coverage import PointHit
from workers.feedback.material import QuestionMaterial, SessionMaterial
from workers.feedback.scoring import common, relevance
from workers.feedback.scoring.common import Coverage, DomainScore

# (key, name, weight, phases); "architecture" also weighs the diagram.
DIMENSIONS: list[tuple[str, str, float, tuple[str, ...]]] = [
    ("requirements", "Requirements", 0.15, ("requirements",)),
    ("estimates", "Capacity estimates", 0.10, ("estimates",)),
    ("api", "API design", 0.10, ("api",)),
    ("data_model", "Data model", 0.10, ("data_model",)),
    ("architecture", "High-level architecture and diagram", 0.25, ("high_level",)),
    ("scaling", "Deep dive and scaling", 0.15, ("deep_dive",)),
    ("trade_offs", "Trade-offs and bottlenecks", 0.15, ("wrap_up",)),
]
DIAGRAM_SHARE = 0.65  # of the architecture score, when there is a diagram
TALK_ONLY_CAP = 0.5  # architecture described but never drawn


def score(material: SessionMaterial) -> DomainScore:
    result = DomainScore([], [])
    per_question = []
    answered = [q for q in material.questions if q.lines] or material.questions[:1]
    for question in answered:
        dims, hits = _question(question, material.scene if question is answered[0] else None, result)
        per_question.append(dims)
        result.questions.append(common.breakdown(question, dims, hits))
    result.dimensions = common.combine(per_question)
    return result


def _question(
    material: QuestionMaterial, scene: dict[str, Any] | None, result: DomainScore
) -> tuple[list[Dimension], dict[str, PointHit]]:
    question = material.question
    units = coverage_lib.candidate_units(material.texts)
    gate = relevance.assess(question, units).gate
    hits = common.strict(question, coverage_lib.analyse(question, material.texts))
    result.note_relevance(question.title, gate, units)
    dims = []
    for key, name, weight, phases in DIMENSIONS:
        talk = common.coverage(question, hits, phases, material.lines)
        result.add_missed(key, talk)
        if key == "architecture" and question.design is not None:
            dims.append(_architecture(key, name, weight, question.design, talk, gate, scene))
        else:
            dims.append(
                common.dimension(key, name, weight, talk.score(gate), talk.evidence, _note(talk, name))
            )
    return dims, hits


def _note(talk: Coverage, name: str) -> str:
    return talk.note() if talk.touched else f"nothing in the conversation addressed {name.lower()}"


def _architecture(
    key: str,
    name: str,
    weight: float,
    design: DesignSpec,
    talk: Coverage,
    gate: float,
    scene: dict[str, Any] | None,
) -> Dimension:
    talk_score = talk.score(gate)
    summary = diagrams.summarise(scene or {"elements": []})
    labelled = [s for s in summary.shapes if s.label]
    if not labelled:
        score = None if talk_score is None else round(TALK_ONLY_CAP * talk_score)
        note = "No diagram was drawn. " + (
            talk.note() if talk.touched else "The architecture was not described."
        )
        return common.dimension(key, name, weight, score, talk.evidence, note)
    match = diagrams.match(design, summary)
    drawn, evidence, remarks = _diagram_share(design, summary, match)
    score = round(100 * (DIAGRAM_SHARE * drawn + (1 - DIAGRAM_SHARE) * (talk_score or 0) / 100))
    note = " ".join([*remarks, talk.note()]).strip()
    return common.dimension(key, name, weight, score, [*evidence, *talk.evidence[:1]], note)


def _diagram_share(
    design: DesignSpec, summary: diagrams.DiagramSummary, match: diagrams.DiagramMatch
) -> tuple[float, list[Evidence], list[str]]:
    """0..1 for the drawing: required components (50 %), connections (35 %), nothing orphaned (15 %)."""
    required = [c for c in design.components if c.required]
    found_required = [c for c in required if c.id in match.found]
    components = len(found_required) / len(required) if required else 1.0
    connections = len(match.connections_present) / len(design.connections)
    labelled = [s for s in summary.shapes if s.label]
    tidy = 1.0 - len(match.orphans) / len(labelled) if match.found else 0.0
    names = {c.id: c.label for c in design.components}
    evidence = []
    if match.found:
        shown = "; ".join(f"{names[cid]} (“{label}”)" for cid, label in match.found.items())
        evidence.append(Evidence(kind="diagram", text=common.clip(f"Drawn: {shown}", 600), ref="diagram"))
    remarks = [
        f"The diagram shows {len(found_required)} of {len(required)} required components and "
        f"{len(match.connections_present)} of {len(design.connections)} expected connections."
    ]
    missing = [c.label for c in match.missing if c.required]
    if missing:
        remarks.append("Missing from the diagram: " + ", ".join(missing) + ".")
        evidence.append(Evidence(kind="diagram", text="Missing: " + ", ".join(missing), ref="diagram"))
    absent = [f"{names[c.source]} → {names[c.target]}" for c in match.connections_missing]
    if absent:
        remarks.append("Connections not drawn: " + ", ".join(absent) + ".")
    if match.orphans:
        loose = ", ".join(f"“{s.label}”" for s in match.orphans)
        remarks.append(f"Not connected to anything: {loose}.")
        evidence.append(Evidence(kind="diagram", text=f"Not connected: {loose}", ref="diagram"))
    return 0.5 * components + 0.35 * connections + 0.15 * tidy, evidence, remarks
