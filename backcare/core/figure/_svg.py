"""SVG primitives shared by the props and the body: the palette, and the rectangles, polylines
and circles they are drawn with. Coordinates come in with y up (the floor at y = 0) and leave in
SVG's y-down space, every number written to one decimal (``backcare.core.svg.num``) so that the
output is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable

from backcare.core.figure._body import Box, Point
from backcare.core.svg import num

BACKGROUND = "#f7f9fa"
PALETTE = {
    "near": "#1e4d66",
    "torso": "#2b6483",
    "far": "#5f869c",
    "joint": "#ffffff",
    "floor": "#5f6b73",
    "mat": "#d9e6df",
    "mat_edge": "#5b8a72",
    "wall": "#e6e2da",
    "wall_edge": "#6b6358",
    "chair": "#7a5a3c",
    "ball": "#f6d3b8",
    "ball_edge": "#b5652f",
    "band": "#c2410c",
    "bike": "#4b5563",
    "water": "#e3f2f9",
    "water_edge": "#2f7fa8",
}
"""Body colours reach 3:1 against the background, the mat and the water (WCAG 2.1, 1.4.11
non-text contrast); the far side is lighter than the near side so the two read apart."""


def xy(p: Point) -> str:
    """A point as SVG coordinates, y down."""
    return f"{num(p[0])},{num(-p[1])}"


def rect(box: Box, style: str, rx: float = 0) -> str:
    """A ``<rect>`` over a box given with y up."""
    x0, y0, x1, y1 = box
    return (
        f'<rect x="{num(x0)}" y="{num(-y1)}" width="{num(x1 - x0)}" height="{num(y1 - y0)}"'
        f' rx="{num(rx)}" {style}/>'
    )


def line(points: Iterable[Point], style: str) -> str:
    """An unfilled ``<polyline>`` through the points."""
    return f'<polyline points="{" ".join(xy(p) for p in points)}" fill="none" {style}/>'


def stroke(colour: str, width: float) -> str:
    """Attributes for a round-capped stroke in a palette colour."""
    return (
        f'stroke="{PALETTE[colour]}" stroke-width="{num(width)}" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )


def fill(colour: str) -> str:
    """A fill attribute in a palette colour."""
    return f'fill="{PALETTE[colour]}"'


def circle(c: Point, r: float, style: str) -> str:
    """A ``<circle>`` around a centre given with y up."""
    return f'<circle cx="{num(c[0])}" cy="{num(-c[1])}" r="{num(r)}" {style}/>'
