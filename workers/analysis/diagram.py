"""Read a candidate's Excalidraw diagram: which boxes, which arrows, which rubric components.

Excalidraw 0.18 scenes: shapes (`rectangle`, `ellipse`, `diamond`) carry their label as a `text`
element bound through `containerId`; arrows bind their ends with `startBinding`/`endBinding`. People
also type a label next to a box, or drop an arrow near a box without it snapping, so unbound text
and arrow ends attach to the shape they sit in or next to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from models.bank import Component, Connection, DesignSpec
from workers.analysis.geometry import NEAR, Element, Point, Rect, bounds, centre, ends, nearest
from workers.analysis.text import stems

SHAPE_TYPES = frozenset({"rectangle", "ellipse", "diamond"})
LINK_TYPES = frozenset({"arrow", "line"})


@dataclass(frozen=True, slots=True)
class Shape:
    id: str
    type: str  # rectangle | ellipse | diamond | text (a free-standing label used as a box)
    label: str


@dataclass(frozen=True, slots=True)
class Arrow:
    id: str
    source_id: str | None  # None: the end is attached to nothing
    target_id: str | None
    source_label: str
    target_label: str
    label: str
    directed: bool = True  # False for a line or a double-headed arrow


@dataclass(frozen=True, slots=True)
class DiagramSummary:
    shapes: list[Shape]
    arrows: list[Arrow]


@dataclass(frozen=True, slots=True)
class DiagramMatch:
    found: dict[str, str]  # component id -> label of the (first) shape that shows it
    missing: list[Component]  # every component not drawn; filter on `.required` to nag
    connections_present: list[Connection]  # linked in either direction
    connections_missing: list[Connection]
    connections_reversed: list[Connection] = field(default_factory=list)  # present, drawn target->source
    orphans: list[Shape] = field(default_factory=list)  # labelled shapes no arrow touches
    unknown_shapes: list[Shape] = field(default_factory=list)  # labelled, matching no component


def _text(e: Element) -> str:
    return " ".join(str(e.get("text") or e.get("originalText") or "").split())


def summarise(scene: dict[str, Any]) -> DiagramSummary:
    """Shapes with their labels, and arrows with the shapes at each end, in scene order."""
    live = [e for e in scene.get("elements") or [] if isinstance(e, dict) and not e.get("isDeleted")]
    shapes = {str(e["id"]): e for e in live if e.get("type") in SHAPE_TYPES and e.get("id")}
    links = [e for e in live if e.get("type") in LINK_TYPES and e.get("id")]
    texts: dict[str, list[str]] = {i: [] for i in [*shapes, *(str(e["id"]) for e in links)]}
    # a container's boundElements also names its text, for scenes whose text lost its containerId
    owner = {
        str(b.get("id")): str(e["id"])
        for e in live
        for b in e.get("boundElements") or []
        if isinstance(b, dict) and b.get("type") == "text"
    }
    rects = {i: bounds(e) for i, e in shapes.items()}
    nodes: dict[str, str] = {}  # a text's id -> the shape it labels (itself when it stands alone)
    for e in (e for e in live if e.get("type") == "text" and _text(e) and e.get("id")):
        text_id = str(e["id"])
        container = str(e.get("containerId") or owner.get(text_id, ""))
        if container not in texts:  # free-standing: the box it sits in or beside, else an arrow's
            container = nearest(centre(e), rects) or _caption_of(centre(e), links, texts) or ""
        if container in texts:
            texts[container].append(_text(e))
            nodes[text_id] = container
        else:  # a bare word with no box: people draw "Client" like that; it is a node
            shapes[text_id], texts[text_id], nodes[text_id] = e, [_text(e)], text_id
            rects[text_id] = bounds(e)
    found = {i: Shape(i, str(e["type"]), " ".join(texts[i])) for i, e in shapes.items()}
    arrows = [_arrow(e, " ".join(texts[str(e["id"])]), rects, nodes, found) for e in links]
    return DiagramSummary(
        shapes=list(found.values()), arrows=[a for a in arrows if a.source_id or a.target_id]
    )


def _caption_of(point: Point, links: list[Element], texts: dict[str, list[str]]) -> str | None:
    """The still unlabelled arrow whose middle is within NEAR of this point, if any."""
    close = []
    for e in links:
        (x0, y0), (x1, y1) = ends(e)
        gap = math.hypot(point[0] - (x0 + x1) / 2, point[1] - (y0 + y1) / 2)
        if gap <= NEAR and not texts[str(e["id"])]:
            close.append((gap, str(e["id"])))
    return min(close)[1] if close else None


def _arrow(
    e: Element, label: str, rects: dict[str, Rect], nodes: dict[str, str], shapes: dict[str, Shape]
) -> Arrow:
    attached: list[str | None] = []
    for binding, point in zip(("startBinding", "endBinding"), ends(e), strict=True):
        bound = str((e.get(binding) or {}).get("elementId") or "")
        bound = nodes.get(bound, bound)  # bound to a box's label text: the box
        if bound not in shapes:  # unbound, or bound to something deleted: use the geometry
            bound = nearest(point, rects) or ""
        attached.append(bound or None)
    source, target = attached
    is_arrow = e.get("type") == "arrow"
    start_head = e.get("startArrowhead")
    end_head = e.get("endArrowhead", "arrow" if is_arrow else None)  # older scenes omit the default
    if is_arrow and start_head and not end_head:
        source, target = target, source  # drawn backwards: the head is at the start
    return Arrow(
        id=str(e["id"]),
        source_id=source,
        target_id=target,
        source_label=shapes[source].label if source else "",
        target_label=shapes[target].label if target else "",
        label=label,
        directed=is_arrow and bool(start_head) != bool(end_head),
    )


# ---------------------------------------------------------------------------------------------
# Matching shapes to the rubric's components


def _spans(label: str, design: DesignSpec) -> list[tuple[int, int, str]]:
    """Which components a label names, as (start, end, component id) over its stemmed words.

    Every synonym found is a candidate; the longest wins and overlapping shorter ones are dropped,
    so "graph db" is not also "db", and "trie builder" is not "trie". Non-overlapping matches all
    count: "gateway + rate limiter" is both.
    """
    words = stems(label)
    found: list[tuple[int, int, int, str]] = []  # (-length, -start, start, id): longest, then rightmost
    for component in design.components:
        for synonym in component.synonyms:
            needle = stems(synonym)
            n = len(needle)
            for i in range(len(words) - n + 1):
                if n and words[i : i + n] == needle:
                    found.append((-n, -i, i, component.id))
    chosen: list[tuple[int, int, str]] = []
    for neg_n, _, start, cid in sorted(found):
        end = start - neg_n
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, cid))
    return sorted(chosen)


def match(design: DesignSpec, summary: DiagramSummary) -> DiagramMatch:
    """Compare the drawing with the rubric's components and connections."""
    shape_components = {s.id: [cid for _, _, cid in _spans(s.label, design)] for s in summary.shapes}
    found: dict[str, str] = {}
    for shape in summary.shapes:
        for cid in shape_components[shape.id]:
            found.setdefault(cid, shape.label)
    linked: set[tuple[str, str]] = set()  # (from, to) component pairs; both ways when undirected
    for arrow in summary.arrows:
        for a in shape_components.get(arrow.source_id or "", []):
            for b in shape_components.get(arrow.target_id or "", []):
                linked.add((a, b))
                if not arrow.directed:
                    linked.add((b, a))
    for components in shape_components.values():  # one box holding two components links them
        linked.update((a, b) for a in components for b in components if a != b)
    present: list[Connection] = []
    missing: list[Connection] = []
    reversed_: list[Connection] = []
    for conn in design.connections:
        forward, backward = (conn.source, conn.target) in linked, (conn.target, conn.source) in linked
        (present if forward or backward else missing).append(conn)
        if backward and not forward:
            reversed_.append(conn)
    touched = {i for a in summary.arrows for i in (a.source_id, a.target_id) if i}
    return DiagramMatch(
        found=found,
        missing=[c for c in design.components if c.id not in found],
        connections_present=present,
        connections_missing=missing,
        connections_reversed=reversed_,
        orphans=[s for s in summary.shapes if s.label and s.id not in touched],
        unknown_shapes=[s for s in summary.shapes if s.label and not shape_components[s.id]],
    )


