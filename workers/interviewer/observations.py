"""Eyes on the work: what the interviewer says about the candidate's latest code and diagram.

Each observation has a key; the state remembers which were raised so none is raised twice.
Never hands out the solution: it points at a symptom and asks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.bank import Question
from workers.analysis import diagram as diagrams
from workers.interviewer.context import CodeSnapshot


@dataclass(frozen=True)
class Observation:
    key: str
    text: str


_VERDICT_WORDS = {
    "timeout": "hit the time limit",
    "memory_limit": "ran out of memory",
    "output_limit": "printed more output than the limit",
}
_ERROR_LINE = re.compile(r"^[A-Za-z_.]*(Error|Exception)\b")
_LOOP = re.compile(r"^\s*(for|while)\b|\.(forEach|map|filter|reduce)\(|^\s*for\s*\(", re.MULTILINE)


def code_observations(question: Question, code: CodeSnapshot | None) -> list[Observation]:
    """Observations about the latest run, most important first."""
    if code is None:
        return [
            Observation(
                "no-code", "I don't see any code yet. Write your solution in the Code tab and press Run."
            )
        ]
    spec = question.coding
    out: list[Observation] = []
    run = f"run:{code.submission_id}"
    if code.status == "error":
        out.append(
            Observation(
                f"{run}:error",
                f"Your last run failed with `{_last_error_line(code.stderr)}`. What do you think is going on there?",
            )
        )
    elif code.status in _VERDICT_WORDS:
        out.append(
            Observation(
                f"{run}:{code.status}",
                f"Your last run {_VERDICT_WORDS[code.status]}. Which part of your code could run longer or grow bigger than you expect?",
            )
        )
    if spec and _unchanged_starter(code, _starter(spec.starter_code, code.language)):
        out.append(
            Observation(
                "starter-unchanged",
                "It looks like the starter code is still unchanged. How would you start filling it in?",
            )
        )
    if spec and _nesting_depth(code.code) >= 2 and "n^2" not in spec.complexity.time.replace("²", "^2"):
        out.append(
            Observation(
                "nested-loops",
                f"I see nested loops in your `{spec.function_name}`. What's the time complexity of that, and can you get it down?",
            )
        )
    if code.status == "ok" and not code.stdout.strip():
        out.append(
            Observation(
                f"{run}:silent",
                "It ran cleanly but printed nothing. How would you check it against the examples?",
            )
        )
    if spec:
        for index, case in enumerate(spec.edge_cases):
            out.append(Observation(f"edge:{index}", f"How does your code handle this case: {case}?"))
    if code.status == "ok":
        out.append(
            Observation(
                f"{run}:ok", "That run looks clean. Walk me through which test cases you'd try next, and why."
            )
        )
    return out


def diagram_observations(question: Question, scene: dict[str, Any] | None) -> list[Observation]:
    """Gaps in the latest diagram compared with the question's reference architecture."""
    design = question.design
    if design is None:
        return []
    summary = diagrams.summarise(scene or {"elements": []})
    if not summary.shapes:
        return [
            Observation(
                "no-diagram",
                "Could you sketch the main components in the Design tab? It'll help us talk about how requests flow.",
            )
        ]
    match = diagrams.match(design, summary)
    out = [Observation(f"missing:{c.id}", c.ask_if_missing) for c in match.missing if c.required]
    for conn in match.connections_missing:
        source, target = match.found.get(conn.source), match.found.get(conn.target)
        if source and target:
            out.append(
                Observation(
                    f"link:{conn.source}>{conn.target}",
                    f"How does the {source} talk to the {target}? I don't see an arrow between them.",
                )
            )
    for arrow in summary.arrows:
        if not arrow.label and arrow.source_label and arrow.target_label:
            out.append(
                Observation(
                    f"arrow:{arrow.id}",
                    f"What does the arrow from the {arrow.source_label} to the {arrow.target_label} carry?",
                )
            )
    for shape in match.orphans:
        if shape.label:
            out.append(
                Observation(
                    f"orphan:{shape.id}",
                    f"I see '{shape.label}' on the diagram but nothing connects to it. What talks to it?",
                )
            )
    return out


def first_new(observations: list[Observation], already: list[str]) -> Observation | None:
    return next((o for o in observations if o.key not in already), None)


def _last_error_line(stderr: str) -> str:
    """The error itself (`NameError: ...`, `SyntaxError: ...`), not a runtime's trailing banner."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR_LINE.match(line)]
    return (errors[-1] if errors else lines[-1] if lines else "an error")[:160]


def _unchanged_starter(code: CodeSnapshot, starter: str) -> bool:
    return bool(starter) and _squash(code.code) == _squash(starter)


def _starter(starters: Mapping[Any, str], language: str) -> str:
    return starters.get(language, "")


def _squash(source: str) -> str:
    return re.sub(r"\s+", "", source)


def _nesting_depth(source: str) -> int:
    """How deeply loops nest, judged by indentation (Python) or braces (JavaScript/TypeScript)."""
    best, stack = 0, list[int]()
    for line in source.splitlines():
        indent = len(line) - len(line.lstrip())
        while stack and indent <= stack[-1]:
            stack.pop()
        if _LOOP.search(line):
            stack.append(indent)
            best = max(best, len(stack))
    return best
