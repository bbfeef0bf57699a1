"""Exercise illustrations: a side-view figure drawn from a key pose's joint angles, as SVG.

Three pure steps: :func:`pose_points` runs the forward kinematics from the hip (the angles are
those of :class:`~backcare.core.library.KeyPose`), :func:`lay_out_pose` rests that body on its
support (floor, mat, chair, wall, Swiss ball, bike saddle, water) and adds the props, and the
``render_*`` functions write the scene as a standalone, deterministic SVG. Every picture uses one
scale, so a standing figure and a lying one are drawn at the same body size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

from backcare.core.library import Exercise, KeyPose

__all__ = [
    "REFERENCE_WIDTH",
    "Prop",
    "Scene",
    "lay_out_pose",
    "pose_points",
    "render_exercise_strip",
    "render_exercise_svg",
    "render_pose_svg",
]

Point = tuple[float, float]
Circle = tuple[str, Point, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 with y up
Points = dict[str, Point]

# Lengths in drawing units, about a centimetre of a 176 cm adult: thigh about shank, trunk (hip to
# shoulder) 1.1 thighs, head radius a quarter trunk (a little large, so the face reads when small).
THIGH, SHANK, TRUNK, NECK, HEAD_R = 46.0, 42.0, 52.0, 5.0, 13.0
UPPER_ARM, FOREARM, HAND = 28.0, 21.0, 9.0
"""The arms are a little short of the textbook ratio so that an all-fours pose written with right
angles (trunk 90, hip 90, shoulder 90) has its hands and knees on the floor together."""
HEEL_BACK, HEEL_DOWN, TOE_FORWARD = 3.5, 3.0, 15.0
HEAD_FORWARD = 3.0
"""The head sits in front of the spine, so the back of the skull lines up with the upper back."""
CHEST_AT, CHEST_FORWARD = 0.7, 2.0
"""Where the chest is deepest (a fraction of the way from hip to shoulder), and how far its centre
sits in front of the spine: the back stays flat from buttocks to shoulder blades."""

REFERENCE_WIDTH = 240.0
"""Drawing units shown in ``width_px`` pixels: room for a figure lying down, arms overhead."""
PAD, MAT_T = 8.0, 4.0
BALL_R, BALL_R_MIN, BALL_R_MAX = 26.0, 17.0, 36.0
"""A Swiss ball is about knee height, so a seated user has the hips level with the knees; the
drawing picks a size within that range that the body actually rests on."""
SEAT_MIN = 36.0
"""The lowest chair seat drawn (a little below knee height); a higher pelvis gets a higher seat."""
CRANK_R, CRANK_H = 9.0, 26.0
MAX_SETTLE_DEG, SMALL_SETTLE_DEG, SETTLE_STEP_DEG, SINK = 12.0, 4.5, 0.5, 1.5
"""How far a lying body may turn to settle onto a hand, elbow, knee or foot, and onto anything at
all (see ``_rested``); and how much flesh and mat give under a part that bears on them."""

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
"""Body colours reach 3:1 against the background, the mat and the water (WCAG 2.1, 1.4.11
non-text contrast); the far side is lighter than the near side so the two read apart."""


@dataclass(frozen=True)
class _Part:
    """A body part drawn as a tapered capsule between two named points."""

    name: str
    start: str
    end: str
    r_start: float
    r_end: float
    mass: float  # fraction of body mass (Dempster's segment table), for the centre of mass


_LIMBS = (
    _Part("thigh", "hip", "knee", 8.5, 5.8, 0.100),
    _Part("shank", "knee", "ankle", 5.6, 3.8, 0.0465),
    _Part("foot", "heel", "toe", 3.4, 2.4, 0.0145),
    _Part("upper_arm", "shoulder", "elbow", 5.2, 4.0, 0.028),
    _Part("forearm", "elbow", "wrist", 3.9, 3.0, 0.016),
    _Part("hand", "wrist", "fingers", 3.2, 2.5, 0.006),
)
_TORSO = (
    _Part("torso", "hip", "chest", 10.0, 12.0, 0.30),
    _Part("torso", "chest", "shoulder", 12.0, 8.5, 0.197),
    _Part("neck", "shoulder", "head", 4.6, 4.6, 0.081),
)
_JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow")
_FEET = {"heel", "toe", "ankle", "far_heel", "far_toe", "far_ankle"}


def _side(side: str) -> tuple[_Part, ...]:
    def on(point: str) -> str:
        return point if side == "near" or point in {"hip", "shoulder"} else f"far_{point}"

    return tuple(replace(p, start=on(p.start), end=on(p.end)) for p in _LIMBS)


_PARTS = _side("far") + _TORSO + _side("near")


# --- kinematics --------------------------------------------------------------------------------


def _dir(angle_deg: float) -> Point:
    """Unit vector for an angle measured from straight down, turning towards the front (+x)."""
    a = math.radians(angle_deg)
    return (math.sin(a), -math.cos(a))


def _add(p: Point, *steps: tuple[float, Point]) -> Point:
    x, y = p
    for length, (dx, dy) in steps:
        x, y = x + length * dx, y + length * dy
    return (x, y)


def pose_points(pose: KeyPose) -> Points:
    """Joint positions of a pose, hip at the origin, y up, the figure facing +x.

    Each angle is taken in the body's own frame (0 = straight down for a person standing, turning
    forwards), then the whole body turns by ``trunk_deg`` (head forwards is clockwise).
    """

    def world(body_deg: float) -> Point:
        return _dir(body_deg - pose.trunk_deg)

    hip: Point = (0.0, 0.0)
    shoulder = _add(hip, (TRUNK, world(180)))
    points = {
        "hip": hip,
        "chest": _add(hip, (TRUNK * CHEST_AT, world(180)), (CHEST_FORWARD, world(90))),
        "shoulder": shoulder,
        "head": _add(
            shoulder,
            (NECK + HEAD_R, world(180 - pose.neck_deg)),
            (HEAD_FORWARD, world(90 - pose.neck_deg)),
        ),
    }
    for prefix in ("", "far_"):
        angle = {j: float(getattr(pose, f"{prefix}{j}_deg")) for j in _JOINTS}
        shank = world(angle["hip"] - angle["knee"])
        foot = world(angle["hip"] - angle["knee"] + 90 + angle["ankle"])
        forearm = world(angle["shoulder"] + angle["elbow"])
        knee = _add(hip, (THIGH, world(angle["hip"])))
        ankle = _add(knee, (SHANK, shank))
        elbow = _add(shoulder, (UPPER_ARM, world(angle["shoulder"])))
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


# --- the body's outline and weight -------------------------------------------------------------


def _circles(points: Points) -> list[Circle]:
    """The body's outline as circles: capsule ends and the head (capsules are their hulls)."""
    ends = [(p.start, points[p.start], p.r_start) for p in _PARTS]
    ends += [(p.end, points[p.end], p.r_end) for p in _PARTS]
    return [*ends, ("head", points["head"], HEAD_R)]


