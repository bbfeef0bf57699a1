"""Exercise illustrations: a side-view figure drawn from a key pose's joint angles, as SVG.

Three steps, each a pure function: :func:`pose_points` runs the forward kinematics from the hip
(see :class:`~backcare.core.library.KeyPose` for the angle convention), :func:`lay_out_pose` rests
that body on its support (floor, mat, chair, wall, Swiss ball, bike, water) and adds the props, and
the ``render_*`` functions write the scene as a standalone, deterministic SVG. Every picture uses
one scale, so a standing figure and a lying one are drawn at the same body size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from backcare.core.library import Exercise, KeyPose

__all__ = [
    "REFERENCE_WIDTH",
    "Scene",
    "lay_out_pose",
    "pose_points",
    "render_exercise_strip",
    "render_exercise_svg",
    "render_pose_svg",
]

Point = tuple[float, float]

# Body dimensions in drawing units (about a centimetre of a 176 cm adult), after the usual
# anthropometric ratios: thigh ≈ shank, trunk (hip to shoulder) ≈ 1.2 × thigh, head radius ≈ 0.3 ×
# trunk (drawn a little large so the face reads at small sizes).
THIGH, SHANK, TRUNK, NECK, HEAD_R = 42.0, 42.0, 50.0, 5.0, 14.0
UPPER_ARM, FOREARM, HAND = 30.0, 26.0, 9.0
HEEL_BACK, HEEL_DOWN, TOE_FORWARD = 3.5, 3.0, 15.0
CHEST_AT = 0.7
"""Where along the trunk the chest is deepest (fraction from hip to shoulder)."""

REFERENCE_WIDTH = 240.0
"""Drawing units shown in ``width_px`` pixels: room for a figure lying down, arms included."""
PAD = 8.0
MAT_T = 4.0
BALL_R, BALL_R_MIN, BALL_R_MAX = 26.0, 17.0, 36.0
"""A Swiss ball's diameter is chosen so a seated user has hips level with the knees (ball ≈ knee
height); the drawing lets it vary within a ball size or two so the body rests on it."""
SEAT_MIN = 36.0
"""The lowest chair seat drawn (a little below knee height); a higher pelvis gets a higher seat."""
CRANK_R, CRANK_H = 9.0, 26.0

_BG = "#f7f9fa"
_PALETTE = {
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
"""Body colours reach at least 3:1 against the background, the mat and the water (WCAG 2.1 AA for
graphics, 1.4.11); the far side is lighter than the near side so the two read apart."""


@dataclass(frozen=True)
class _Part:
    """A body part drawn as a tapered capsule between two named points."""

    name: str
    start: str
    end: str
    r_start: float
    r_end: float


_LIMBS = (
    _Part("thigh", "hip", "knee", 8.5, 5.8),
    _Part("shank", "knee", "ankle", 5.6, 3.8),
    _Part("foot", "heel", "toe", 3.4, 2.4),
    _Part("upper_arm", "shoulder", "elbow", 5.2, 4.0),
    _Part("forearm", "elbow", "wrist", 3.9, 3.0),
    _Part("hand", "wrist", "fingers", 3.2, 2.5),
)
_TORSO = (
    _Part("torso", "hip", "chest", 10.0, 11.0),
    _Part("torso", "chest", "shoulder", 11.0, 8.5),
    _Part("neck", "shoulder", "head", 4.6, 4.6),
)
_SHARED = {"hip", "shoulder"}
_JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow")
_FEET = {"heel", "toe", "ankle", "far_heel", "far_toe", "far_ankle"}


def _on(side: str, point: str) -> str:
    return point if side == "near" or point in _SHARED else f"far_{point}"


def _parts(side: str) -> tuple[_Part, ...]:
    return tuple(
        _Part(p.name, _on(side, p.start), _on(side, p.end), p.r_start, p.r_end) for p in _LIMBS
    )


_ALL_PARTS = _parts("far") + _TORSO + _parts("near")


def _dir(angle_deg: float) -> Point:
    """Unit vector for an angle measured from straight down, turning towards the front (+x)."""
    a = math.radians(angle_deg)
    return (math.sin(a), -math.cos(a))


def _add(p: Point, *steps: tuple[float, Point]) -> Point:
    x, y = p
    for length, (dx, dy) in steps:
        x, y = x + length * dx, y + length * dy
    return (x, y)


def pose_points(pose: KeyPose) -> dict[str, Point]:
    """Joint positions of a pose, hip at the origin, y up, the figure facing +x.

    Angles are measured in the body's own frame (0 = straight down for a standing person, turning
    forwards), then the whole body turns by ``trunk_deg`` (head forwards is clockwise).
    """

    def world(body_deg: float) -> Point:
        return _dir(body_deg - pose.trunk_deg)

    hip: Point = (0.0, 0.0)
    up = world(180)
    points = {
        "hip": hip,
        "chest": _add(hip, (TRUNK * CHEST_AT, up)),
        "shoulder": _add(hip, (TRUNK, up)),
        "head": _add(hip, (TRUNK, up), (NECK + HEAD_R, world(180 - pose.neck_deg))),
    }
    for prefix in ("", "far_"):
        angle = {j: float(getattr(pose, f"{prefix}{j}_deg")) for j in _JOINTS}
        shank = world(angle["hip"] - angle["knee"])
        foot = world(angle["hip"] - angle["knee"] + 90 + angle["ankle"])
        forearm = world(angle["shoulder"] + angle["elbow"])
        knee = _add(hip, (THIGH, world(angle["hip"])))
        ankle = _add(knee, (SHANK, shank))
        elbow = _add(points["shoulder"], (UPPER_ARM, world(angle["shoulder"])))
        wrist = _add(elbow, (FOREARM, forearm))
        points |= {
            f"{prefix}knee": knee,
            f"{prefix}ankle": ankle,
            f"{prefix}heel": _add(ankle, (HEEL_DOWN, shank), (-HEEL_BACK, foot)),
            f"{prefix}toe": _add(ankle, (HEEL_DOWN, shank), (TOE_FORWARD, foot)),
            f"{prefix}elbow": elbow,
            f"{prefix}wrist": wrist,
            f"{prefix}fingers": _add(wrist, (HAND, forearm)),
        }
    return points


# --- the scene: body resting on its support, with props ---------------------------------------


@dataclass(frozen=True)
class _Prop:
    name: str
    layer: str  # "back" (behind everything), "mid" (between far and near side), "front"
    svg: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1, y up


@dataclass(frozen=True)
class Scene:
    """A pose laid out for drawing: placed joint positions (y up, the floor at y = 0) and props."""

    points: dict[str, Point]
    props: tuple[_Prop, ...]

    @property
    def prop_names(self) -> tuple[str, ...]:
        """Names of the props drawn, e.g. ``("mat", "floor")``."""
        return tuple(p.name for p in self.props)

    def circles(self) -> list[tuple[str, Point, float]]:
        """The body's outline as circles (capsule ends and head); capsules are their hulls."""
        found = [(p.start, self.points[p.start], p.r_start) for p in _ALL_PARTS]
        found += [(p.end, self.points[p.end], p.r_end) for p in _ALL_PARTS]
        return [*found, ("head", self.points["head"], HEAD_R)]

    def lowest_y(self) -> float:
        """Height of the body's lowest point."""
        return min(c[1] - r for _, c, r in self.circles())

    def box(self) -> tuple[float, float, float, float]:
        """Bounds of everything drawn, y up."""
        cs = self.circles()
        boxes = [(c[0] - r, c[1] - r, c[0] + r, c[1] + r) for _, c, r in cs]
        boxes += [p.box for p in self.props]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


