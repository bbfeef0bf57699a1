"""The props drawn besides the body: floor, exercise mat, wall, chair, Swiss ball, resistance
band, exercise bike and pool water, each a :class:`Prop` holding its SVG, its layer and its bounds.
Their sizes are here too; where each one goes relative to the body is decided by the layout, which
calls these builders with the body's points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backcare.core.figure._body import HEAD_R, Box, Point, Points, outline
from backcare.core.figure._svg import BACKGROUND, circle, fill, line, rect, stroke, xy
from backcare.core.svg import num

MAT_T = 4.0
BALL_R, BALL_R_MIN, BALL_R_MAX = 26.0, 17.0, 36.0
"""A Swiss ball is about knee height, so a seated user has the hips level with the knees; the
drawing picks a size within that range that the body actually rests on."""
SEAT_MIN = 36.0
"""The lowest chair seat drawn (a little below knee height); a higher pelvis gets a higher seat."""
CRANK_R, CRANK_H = 9.0, 26.0


@dataclass(frozen=True)
class Prop:
    """Something drawn besides the body: floor, mat, wall, chair, ball, band, bike or water."""

    name: str
    layer: str  # "back" behind everything, "mid" between the far and near side, "front" on top
    svg: str
    box: Box


def ball(centre: Point, radius: float) -> Prop:
    """A Swiss ball with a seam, drawn between the far and near side of the body."""
    x, y = centre
    svg = circle(centre, radius, f"{fill('ball')} {stroke('ball_edge', 2)}")
    seam = f"M{xy((x - radius, y))} A{num(radius)},{num(radius * 0.35)} 0 0 0 {xy((x + radius, y))}"
    svg += f'<path d="{seam}" fill="none" {stroke("ball_edge", 1)}/>'
    return Prop("ball", "mid", svg, (x - radius, y - radius, x + radius, y + radius))


def wall(points: Points, x: float, *, behind: bool) -> Prop:
    """A wall whose face is at ``x``, behind the body or in front of it."""
    top = max(y for _, y in points.values()) + HEAD_R + 16
    x0, x1 = (x - 10, x) if behind else (x, x + 10)
    face = x1 if behind else x0
    svg = rect((x0, 0, x1, top), fill("wall"))
    svg += line([(face, 0), (face, top)], stroke("wall_edge", 2))
    return Prop("wall", "back", svg, (x0, 0, x1, top))


def wall_for(points: Points, *, behind: bool) -> Prop:
    """Against the back, or at the hands when they reach forward to push on it."""
    circles = outline(points)
    front_name, front, front_r = max(circles, key=lambda c: c[1][0] + c[2])
    if not behind and front_name in {"fingers", "wrist", "far_fingers", "far_wrist"}:
        return wall(points, front[0] + front_r, behind=False)
    back = [c[0] - r for name, c, r in circles if name in {"hip", "chest", "shoulder", "head"}]
    return wall(points, min(back), behind=True)


def _chair(x_back: float, x_front: float, seat: float, back_top: float) -> Prop:
    style = stroke("chair", 3.5)
    svg = line([(x_back, back_top), (x_back, 0)], style)
    svg += line([(x_back, seat), (x_front, seat), (x_front, 0)], style)
    svg += line([(x_back, seat - 9), (x_front, seat - 9)], stroke("chair", 2))
    return Prop("chair", "mid", svg, (x_back - 2, 0, x_front + 2, back_top + 2))


def chair_under(points: Points) -> Prop:
    """A chair whose seat is under the pelvis and whose back is behind the trunk."""
    hip_x, hip_y = points["hip"]
    seat = hip_y - 10.0 - 1.75  # pelvis radius, half the seat's stroke
    back = min(c[0] - r for n, c, r in outline(points) if n in {"chest", "shoulder"})
    return _chair(min(hip_x - 12, back - 2), hip_x + 30, seat, seat + 42)


def chair_behind(points: Points) -> Prop:
    """A chair ready to sit on, its seat just behind the legs."""
    low = [c[0] - r for _, c, r in outline(points) if c[1] - r < SEAT_MIN + 8]
    x_front = min(low, default=points["hip"][0]) - 3
    return _chair(x_front - 40, x_front, SEAT_MIN + 8, SEAT_MIN + 50)


def band(points: Points) -> Prop:
    """A resistance band from the hands to a post in front, or looped from the hands to the feet."""
    hand = points["wrist"]
    style = stroke("band", 2.5)
    if hand[1] > points["knee"][1] + 5:
        post = max(x for x, _ in points.values()) + 30
        svg = line([(post, 0), (post, hand[1] + 30)], stroke("floor", 3))
        svg += line([hand, (post, hand[1])], style)
        return Prop("band", "front", svg, (hand[0], 0, post + 2, hand[1] + 30))
    foot = points["toe"]
    svg = line([hand, foot, points["far_wrist"]], style)
    box = (min(hand[0], foot[0]), min(hand[1], foot[1]), max(hand[0], foot[0]), hand[1])
    return Prop("band", "front", svg, box)


def crank_centre(points: Points) -> Point:
    """Midway between the two pedals, or above a single foot whose pedal is at the bottom."""
    near, far = points["ankle"], points["far_ankle"]
    if math.dist(near, far) > 4:
        return ((near[0] + far[0]) / 2, (near[1] + far[1]) / 2)
    return (near[0], near[1] + CRANK_R)


def bike(points: Points, crank: Point) -> Prop:
    """An upright exercise bike: saddle under the pelvis, crank at the feet, bars at the hands."""
    hip_x, hip_y = points["hip"]
    saddle = (hip_x, hip_y - 11)
    wrist = points["wrist"]
    wheel = (crank[0] + 30, 17.0)
    bar = wrist if wrist[0] > wheel[0] - 10 else (wheel[0] + 4, saddle[1] + 16)
    rear, front = min(saddle[0], crank[0]) - 26, max(wheel[0] + 20, bar[0] + 8)
    frame = stroke("bike", 5)
    svg = line([(rear - 6, 2), (front, 2)], stroke("bike", 4))
    svg += line([(rear, 2), crank, wheel, (wheel[0] + 12, 2)], frame)
    svg += line([crank, saddle], frame)
    svg += line([wheel, (bar[0] - 5, bar[1] - 3), bar], frame)
    svg += line([(saddle[0] - 9, saddle[1]), (saddle[0] + 7, saddle[1])], stroke("bike", 4.5))
    svg += circle(wheel, 14, f'fill="{BACKGROUND}" {stroke("bike", 3)}')
    svg += circle(crank, CRANK_R, f'fill="none" {stroke("bike", 1.5)}')
    svg += line([points["ankle"], crank, points["far_ankle"]], stroke("bike", 2.5))
    return Prop("bike", "mid", svg, (rear - 8, 0, front + 2, max(saddle[1], bar[1]) + 4))


def water(points: Points) -> list[Prop]:
    """Water to chest height for standing work; a swimmer's back just under the surface."""
    (_, hip_y), (_, shoulder_y) = points["hip"], points["shoulder"]
    level = max(hip_y + 0.75 * (shoulder_y - hip_y), hip_y + 14)
    xs = [x for x, _ in points.values()]
    x0, x1 = min(xs) - 24, max(xs) + 24
    steps = int((x1 - x0) // 8)
    wave = [(x0 + 8 * i, level + (1.5 if i % 2 else -1.5)) for i in range(steps + 1)]
    box = (x0, 0, x1, level + 2)
    return [
        Prop("water", "back", rect((x0, 0, x1, level), fill("water")), box),
        Prop("water_surface", "front", line(wave, stroke("water_edge", 2)), box),
    ]


def mat(points: Points) -> Prop:
    """An exercise mat under every part of the body that is near the floor."""
    near_floor = [c[0] for _, c, r in outline(points) if c[1] - r < 8]
    x0, x1 = min(near_floor) - 14, max(near_floor) + 14
    svg = rect((x0, -MAT_T, x1, 0), f"{fill('mat')} {stroke('mat_edge', 1.5)}", 2)
    return Prop("mat", "back", svg, (x0, -MAT_T, x1, 0))


def floor(x0: float, x1: float, y: float) -> Prop:
    """The floor line from ``x0`` to ``x1`` at height ``y``."""
    return Prop("floor", "back", line([(x0, y), (x1, y)], stroke("floor", 2)), (x0, y, x1, y))