def _lowest(points: Points) -> float:
    return min(c[1] - r for _, c, r in _circles(points))


def _moved(points: Points, dx: float, dy: float) -> Points:
    return {k: (x + dx, y + dy) for k, (x, y) in points.items()}


def _floored(points: Points) -> Points:
    """The body moved so its lowest point touches the floor."""
    return _moved(points, 0, -_lowest(points))


def _flatten_hands(points: Points) -> Points:
    """Lay flat, fingers forward, a hand that reaches down to the floor to take weight.

    Key poses have no wrist angle; a hand carrying on from a vertical forearm would prop the body
    up on its fingertips.
    """
    flat = dict(points)
    for prefix in ("", "far_"):
        (_, elbow_y), (wrist_x, wrist_y) = points[f"{prefix}elbow"], points[f"{prefix}wrist"]
        if elbow_y - wrist_y > 0.7 * FOREARM and points[f"{prefix}fingers"][1] < HAND + 4:
            flat[f"{prefix}fingers"] = (wrist_x + HAND, wrist_y)
    return flat


def _lying(points: Points) -> bool:
    """Whether more than the feet touch the floor (lying, kneeling, sitting on the floor)."""
    return any(c[1] - r < 1.0 and name not in _FEET for name, c, r in _circles(points))


def _tipping(points: Points) -> int:
    """+1 if the body's weight falls in front of all that bears on the floor, -1 behind, else 0.

    Flesh and mat give a little (SINK), so a part near the floor bears on a patch, not a point.
    """
    patches = [
        (c[0] - math.sqrt(2 * r * (SINK - c[1] + r)), c[0] + math.sqrt(2 * r * (SINK - c[1] + r)))
        for _, c, r in _circles(points)
        if c[1] - r < SINK
    ]
    weight = sum(p.mass * (points[p.start][0] + points[p.end][0]) / 2 for p in _PARTS) / sum(
        p.mass for p in _PARTS
    )
    if weight > max(x1 for _, x1 in patches):
        return 1
    return -1 if weight < min(x0 for x0, _ in patches) else 0