def _moved(points: dict[str, Point], dx: float, dy: float) -> dict[str, Point]:
    return {k: (x + dx, y + dy) for k, (x, y) in points.items()}


def _gap(points: dict[str, Point], centre: Point, radius: float) -> float:
    """Clearance between a circle and the body (negative when they overlap)."""
    best = math.dist(centre, points["head"]) - HEAD_R
    for part in _ALL_PARTS:
        (ax, ay), (bx, by) = points[part.start], points[part.end]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else ((centre[0] - ax) * dx + (centre[1] - ay) * dy) / length2
        t = min(1.0, max(0.0, t))
        r = part.r_start + t * (part.r_end - part.r_start)
        best = min(best, math.dist(centre, (ax + t * dx, ay + t * dy)) - r)
    return best - radius


def _solve(f: Callable[[float], float], low: float, high: float) -> float:
    """The root of a decreasing function between two bounds (or the nearer bound)."""
    if f(low) <= 0:
        return low
    if f(high) >= 0:
        return high
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if f(mid) > 0 else (low, mid)
    return (low + high) / 2


def _rest_on(points: dict[str, Point], centre: Point, radius: float) -> dict[str, Point]:
    """Move the body up or down until it just touches a circle."""
    for _ in range(8):
        points = _moved(points, 0, -_gap(points, centre, radius))
    return points


