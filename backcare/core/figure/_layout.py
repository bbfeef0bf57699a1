"""Laying out a pose for drawing: :func:`lay_out_pose` rests the body on its support (floor, mat,
chair seat, wall, Swiss ball, bike saddle, water), finds how big a ball it rests on or how high a
seat it needs, and places the props the exercise's equipment calls for. The result is a
:class:`Scene`, the body's points with the floor at y = 0 plus its props, which knows its bounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backcare.core.figure._body import (
    HEAD_R,
    PARTS,
    Box,
    Point,
    Points,
    face_points,
    lowest,
    moved,
    outline,
)
from backcare.core.figure._props import (
    BALL_R,
    BALL_R_MAX,
    BALL_R_MIN,
    CRANK_H,
    MAT_T,
    SEAT_MIN,
    Prop,
    ball,
    band,
    bike,
    chair_behind,
    chair_under,
    crank_centre,
    floor,
    mat,
    wall,
    wall_for,
    water,
)
from backcare.core.figure._resting import is_lying, rested
from backcare.core.library import KeyPose


def _gap(points: Points, centre: Point, radius: float) -> float:
    """Clearance between a circle and the body (negative when they overlap)."""
    best = math.dist(centre, points["head"]) - HEAD_R
    for part in PARTS:
        (ax, ay), (bx, by) = points[part.start], points[part.end]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else ((centre[0] - ax) * dx + (centre[1] - ay) * dy) / length2
        t = min(1.0, max(0.0, t))
        r = part.r_start + t * (part.r_end - part.r_start)
        best = min(best, math.dist(centre, (ax + t * dx, ay + t * dy)) - r)
    return best - radius


def _solve(f: Callable[[float], float], low: float, high: float) -> float:
    """Where a decreasing function crosses zero between two bounds (or the nearer bound)."""
    if f(low) <= 0:
        return low
    if f(high) >= 0:
        return high
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if f(mid) > 0 else (low, mid)
    return (low + high) / 2


def _along(points: Points, fraction: float) -> Point:
    (hx, hy), (sx, sy) = points["pelvis"], points["neck"]
    return (hx + fraction * (sx - hx), hy + fraction * (sy - hy))


@dataclass(frozen=True)
class Scene:
    """A pose laid out for drawing: joint positions (y up, the floor at y = 0) and props.

    ``pose`` is the pose as drawn: ``tilt_deg`` is how far its trunk was turned from the key pose
    to let a lying body settle onto the floor (0 when the key pose rests as written).
    """

    pose: KeyPose
    points: Points
    props: tuple[Prop, ...]
    tilt_deg: float = 0.0

    @property
    def prop_names(self) -> tuple[str, ...]:
        """Names of the props drawn, e.g. ``("mat", "floor")``."""
        return tuple(p.name for p in self.props)

    @property
    def face(self) -> Points:
        """Where the nose and the eyes that face the viewer are drawn (see ``face_points``)."""
        hx, hy = self.points["head"]
        return {name: (hx + x, hy + y) for name, (x, y) in face_points(self.pose).items()}

    def lowest_y(self) -> float:
        """Height of the body's lowest point."""
        return lowest(self.points)

    def bottom(self, point: str) -> float:
        """Height of the lowest edge of the body around a named point, e.g. "hip" or "head"."""
        return min(c[1] - r for name, c, r in outline(self.points) if name == point)

    def body_box(self) -> Box:
        """Bounds of the body alone."""
        return _union((c[0] - r, c[1] - r, c[0] + r, c[1] + r) for _, c, r in outline(self.points))

    def box(self) -> Box:
        """Bounds of everything drawn."""
        return _union([self.body_box(), *(p.box for p in self.props)])


def _union(boxes: Iterable[Box]) -> Box:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return (min(x0s), min(y0s), max(x1s), max(y1s))


_BALL_ON_TRUNK = {"ball_under_pelvis": 0.0, "ball_under_belly": 0.35, "ball_under_back": 0.55}
"""Where a Swiss ball touches the body, as a fraction of the way from hip to shoulder."""


def lay_out_pose(pose: KeyPose, equipment: tuple[str, ...]) -> Scene:
    """Rest the body on its support (the floor is y = 0) and place the props it needs."""
    drawn, points = rested(pose)
    props: list[Prop] = []
    support = pose.support
    if support in _BALL_ON_TRUNK or support == "ball_under_feet":
        on_trunk = _BALL_ON_TRUNK.get(support)
        target = points["ankle"] if on_trunk is None else _along(points, on_trunk)
        radius = _solve(lambda r: _gap(points, (target[0], r), r), BALL_R_MIN, BALL_R_MAX)
        centre = (target[0], radius)
        for _ in range(8):  # the body comes down onto the ball (or up off it)
            points = moved(points, 0, -_gap(points, centre, radius))
        points = moved(points, 0, max(0.0, -lowest(points)))
        props.append(ball(centre, radius))
    elif support == "ball_behind_back":
        target = _along(points, 0.3)
        cx = _solve(
            lambda x: _gap(points, (x, target[1]), BALL_R), target[0] - 3 * BALL_R, target[0]
        )
        props += [ball((cx, target[1]), BALL_R), wall(points, cx - BALL_R, behind=True)]
    elif support == "chair_seat":
        points = moved(points, 0, max(0.0, SEAT_MIN - (points["hip"][1] - 10.0)))
        props.append(chair_under(points))
    elif support == "bike_saddle":
        crank = crank_centre(points)
        points = moved(points, 0, CRANK_H - crank[1])
        props.append(bike(points, (crank[0], CRANK_H)))
    elif support == "water" and abs(math.sin(math.radians(drawn.trunk_deg))) > 0.7:
        points = moved(points, 0, 24.0)  # swimming: afloat, well clear of the pool floor
    names = {p.name for p in props}
    if "swiss_ball" in equipment and "ball" not in names:
        props.append(ball((max(x for x, _ in points.values()) + BALL_R + 12, BALL_R), BALL_R))
    if "chair" in equipment and support != "chair_seat":
        props.append(chair_behind(points))
    if ("wall" in equipment or support == "wall_behind") and "wall" not in names:
        props.append(wall_for(points, behind=support == "wall_behind"))
    if "band" in equipment:
        props.append(band(points))
    if "pool" in equipment or support == "water":
        props += water(points)
    lying = support == "floor" and is_lying(points)
    if lying:
        props.append(mat(points))
    x0, _, x1, _ = Scene(drawn, points, tuple(props)).box()
    props.append(floor(x0 - 10, x1 + 10, -MAT_T if lying else 0.0))
    return Scene(drawn, points, tuple(props), drawn.trunk_deg - pose.trunk_deg)