_ARM = (("shoulder", "elbow"), ("elbow", "wrist"))
_LEG = (("hip", "knee"), ("knee", "ankle"))
_PROPS_UP = {  # a hand, elbow, knee or foot, and the segments that can carry weight down onto it
    "elbow": _ARM[:1],
    "wrist": _ARM,
    "fingers": _ARM,
    "knee": _LEG[:1],
    "ankle": _LEG,
    "heel": _LEG,
    "toe": _LEG,
}


def _props_up(points: Points, name: str) -> bool:
    """Whether a part could take weight: a limb end below a segment that points steeply down."""
    prefix, base = ("far_", name[4:]) if name.startswith("far_") else ("", name)

    def steep(top: str, end: str) -> bool:
        (x0, y0) = points[top if top in {"hip", "shoulder"} else prefix + top]
        (x1, y1) = points[prefix + end]
        return y0 - y1 > 0.6 * math.dist((x0, y0), (x1, y1))

    return any(steep(top, end) for top, end in _PROPS_UP.get(base, ()))


def _touching(points: Points) -> set[str]:
    return {name for name, c, r in _circles(points) if c[1] - r < SINK}


def _rested(pose: KeyPose) -> tuple[KeyPose, Points]:
    """The pose as drawn and its points resting on the floor.

    A lying or kneeling body whose weight falls outside what bears on the floor turns until the
    next part lands: by up to SMALL_SETTLE_DEG onto anything (a prone body is deeper at the chest
    than at the knees), by up to MAX_SETTLE_DEG onto a hand, elbow, knee or foot that reaches for
    the floor (all fours, propped on the elbows). Held positions, such as a curl-up balanced on the
    pelvis, are left as written: nothing there reaches for the floor.
    """

    def place(tilt_deg: float) -> tuple[KeyPose, Points]:
        tilted = replace(pose, trunk_deg=pose.trunk_deg + tilt_deg)
        return tilted, _floored(_flatten_hands(_floored(pose_points(tilted))))

    upright = place(0.0)
    side = _tipping(upright[1])
    if pose.support != "floor" or not _lying(upright[1]) or not side:
        return upright
    before = _touching(upright[1])
    for step in range(1, int(MAX_SETTLE_DEG / SETTLE_STEP_DEG) + 1):
        settled = place(side * step * SETTLE_STEP_DEG)
        if _tipping(settled[1]) != side:
            landed = _touching(settled[1]) - before
            small = step * SETTLE_STEP_DEG <= SMALL_SETTLE_DEG
            return settled if small or any(_props_up(settled[1], n) for n in landed) else upright
    return upright


def _gap(points: Points, centre: Point, radius: float) -> float:
    """Clearance between a circle and the body (negative when they overlap)."""
    best = math.dist(centre, points["head"]) - HEAD_R
    for part in _PARTS:
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
    (hx, hy), (sx, sy) = points["hip"], points["shoulder"]
    return (hx + fraction * (sx - hx), hy + fraction * (sy - hy))


