"""Build Excalidraw 0.18 scene elements by hand, with the fields a real export carries."""

from __future__ import annotations

from typing import Any

Element = dict[str, Any]


def _base(element_id: str, kind: str, x: float, y: float, w: float, h: float) -> Element:
    return {
        "id": element_id,
        "type": kind,
        "x": x,
        "y": y,
        "width": w,
        "height": h,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "frameId": None,
        "index": "a0",
        "roundness": {"type": 3},
        "seed": sum(map(ord, element_id)),
        "version": 3,
        "versionNonce": 1,
        "isDeleted": False,
        "boundElements": None,
        "updated": 1_760_000_000_000,
        "link": None,
        "locked": False,
    }


def text(element_id: str, value: str, x: float, y: float, container: str | None = None) -> Element:
    e = _base(element_id, "text", x, y, 10.0 * len(value), 25)
    e.update(
        text=value,
        originalText=value,
        fontSize=20,
        fontFamily=5,
        textAlign="center" if container else "left",
        verticalAlign="middle" if container else "top",
        containerId=container,
        autoResize=True,
        lineHeight=1.25,
        roundness=None,
    )
    return e


def box(
    element_id: str,
    label: str | None,
    x: float,
    y: float,
    w: float = 160,
    h: float = 80,
    kind: str = "rectangle",
) -> list[Element]:
    """A shape and, when labelled, its bound text (listed in the shape's boundElements)."""
    shape = _base(element_id, kind, x, y, w, h)
    if label is None:
        return [shape]
    label_id = f"{element_id}-label"
    shape["boundElements"] = [{"id": label_id, "type": "text"}]
    return [shape, text(label_id, label, x + 10, y + h / 2 - 12, container=element_id)]


def arrow(
    element_id: str,
    start: tuple[float, float],
    end: tuple[float, float],
    source: str | None = None,
    target: str | None = None,
    label: str | None = None,
    kind: str = "arrow",
    heads: tuple[str | None, str | None] = (None, "arrow"),
) -> list[Element]:
    """An arrow from `start` to `end` (absolute points), bound to `source`/`target` if given."""
    e = _base(element_id, kind, start[0], start[1], abs(end[0] - start[0]), abs(end[1] - start[1]))
    e.update(
        points=[[0, 0], [end[0] - start[0], end[1] - start[1]]],
        lastCommittedPoint=None,
        startBinding={"elementId": source, "focus": 0, "gap": 1, "fixedPoint": None} if source else None,
        endBinding={"elementId": target, "focus": 0, "gap": 1, "fixedPoint": None} if target else None,
        startArrowhead=heads[0],
        endArrowhead=heads[1],
        elbowed=False,
        roundness={"type": 2},
    )
    out = [e]
    if label:
        label_id = f"{element_id}-label"
        e["boundElements"] = [{"id": label_id, "type": "text"}]
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        out.append(text(label_id, label, mid[0], mid[1], container=element_id))
    return out


def bind(elements: list[Element]) -> list[Element]:
    """List every bound arrow in its shapes' boundElements, as Excalidraw does."""
    by_id = {e["id"]: e for e in elements}
    for e in elements:
        for key in ("startBinding", "endBinding"):
            binding = e.get(key)
            if binding and binding["elementId"] in by_id:
                shape = by_id[binding["elementId"]]
                shape["boundElements"] = [*(shape["boundElements"] or []), {"id": e["id"], "type": "arrow"}]
    return elements


def scene(*groups: list[Element]) -> dict[str, Any]:
    elements = bind([e for group in groups for e in group])
    return {
        "type": "excalidraw",
        "version": 2,
        "source": "https://excalidraw.com",
        "elements": elements,
        "appState": {"viewBackgroundColor": "#ffffff", "gridSize": 20},
        "files": {},
    }
