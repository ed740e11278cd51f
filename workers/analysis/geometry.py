"""Plane geometry for Excalidraw elements: bounds, distances, which box a point belongs to."""

from __future__ import annotations

import math
from typing import Any

Element = dict[str, Any]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
Point = tuple[float, float]

NEAR = 40.0  # px: how far outside a shape an unbound arrow end or caption still belongs to it


def bounds(e: Element) -> Rect:
    x, y = float(e.get("x") or 0), float(e.get("y") or 0)
    w, h = float(e.get("width") or 0), float(e.get("height") or 0)
    return (min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h))


def centre(e: Element) -> Point:
    x0, y0, x1, y1 = bounds(e)
    return ((x0 + x1) / 2, (y0 + y1) / 2)


def ends(e: Element) -> tuple[Point, Point]:
    """Absolute first and last points of an arrow or line (its points are relative to x, y)."""
    points = e.get("points") or [[0, 0], [0, 0]]
    x, y = float(e.get("x") or 0), float(e.get("y") or 0)
    return (x + points[0][0], y + points[0][1]), (x + points[-1][0], y + points[-1][1])


def distance(point: Point, rect: Rect) -> float:
    """0 inside the rectangle, else the distance to its edge."""
    dx = max(rect[0] - point[0], 0.0, point[0] - rect[2])
    dy = max(rect[1] - point[1], 0.0, point[1] - rect[3])
    return math.hypot(dx, dy)


def _area(rect: Rect) -> float:
    return (rect[2] - rect[0]) * (rect[3] - rect[1])


def _inside(inner: Rect, outer: Rect) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def nearest(point: Point, rects: dict[str, Rect]) -> str | None:
    """The closest rectangle within NEAR (0 inside it), smaller first.

    A box drawn around others (a region, a group) loses to the boxes inside it, so an arrow that
    stops just short of "Redis" inside a "VPC" frame still reaches Redis.
    """
    close = {i: r for i, r in rects.items() if distance(point, r) <= NEAR}
    inner = {i: r for i, r in close.items() if not any(o != i and _inside(close[o], r) for o in close)}
    scored = [(distance(point, r), _area(r), i) for i, r in (inner or close).items()]
    return min(scored)[2] if scored else None