# --- the scene ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    """Something drawn besides the body: floor, mat, wall, chair, ball, band, bike or water."""

    name: str
    layer: str  # "back" behind everything, "mid" between the far and near side, "front" on top
    svg: str
    box: Box


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

    def lowest_y(self) -> float:
        """Height of the body's lowest point."""
        return _lowest(self.points)

    def bottom(self, point: str) -> float:
        """Height of the lowest edge of the body around a named point, e.g. "hip" or "head"."""
        return min(c[1] - r for name, c, r in _circles(self.points) if name == point)

    def body_box(self) -> Box:
        """Bounds of the body alone."""
        return _union((c[0] - r, c[1] - r, c[0] + r, c[1] + r) for _, c, r in _circles(self.points))

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
    drawn, points = _rested(pose)
    props: list[Prop] = []
    support = pose.support
    if support in _BALL_ON_TRUNK or support == "ball_under_feet":
        on_trunk = _BALL_ON_TRUNK.get(support)
        target = points["ankle"] if on_trunk is None else _along(points, on_trunk)
        radius = _solve(lambda r: _gap(points, (target[0], r), r), BALL_R_MIN, BALL_R_MAX)
        centre = (target[0], radius)
        for _ in range(8):  # the body comes down onto the ball (or up off it)
            points = _moved(points, 0, -_gap(points, centre, radius))
        points = _moved(points, 0, max(0.0, -_lowest(points)))
        props.append(_ball(centre, radius))
    elif support == "ball_behind_back":
        target = _along(points, 0.3)
        cx = _solve(
            lambda x: _gap(points, (x, target[1]), BALL_R), target[0] - 3 * BALL_R, target[0]
        )
        props += [_ball((cx, target[1]), BALL_R), _wall(points, cx - BALL_R, behind=True)]
    elif support == "chair_seat":
        points = _moved(points, 0, max(0.0, SEAT_MIN - (points["hip"][1] - 10.0)))
        props.append(_chair_under(points))
    elif support == "bike_saddle":
        crank = _crank_centre(points)
        points = _moved(points, 0, CRANK_H - crank[1])
        props.append(_bike(points, (crank[0], CRANK_H)))
    elif support == "water" and abs(math.sin(math.radians(drawn.trunk_deg))) > 0.7:
        points = _moved(points, 0, 24.0)  # swimming: afloat, well clear of the pool floor
    names = {p.name for p in props}
    if "swiss_ball" in equipment and "ball" not in names:
        props.append(_ball((max(x for x, _ in points.values()) + BALL_R + 12, BALL_R), BALL_R))
    if "chair" in equipment and support != "chair_seat":
        props.append(_chair_behind(points))
    if ("wall" in equipment or support == "wall_behind") and "wall" not in names:
        props.append(_wall_for(points, behind=support == "wall_behind"))
    if "band" in equipment:
        props.append(_band(points))
    if "pool" in equipment or support == "water":
        props += _water(points)
    lying = support == "floor" and _lying(points)
    if lying:
        props.append(_mat(points))
    x0, _, x1, _ = Scene(drawn, points, tuple(props)).box()
    props.append(_floor(x0 - 10, x1 + 10, -MAT_T if lying else 0.0))
    return Scene(drawn, points, tuple(props), drawn.trunk_deg - pose.trunk_deg)


# --- SVG primitives ----------------------------------------------------------------------------


def _n(v: float) -> str:
    """A number for the SVG: one decimal, never "-0.0"."""
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text


def _xy(p: Point) -> str:
    return f"{_n(p[0])},{_n(-p[1])}"


def _rect(box: Box, style: str, rx: float = 0) -> str:
    x0, y0, x1, y1 = box
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


def _fill(colour: str) -> str:
    return f'fill="{_PALETTE[colour]}"'


def _circle(c: Point, r: float, style: str) -> str:
    return f'<circle cx="{_n(c[0])}" cy="{_n(-c[1])}" r="{_n(r)}" {style}/>'


# --- props -------------------------------------------------------------------------------------


def _ball(centre: Point, radius: float) -> Prop:
    x, y = centre
    svg = _circle(centre, radius, f"{_fill('ball')} {_stroke('ball_edge', 2)}")
    seam = f"M{_xy((x - radius, y))} A{_n(radius)},{_n(radius * 0.35)} 0 0 0 {_xy((x + radius, y))}"
    svg += f'<path d="{seam}" fill="none" {_stroke("ball_edge", 1)}/>'
    return Prop("ball", "mid", svg, (x - radius, y - radius, x + radius, y + radius))


