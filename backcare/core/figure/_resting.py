"""Resting a body on the floor: the pose's points moved down until the body touches, hands laid
flat where they reach the floor, and a lying or kneeling body whose weight falls outside what
bears on the floor turned (:func:`rested`) until it settles onto its next point of support, using
the segments' share of body mass for the centre of mass.
"""

from __future__ import annotations

import math
from dataclasses import replace

from backcare.core.figure._body import (
    FOREARM,
    HAND,
    PARTS,
    Points,
    lowest,
    moved,
    outline,
    pose_points,
)
from backcare.core.library import KeyPose

MAX_SETTLE_DEG, SMALL_SETTLE_DEG, SETTLE_STEP_DEG, SINK = 12.0, 4.5, 0.5, 1.5
"""How far a lying body may turn to settle onto a hand, elbow, knee or foot, and onto anything at
all (see ``rested``); and how much flesh and mat give under a part that bears on them."""

_FEET = {"heel", "toe", "ankle", "far_heel", "far_toe", "far_ankle"}


def _floored(points: Points) -> Points:
    """The body moved so its lowest point touches the floor."""
    return moved(points, 0, -lowest(points))


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


def is_lying(points: Points) -> bool:
    """Whether more than the feet touch the floor (lying, kneeling, sitting on the floor)."""
    return any(c[1] - r < 1.0 and name not in _FEET for name, c, r in outline(points))


def _tipping(points: Points) -> int:
    """+1 if the body's weight falls in front of all that bears on the floor, -1 behind, else 0.

    Flesh and mat give a little (SINK), so a part near the floor bears on a patch, not a point.
    """
    patches = [
        (c[0] - math.sqrt(2 * r * (SINK - c[1] + r)), c[0] + math.sqrt(2 * r * (SINK - c[1] + r)))
        for _, c, r in outline(points)
        if c[1] - r < SINK
    ]
    weight = sum(p.mass * (points[p.start][0] + points[p.end][0]) / 2 for p in PARTS) / sum(
        p.mass for p in PARTS
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
        (x0, y0) = points[prefix + top]
        (x1, y1) = points[prefix + end]
        return y0 - y1 > 0.6 * math.dist((x0, y0), (x1, y1))

    return any(steep(top, end) for top, end in _PROPS_UP.get(base, ()))


def _touching(points: Points) -> set[str]:
    return {name for name, c, r in outline(points) if c[1] - r < SINK}


def rested(pose: KeyPose) -> tuple[KeyPose, Points]:
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
    if pose.support != "floor" or not is_lying(upright[1]) or not side:
        return upright
    before = _touching(upright[1])
    for step in range(1, int(MAX_SETTLE_DEG / SETTLE_STEP_DEG) + 1):
        settled = place(side * step * SETTLE_STEP_DEG)
        if _tipping(settled[1]) != side:
            landed = _touching(settled[1]) - before
            small = step * SETTLE_STEP_DEG <= SMALL_SETTLE_DEG
            return settled if small or any(_props_up(settled[1], n) for n in landed) else upright
    return upright
