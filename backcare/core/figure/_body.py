"""The body: its proportions, its parts as tapered capsules with their share of the body's mass,
and the forward kinematics (:func:`pose_points`) that turn a key pose's joint angles into named
joint positions, hip at the origin, y up, facing +x. Also the body's outline as circles
(:func:`outline`), from which everything else measures where the body touches or clears things.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from backcare.core.library import KeyPose

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


@dataclass(frozen=True)
class Part:
    """A body part drawn as a tapered capsule between two named points."""

    name: str
    start: str
    end: str
    r_start: float
    r_end: float
    mass: float  # fraction of body mass (Dempster's segment table), for the centre of mass


_LIMBS = (
    Part("thigh", "hip", "knee", 8.5, 5.8, 0.100),
    Part("shank", "knee", "ankle", 5.6, 3.8, 0.0465),
    Part("foot", "heel", "toe", 3.4, 2.4, 0.0145),
    Part("upper_arm", "shoulder", "elbow", 5.2, 4.0, 0.028),
    Part("forearm", "elbow", "wrist", 3.9, 3.0, 0.016),
    Part("hand", "wrist", "fingers", 3.2, 2.5, 0.006),
)
TORSO = (
    Part("torso", "hip", "chest", 10.0, 12.0, 0.30),
    Part("torso", "chest", "shoulder", 12.0, 8.5, 0.197),
    Part("neck", "shoulder", "head", 4.6, 4.6, 0.081),
)
_JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow")


def limb_parts(side: str) -> tuple[Part, ...]:
    """The limbs of one side, "near" or "far" (whose points are named ``far_knee`` and so on)."""

    def on(point: str) -> str:
        return point if side == "near" or point in {"hip", "shoulder"} else f"far_{point}"

    return tuple(replace(p, start=on(p.start), end=on(p.end)) for p in _LIMBS)


PARTS = limb_parts("far") + TORSO + limb_parts("near")


# --- kinematics --------------------------------------------------------------------------------


def direction(angle_deg: float) -> Point:
    """Unit vector for an angle measured from straight down, turning towards the front (+x)."""
    a = math.radians(angle_deg)
    return (math.sin(a), -math.cos(a))


def offset(p: Point, *steps: tuple[float, Point]) -> Point:
    """A point moved by steps, each a length along a unit vector."""
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
        return direction(body_deg - pose.trunk_deg)

    hip: Point = (0.0, 0.0)
    shoulder = offset(hip, (TRUNK, world(180)))
    points = {
        "hip": hip,
        "chest": offset(hip, (TRUNK * CHEST_AT, world(180)), (CHEST_FORWARD, world(90))),
        "shoulder": shoulder,
        "head": offset(
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
        knee = offset(hip, (THIGH, world(angle["hip"])))
        ankle = offset(knee, (SHANK, shank))
        elbow = offset(shoulder, (UPPER_ARM, world(angle["shoulder"])))
        wrist = offset(elbow, (FOREARM, forearm))
        points |= {
            f"{prefix}knee": knee,
            f"{prefix}ankle": ankle,
            f"{prefix}heel": offset(ankle, (HEEL_DOWN, shank), (-HEEL_BACK, foot)),
            f"{prefix}toe": offset(ankle, (HEEL_DOWN, shank), (TOE_FORWARD, foot)),
            f"{prefix}elbow": elbow,
            f"{prefix}wrist": wrist,
            f"{prefix}fingers": offset(wrist, (HAND, forearm)),
        }
    return points


# --- the body's outline ------------------------------------------------------------------------


def outline(points: Points) -> list[Circle]:
    """The body's outline as circles: capsule ends and the head (capsules are their hulls)."""
    ends = [(p.start, points[p.start], p.r_start) for p in PARTS]
    ends += [(p.end, points[p.end], p.r_end) for p in PARTS]
    return [*ends, ("head", points["head"], HEAD_R)]


def lowest(points: Points) -> float:
    """Height of the body's lowest point."""
    return min(c[1] - r for _, c, r in outline(points))


def moved(points: Points, dx: float, dy: float) -> Points:
    """The body shifted by ``dx`` across and ``dy`` up."""
    return {k: (x + dx, y + dy) for k, (x, y) in points.items()}