def _wall(points: Points, x: float, *, behind: bool) -> Prop:
    top = max(y for _, y in points.values()) + HEAD_R + 16
    x0, x1 = (x - 10, x) if behind else (x, x + 10)
    face = x1 if behind else x0
    svg = _rect((x0, 0, x1, top), _fill("wall"))
    svg += _line([(face, 0), (face, top)], _stroke("wall_edge", 2))
    return Prop("wall", "back", svg, (x0, 0, x1, top))


def _wall_for(points: Points, *, behind: bool) -> Prop:
    """Against the back, or at the hands when they reach forward to push on it."""
    circles = _circles(points)
    front_name, front, front_r = max(circles, key=lambda c: c[1][0] + c[2])
    if not behind and front_name in {"fingers", "wrist", "far_fingers", "far_wrist"}:
        return _wall(points, front[0] + front_r, behind=False)
    back = [c[0] - r for name, c, r in circles if name in {"hip", "chest", "shoulder", "head"}]
    return _wall(points, min(back), behind=True)


def _chair(x_back: float, x_front: float, seat: float, back_top: float) -> Prop:
    style = _stroke("chair", 3.5)
    svg = _line([(x_back, back_top), (x_back, 0)], style)
    svg += _line([(x_back, seat), (x_front, seat), (x_front, 0)], style)
    svg += _line([(x_back, seat - 9), (x_front, seat - 9)], _stroke("chair", 2))
    return Prop("chair", "mid", svg, (x_back - 2, 0, x_front + 2, back_top + 2))


def _chair_under(points: Points) -> Prop:
    hip_x, hip_y = points["hip"]
    seat = hip_y - 10.0 - 1.75  # pelvis radius, half the seat's stroke
    back = min(c[0] - r for n, c, r in _circles(points) if n in {"chest", "shoulder"})
    return _chair(min(hip_x - 12, back - 2), hip_x + 30, seat, seat + 42)


def _chair_behind(points: Points) -> Prop:
    """A chair ready to sit on, its seat just behind the legs."""
    low = [c[0] - r for _, c, r in _circles(points) if c[1] - r < SEAT_MIN + 8]
    x_front = min(low, default=points["hip"][0]) - 3
    return _chair(x_front - 40, x_front, SEAT_MIN + 8, SEAT_MIN + 50)


def _band(points: Points) -> Prop:
    """A resistance band from the hands to a post in front, or looped from the hands to the feet."""
    hand = points["wrist"]
    style = _stroke("band", 2.5)
    if hand[1] > points["knee"][1] + 5:
        post = max(x for x, _ in points.values()) + 30
        svg = _line([(post, 0), (post, hand[1] + 30)], _stroke("floor", 3))
        svg += _line([hand, (post, hand[1])], style)
        return Prop("band", "front", svg, (hand[0], 0, post + 2, hand[1] + 30))
    foot = points["toe"]
    svg = _line([hand, foot, points["far_wrist"]], style)
    box = (min(hand[0], foot[0]), min(hand[1], foot[1]), max(hand[0], foot[0]), hand[1])
    return Prop("band", "front", svg, box)


def _crank_centre(points: Points) -> Point:
    """Midway between the two pedals, or above a single foot whose pedal is at the bottom."""
    near, far = points["ankle"], points["far_ankle"]
    if math.dist(near, far) > 4:
        return ((near[0] + far[0]) / 2, (near[1] + far[1]) / 2)
    return (near[0], near[1] + CRANK_R)


def _bike(points: Points, crank: Point) -> Prop:
    """An upright exercise bike: saddle under the pelvis, crank at the feet, bars at the hands."""
    hip_x, hip_y = points["hip"]
    saddle = (hip_x, hip_y - 11)
    wrist = points["wrist"]
    wheel = (crank[0] + 30, 17.0)
    bar = wrist if wrist[0] > wheel[0] - 10 else (wheel[0] + 4, saddle[1] + 16)
    rear, front = min(saddle[0], crank[0]) - 26, max(wheel[0] + 20, bar[0] + 8)
    frame = _stroke("bike", 5)
    svg = _line([(rear - 6, 2), (front, 2)], _stroke("bike", 4))
    svg += _line([(rear, 2), crank, wheel, (wheel[0] + 12, 2)], frame)
    svg += _line([crank, saddle], frame)
    svg += _line([wheel, (bar[0] - 5, bar[1] - 3), bar], frame)
    svg += _line([(saddle[0] - 9, saddle[1]), (saddle[0] + 7, saddle[1])], _stroke("bike", 4.5))
    svg += _circle(wheel, 14, f'fill="{_BG}" {_stroke("bike", 3)}')
    svg += _circle(crank, CRANK_R, f'fill="none" {_stroke("bike", 1.5)}')
    svg += _line([points["ankle"], crank, points["far_ankle"]], _stroke("bike", 2.5))
    return Prop("bike", "mid", svg, (rear - 8, 0, front + 2, max(saddle[1], bar[1]) + 4))