def _along(points: dict[str, Point], fraction: float) -> Point:
    (hx, hy), (sx, sy) = points["hip"], points["shoulder"]
    return (hx + fraction * (sx - hx), hy + fraction * (sy - hy))


_BALL_TARGETS = {  # where the ball touches the body: a fraction of the way from hip to shoulder
    "ball_under_pelvis": 0.0,
    "ball_under_belly": 0.35,
    "ball_under_back": 0.55,
}


def lay_out_pose(pose: KeyPose, equipment: tuple[str, ...]) -> Scene:
    """Rest the body on its support (the floor is y = 0) and place the props it needs."""
    base = Scene(pose_points(pose), ())
    points = _moved(base.points, 0, -base.lowest_y())
    props: list[_Prop] = []
    support = pose.support
    if support in _BALL_TARGETS or support == "ball_under_feet":
        if support == "ball_under_feet":
            target = points["ankle"]
        else:
            target = _along(points, _BALL_TARGETS[support])
        radius = _solve(lambda r: _gap(points, (target[0], r), r), BALL_R_MIN, BALL_R_MAX)
        centre = (target[0], radius)
        points = _rest_on(points, centre, radius)
        if support == "ball_under_pelvis" or Scene(points, ()).lowest_y() < 0:
            points = _moved(points, 0, max(0.0, -Scene(points, ()).lowest_y()))
        props.append(_ball(centre, radius))
    elif support == "ball_behind_back":
        target = _along(points, 0.3)
        cx = _solve(
            lambda x: _gap(points, (x, target[1]), BALL_R), target[0] - 3 * BALL_R, target[0]
        )
        props.append(_ball((cx, target[1]), BALL_R))
        props.append(_wall(points, cx - BALL_R, behind=True))
    elif support == "chair_seat":
        seat = points["hip"][1] - 10.0
        if seat < SEAT_MIN:
            points = _moved(points, 0, SEAT_MIN - seat)
        props.append(_chair_under(points))
    elif support == "bike_saddle":
        crank = _crank_centre(points)
        points = _moved(points, 0, CRANK_H - crank[1])
        props += _bike(points, (crank[0], CRANK_H))
    if "swiss_ball" in equipment and not any(p.name == "ball" for p in props):
        props.append(_ball(_beside(points, BALL_R), BALL_R))
    if "chair" in equipment and support != "chair_seat":
        props.append(_chair_behind(points))
    if ("wall" in equipment or support == "wall_behind") and not any(
        p.name == "wall" for p in props
    ):
        props.append(_wall_for(points, wall_behind=support == "wall_behind"))
    if "band" in equipment:
        props.append(_band(points))
    if "pool" in equipment or support == "water":
        props += _water(points)
    scene = Scene(points, tuple(props))
    lying = support == "floor" and any(
        c[1] - r < 1.0 and name not in _FEET for name, c, r in scene.circles()
    )
    x0, _, x1, _ = scene.box()
    if lying:
        props.append(_mat(scene))
    props.append(_floor(x0 - 10, x1 + 10, -MAT_T if lying else 0.0))
    return Scene(points, tuple(props))


# --- props -----------------------------------------------------------------------------------


def _n(v: float) -> str:
    """A number for the SVG: one decimal, never "-0.0"."""
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text


def _xy(p: Point) -> str:
    return f"{_n(p[0])},{_n(-p[1])}"


def _rect(x0: float, y0: float, x1: float, y1: float, style: str, rx: float = 0) -> str:
    return (
        f'<rect x="{_n(x0)}" y="{_n(-y1)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}"'
        f' rx="{_n(rx)}" {style}/>'
    )


def _line(points: Iterable[Point], style: str) -> str:
    return f'<polyline points="{" ".join(_xy(p) for p in points)}" fill="none" {style}/>'