def describe(summary: DiagramSummary) -> str:
    """A compact, deterministic text rendering of the drawing for an LLM prompt."""

    def name(shape_id: str | None, label: str) -> str:
        if not shape_id:
            return "(nothing)"
        return f'"{label}"' if label else f"(unlabelled {kinds.get(shape_id, 'shape')})"

    kinds = {s.id: s.type for s in summary.shapes}
    if not summary.shapes and not summary.arrows:
        return "The diagram is empty."
    labelled = [f'"{s.label}"' for s in summary.shapes if s.label]
    unlabelled = sum(1 for s in summary.shapes if not s.label)
    lines = [f"Boxes ({len(summary.shapes)}): " + (", ".join(labelled) or "none labelled")]
    if unlabelled:
        lines[0] += f", plus {unlabelled} unlabelled"
    for arrow in summary.arrows:
        link = " -> " if arrow.directed else " -- "
        text = name(arrow.source_id, arrow.source_label) + link + name(arrow.target_id, arrow.target_label)
        lines.append(f"- {text}" + (f" [{arrow.label}]" if arrow.label else ""))
    touched = {i for a in summary.arrows for i in (a.source_id, a.target_id) if i}
    loose = [f'"{s.label}"' for s in summary.shapes if s.label and s.id not in touched]
    if loose:
        lines.append("Not connected: " + ", ".join(loose))
    return "\n".join(lines)