def _water(points: Points) -> list[Prop]:
    """Water to chest height for standing work; a swimmer's back just under the surface."""
    (_, hip_y), (_, shoulder_y) = points["hip"], points["shoulder"]
    level = max(hip_y + 0.75 * (shoulder_y - hip_y), hip_y + 14)
    xs = [x for x, _ in points.values()]
    x0, x1 = min(xs) - 24, max(xs) + 24
    steps = int((x1 - x0) // 8)
    wave = [(x0 + 8 * i, level + (1.5 if i % 2 else -1.5)) for i in range(steps + 1)]
    box = (x0, 0, x1, level + 2)
    return [
        Prop("water", "back", _rect((x0, 0, x1, level), _fill("water")), box),
        Prop("water_surface", "front", _line(wave, _stroke("water_edge", 2)), box),
    ]


def _mat(points: Points) -> Prop:
    near_floor = [c[0] for _, c, r in _circles(points) if c[1] - r < 8]
    x0, x1 = min(near_floor) - 14, max(near_floor) + 14
    svg = _rect((x0, -MAT_T, x1, 0), f"{_fill('mat')} {_stroke('mat_edge', 1.5)}", 2)
    return Prop("mat", "back", svg, (x0, -MAT_T, x1, 0))


def _floor(x0: float, x1: float, y: float) -> Prop:
    return Prop("floor", "back", _line([(x0, y), (x1, y)], _stroke("floor", 2)), (x0, y, x1, y))


# --- the body ----------------------------------------------------------------------------------


def _capsule(a: Point, b: Point, ra: float, rb: float) -> str:
    """Path data of a tapered capsule: two circles joined by their outer tangents."""
    (ax, ay), (bx, by) = (a[0], -a[1]), (b[0], -b[1])  # SVG coordinates, y down
    d = math.hypot(bx - ax, by - ay)
    if d <= abs(ra - rb) + 0.01:
        (cx, cy), r = ((ax, ay), ra) if ra >= rb else ((bx, by), rb)
        arc = f"a{_n(r)},{_n(r)} 0 1 0"
        return f"M{_n(cx - r)},{_n(cy)} {arc} {_n(2 * r)},0 {arc} {_n(-2 * r)},0Z"
    ux, uy = (bx - ax) / d, (by - ay) / d
    cos_phi = (ra - rb) / d
    sin_phi = math.sqrt(1 - cos_phi * cos_phi)

    def at(cx: float, cy: float, r: float, sign: float) -> str:
        x = cx + r * (ux * cos_phi - sign * uy * sin_phi)
        y = cy + r * (uy * cos_phi + sign * ux * sin_phi)
        return f"{_n(x)},{_n(y)}"

    large = 1 if cos_phi < 0 else 0  # the thinner end shows less than half its circle
    return (
        f"M{at(ax, ay, ra, 1)} L{at(bx, by, rb, 1)} A{_n(rb)},{_n(rb)} 0 {large} 0 "
        f"{at(bx, by, rb, -1)} L{at(ax, ay, ra, -1)} A{_n(ra)},{_n(ra)} 0 {1 - large} 0 "
        f"{at(ax, ay, ra, 1)}Z"
    )


def _joint(p: Point) -> str:
    return _circle(p, 1.7, f'class="joint" {_fill("joint")}')


def _limbs(points: Points, side: str) -> str:
    out = [f'<g class="limbs {side}" {_fill(side)} stroke="{_BG}" stroke-width="1.2">']
    for part in _side(side):
        d = _capsule(points[part.start], points[part.end], part.r_start, part.r_end)
        out.append(f'<path class="segment {part.name}" d="{d}"/>')
    prefix = "" if side == "near" else "far_"
    out += [_joint(points[prefix + j]) for j in ("knee", "ankle", "elbow")]
    return "".join(out) + "</g>"


def _torso_and_head(points: Points, pose: KeyPose) -> str:
    """The trunk as one shape (outline under all its parts, fills over), then the head."""
    paths = "".join(
        f'<path d="{_capsule(points[p.start], points[p.end], p.r_start, p.r_end)}"/>'
        for p in _TORSO
    )
    head = points["head"]
    axis = _dir(180 - pose.neck_deg - pose.trunk_deg)
    face = _dir(90 - pose.neck_deg - pose.trunk_deg)
    nose = _add(head, (HEAD_R - 1.0, face), (-2.5, axis))
    eye = _add(head, (HEAD_R * 0.5, face), (HEAD_R * 0.18, axis))
    return (
        f'<g class="torso" {_fill("torso")}><g stroke="{_BG}" stroke-width="2.4">{paths}</g>'
        f"{paths}</g>"
        f'<g class="head" {_fill("near")}>{_circle(head, HEAD_R, "")}{_circle(nose, 2.6, "")}'
        f"{_circle(eye, 1.6, f'fill={quoteattr(_BG)}')}</g>"
        f"{_joint(points['hip'])}{_joint(points['shoulder'])}"
    )


def _scene_svg(scene: Scene) -> str:
    def layer(name: str) -> str:
        return "".join(
            f'<g class="prop {p.name}">{p.svg}</g>' for p in scene.props if p.layer == name
        )

    return (
        layer("back")
        + _limbs(scene.points, "far")
        + layer("mid")
        + _torso_and_head(scene.points, scene.pose)
        + _limbs(scene.points, "near")
        + layer("front")
    )


def _document(body: str, box: Box, title: str, width_px: int) -> str:
    x0, y0, x1, y1 = box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD
    w, h, scale = x1 - x0, y1 - y0, width_px / REFERENCE_WIDTH
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_n(x0)} {_n(-y1)} {_n(w)} {_n(h)}" '
        f'width="{_n(w * scale)}" height="{_n(h * scale)}" '
        f'role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        f"{_rect((x0, y0, x1, y1), f'fill={quoteattr(_BG)}', 6)}{body}</svg>"
    )