def _stroke(colour: str, width: float) -> str:
    return (
        f'stroke="{_PALETTE[colour]}" stroke-width="{_n(width)}" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )


def _circle(c: Point, r: float, style: str) -> str:
    return f'<circle cx="{_n(c[0])}" cy="{_n(-c[1])}" r="{_n(r)}" {style}/>'


def _ball(centre: Point, radius: float) -> _Prop:
    x, y = centre
    svg = _circle(centre, radius, f'fill="{_PALETTE["ball"]}" {_stroke("ball_edge", 2)}')
    svg += _line(
        [(x - radius * 0.92, y - radius * 0.3), (x, y - radius * 0.42), (x + radius * 0.92, y)],
        _stroke("ball_edge", 1),
    )
    return _Prop("ball", "mid", svg, (x - radius, y - radius, x + radius, y + radius))


def _beside(points: dict[str, Point], radius: float) -> Point:
    """A free-standing ball on the floor in front of the figure."""
    front = max(x for x, _ in points.values())
    return (front + radius + 12, radius)


def _wall(points: dict[str, Point], x: float, *, behind: bool) -> _Prop:
    top = max(y for _, y in points.values()) + HEAD_R + 16
    x0, x1 = (x - 10, x) if behind else (x, x + 10)
    face = x1 if behind else x0
    svg = _rect(x0, 0, x1, top, f'fill="{_PALETTE["wall"]}"')
    svg += _line([(face, 0), (face, top)], _stroke("wall_edge", 2))
    return _Prop("wall", "back", svg, (x0, 0, x1, top))


def _wall_for(points: dict[str, Point], *, wall_behind: bool) -> _Prop:
    """Against the back, or at the hands when they reach forward to push on it."""
    scene = Scene(points, ())
    circles = scene.circles()
    front_name, front, front_r = max(circles, key=lambda c: c[1][0] + c[2])
    if not wall_behind and front_name in {"fingers", "wrist", "far_fingers", "far_wrist"}:
        return _wall(points, front[0] + front_r, behind=False)
    back = [c for c in circles if c[0] in {"hip", "chest", "shoulder", "head"}]
    return _wall(points, min(c[1][0] - c[2] for c in back), behind=True)


def _chair(x_back: float, x_front: float, seat: float, back_top: float) -> _Prop:
    style = _stroke("chair", 3.5)
    svg = _line([(x_back, back_top), (x_back, 0)], style)
    svg += _line([(x_back, seat), (x_front, seat), (x_front, 0)], style)
    svg += _line([(x_back, seat - 8), (x_front, seat - 8)], _stroke("chair", 2))
    return _Prop("chair", "mid", svg, (x_back - 2, 0, x_front + 2, back_top + 2))


def _chair_under(points: dict[str, Point]) -> _Prop:
    hip_x, hip_y = points["hip"]
    seat = hip_y - 10.0 - 1.75
    torso_back = min(
        c[0] - r for n, c, r in Scene(points, ()).circles() if n in {"chest", "shoulder"}
    )
    x_back = min(hip_x - 12, torso_back - 2)
    return _chair(x_back, hip_x + 30, seat, seat + 42)


def _chair_behind(points: dict[str, Point]) -> _Prop:
    """A chair ready to sit on, its seat just behind the legs."""
    legs = [c[0] - r for n, c, r in Scene(points, ()).circles() if c[1] - r < SEAT_MIN + 8]
    x_front = min(legs, default=points["hip"][0]) - 3
    return _chair(x_front - 40, x_front, SEAT_MIN + 8, SEAT_MIN + 50)


def _band(points: dict[str, Point]) -> _Prop:
    """A resistance band from the near hand to an anchor in front, or looped under the feet."""
    hand = points["fingers"]
    style = _stroke("band", 2.5)
    if hand[1] > points["knee"][1] + 5:
        anchor = (max(x for x, _ in points.values()) + 34, hand[1])
        svg = _line([hand, anchor], style)
        svg += _rect(anchor[0], anchor[1] - 8, anchor[0] + 5, anchor[1] + 8, f'fill="{_PALETTE["bike"]}"')
        return _Prop("band", "front", svg, (hand[0], anchor[1] - 8, anchor[0] + 5, anchor[1] + 8))
    foot = points["toe"]
    svg = _line([points["wrist"], foot, points["far_wrist"]], style)
    xs, ys = (hand[0], foot[0]), (hand[1], foot[1])
    return _Prop("band", "front", svg, (min(xs), min(ys), max(xs), max(ys)))


def _crank_centre(points: dict[str, Point]) -> Point:
    """Midway between the two pedals, or below a single foot on the pedal at the bottom."""
    near, far = points["ankle"], points["far_ankle"]
    if math.dist(near, far) > 4:
        return ((near[0] + far[0]) / 2, (near[1] + far[1]) / 2)
    return (near[0], near[1] + CRANK_R)


def _bike(points: dict[str, Point], crank: Point) -> list[_Prop]:
    hip_x, hip_y = points["hip"]
    saddle = (hip_x, hip_y - 11)
    hands = points["wrist"]
    bar = hands if hands[0] > hip_x + 15 else (crank[0] + 40, saddle[1] + 14)
    rear, front = saddle[0] - 34, bar[0] + 12
    frame = _stroke("bike", 5)
    svg = _line([(rear - 8, 2), (front + 10, 2)], _stroke("bike", 4))
    svg += _line([(rear, 3), crank, (bar[0] - 4, 10), (bar[0] - 4, bar[1] - 3), bar], frame)
    svg += _line([crank, saddle], frame)
    svg += _line([(saddle[0] - 9, saddle[1]), (saddle[0] + 7, saddle[1])], _stroke("bike", 4.5))
    svg += _circle((bar[0] - 4, 20), 15, f'fill="none" {_stroke("bike", 3)}')
    pedals = [points["ankle"], points["far_ankle"]]
    svg += _line(pedals, _stroke("bike", 2))
    svg += _circle(crank, 3, f'fill="{_PALETTE["bike"]}"')
    box = (rear - 10, 0, max(front, bar[0]) + 12, max(saddle[1], bar[1]) + 4)
    return [_Prop("bike", "mid", svg, box)]


def _water(points: dict[str, Point]) -> list[_Prop]:
    (_, hip_y), (_, shoulder_y) = points["hip"], points["shoulder"]
    level = max(hip_y + 0.75 * (shoulder_y - hip_y), hip_y + 14)
    xs = [x for x, _ in points.values()]
    x0, x1 = min(xs) - 24, max(xs) + 24
    fill = _rect(x0, 0, x1, level, f'fill="{_PALETTE["water"]}"')
    steps = int((x1 - x0) // 8)
    wave = [(x0 + 8 * i, level + (1.5 if i % 2 else -1.5)) for i in range(steps + 1)]
    surface = _line(wave, _stroke("water_edge", 2))
    box = (x0, 0, x1, level + 2)
    return [_Prop("water", "back", fill, box), _Prop("water_surface", "front", surface, box)]


def _mat(scene: Scene) -> _Prop:
    touching = [c[0] for _, c, r in scene.circles() if c[1] - r < 8]
    x0, x1 = min(touching) - 14, max(touching) + 14
    svg = _rect(x0, -MAT_T, x1, 0, f'fill="{_PALETTE["mat"]}" {_stroke("mat_edge", 1.5)}', 2)
    return _Prop("mat", "back", svg, (x0, -MAT_T, x1, 0))


def _floor(x0: float, x1: float, y: float) -> _Prop:
    return _Prop("floor", "back", _line([(x0, y), (x1, y)], _stroke("floor", 2)), (x0, y, x1, y))


# --- the body ----------------------------------------------------------------------------------


def _capsule(a: Point, b: Point, ra: float, rb: float, colour: str) -> str:
    """A tapered capsule: two circles joined by their outer tangents, outlined for overlaps."""
    style = f'fill="{colour}" stroke="{_BG}" stroke-width="1.2"'
    (ax, ay), (bx, by) = (a[0], -a[1]), (b[0], -b[1])  # SVG coordinates, y down
    d = math.hypot(bx - ax, by - ay)
    if d <= abs(ra - rb) + 0.01:
        return _circle(a if ra >= rb else b, max(ra, rb), style)
    ux, uy = (bx - ax) / d, (by - ay) / d
    nx, ny = -uy, ux
    cos_phi = (ra - rb) / d
    sin_phi = math.sqrt(1 - cos_phi * cos_phi)

    def at(cx: float, cy: float, r: float, sign: float) -> str:
        return f"{_n(cx + r * (ux * cos_phi + sign * nx * sin_phi))},{_n(cy + r * (uy * cos_phi + sign * ny * sin_phi))}"

    big_b = 1 if cos_phi < 0 else 0
    path = (
        f"M{at(ax, ay, ra, 1)} L{at(bx, by, rb, 1)} A{_n(rb)},{_n(rb)} 0 {big_b} 0 "
        f"{at(bx, by, rb, -1)} L{at(ax, ay, ra, -1)} A{_n(ra)},{_n(ra)} 0 {1 - big_b} 0 "
        f"{at(ax, ay, ra, 1)}Z"
    )
    return f'<path d="{path}" {style}/>'


def _limbs(points: dict[str, Point], side: str) -> str:
    colour = _PALETTE[side]
    out = [f'<g class="limbs {side}">']
    for part in _parts(side):
        a, b = points[part.start], points[part.end]
        out.append(
            f'<g class="segment {part.name}">{_capsule(a, b, part.r_start, part.r_end, colour)}</g>'
        )
    for joint in ("knee", "ankle", "elbow"):
        out.append(_circle(points[_on(side, joint)], 1.7, f'class="joint" fill="{_PALETTE["joint"]}"'))
    out.append("</g>")
    return "".join(out)


def _torso_and_head(points: dict[str, Point], pose: KeyPose) -> str:
    colour = _PALETTE["torso"]
    out = ['<g class="torso">']
    out += [_capsule(points[p.start], points[p.end], p.r_start, p.r_end, colour) for p in _TORSO]
    out.append("</g>")
    head = points["head"]
    axis = _dir(180 - pose.neck_deg - pose.trunk_deg)
    face = _dir(90 - pose.neck_deg - pose.trunk_deg)
    nose = _add(head, (HEAD_R - 1.0, face), (-3.0, axis))
    eye = _add(head, (HEAD_R * 0.5, face), (HEAD_R * 0.18, axis))
    out.append('<g class="head">')
    out.append(_circle(head, HEAD_R, f'fill="{_PALETTE["near"]}"'))
    out.append(_circle(nose, 3.0, f'fill="{_PALETTE["near"]}"'))
    out.append(_circle(eye, 1.7, f'fill="{_BG}"'))
    out.append("</g>")
    for joint in ("hip", "shoulder"):
        out.append(_circle(points[joint], 1.7, f'class="joint" fill="{_PALETTE["joint"]}"'))
    return "".join(out)


def _scene_svg(scene: Scene, pose: KeyPose) -> str:
    layer = {
        name: "".join(f'<g class="prop {p.name}">{p.svg}</g>' for p in scene.props if p.layer == name)
        for name in ("back", "mid", "front")
    }
    return (
        layer["back"]
        + _limbs(scene.points, "far")
        + layer["mid"]
        + _torso_and_head(scene.points, pose)
        + _limbs(scene.points, "near")
        + layer["front"]
    )


def _document(body: str, box: tuple[float, float, float, float], title: str, width_px: int) -> str:
    x0, y0, x1, y1 = box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD
    scale = width_px / REFERENCE_WIDTH
    w, h = x1 - x0, y1 - y0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_n(x0)} {_n(-y1)} {_n(w)} {_n(h)}" '
        f'width="{_n(w * scale)}" height="{_n(h * scale)}" role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        f'<rect x="{_n(x0)}" y="{_n(-y1)}" width="{_n(w)}" height="{_n(h)}" rx="6" fill="{_BG}"/>'
        f"{body}</svg>"
    )