# --- public renderers --------------------------------------------------------------------------


def render_pose_svg(
    pose: KeyPose, equipment: tuple[str, ...], *, title: str, width_px: int = 240
) -> str:
    """A standalone SVG of one key pose, drawn ``width_px`` pixels per REFERENCE_WIDTH units."""
    scene = lay_out_pose(pose, equipment)
    return _document(_scene_svg(scene), scene.box(), title, width_px)


def render_exercise_svg(exercise: Exercise, pose_index: int = 0, *, width_px: int = 240) -> str:
    """A standalone SVG of one of an exercise's key poses."""
    pose = exercise.key_poses[pose_index]
    title = f"{exercise.name}: {pose.name}"
    return render_pose_svg(pose, exercise.equipment, title=title, width_px=width_px)


def render_exercise_strip(exercise: Exercise, *, width_px: int = 240) -> str:
    """All key poses of an exercise side by side on one floor, with an arrow between each two."""
    parts: list[str] = []
    x, bottom, top = 0.0, 0.0, 0.0
    for i, pose in enumerate(exercise.key_poses):
        scene = lay_out_pose(pose, exercise.equipment)
        x0, y0, x1, y1 = scene.box()
        if i:
            tip, y = x + 26, 30.0
            arrow = _line([(x + 6, y), (tip, y)], _stroke("floor", 2))
            arrow += _line([(tip - 6, y + 5), (tip, y), (tip - 6, y - 5)], _stroke("floor", 2))
            parts.append(f'<g class="arrow">{arrow}</g>')
            x += 32
        shift = f"translate({_n(x - x0)},0)"
        parts.append(f'<g class="pose" transform="{shift}">{_scene_svg(scene)}</g>')
        x += x1 - x0
        bottom, top = min(bottom, y0), max(top, y1)
    title = f"{exercise.name}: " + ", then ".join(p.name for p in exercise.key_poses)
    return _document("".join(parts), (0.0, bottom, x, top), title, width_px)