def render_pose_svg(
    pose: KeyPose, equipment: tuple[str, ...], *, title: str, width_px: int = 240
) -> str:
    """A standalone SVG of one key pose; ``width_px`` is the pixel width of REFERENCE_WIDTH units."""
    scene = lay_out_pose(pose, equipment)
    return _document(_scene_svg(scene, pose), scene.box(), title, width_px)


def render_exercise_svg(exercise: Exercise, pose_index: int = 0) -> str:
    """A standalone SVG of one of an exercise's key poses."""
    pose = exercise.key_poses[pose_index]
    title = f"{exercise.name}: {pose.name}"
    return render_pose_svg(pose, exercise.equipment, title=title)


def render_exercise_strip(exercise: Exercise, *, width_px: int = 240) -> str:
    """All key poses of an exercise side by side, floors aligned, an arrow between each two."""
    parts: list[str] = []
    x, top, bottom = 0.0, 0.0, 0.0
    for i, pose in enumerate(exercise.key_poses):
        scene = lay_out_pose(pose, exercise.equipment)
        x0, y0, x1, y1 = scene.box()
        if i:
            mid = 30.0
            tip = x + 24
            arrow = _line([(x + 6, mid), (tip, mid)], _stroke("floor", 2))
            arrow += _line([(tip - 6, mid + 5), (tip, mid), (tip - 6, mid - 5)], _stroke("floor", 2))
            parts.append(f'<g class="arrow">{arrow}</g>')
            x += 30
        dx = x - x0
        parts.append(f'<g class="pose" transform="translate({_n(dx)},0)">{_scene_svg(scene, pose)}</g>')
        x += x1 - x0
        top, bottom = max(top, y1), min(bottom, y0)
    title = f"{exercise.name}: " + ", then ".join(p.name for p in exercise.key_poses)
    return _document("".join(parts), (0.0, bottom, x, top), title, width_px)
