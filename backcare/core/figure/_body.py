"""The body: its proportions, its parts as tapered capsules with their share of the body's mass,
and the forward kinematics (:func:`pose_points`) that turn a key pose's joint angles into named
points, pelvis at the origin, y up, facing +x. Also the body's outline as circles
(:func:`outline`), from which everything else measures where the body touches or clears things.

The kinematics run in three dimensions so that a body can turn out of the picture's plane (lie on
its side seen from the front, twist its trunk, let a knee fall out to the side); the picture is
the body seen straight on from the viewer's side, depth dropped. A body side-on to the viewer, as
most key poses are, draws exactly as a flat side view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import pairwise

from backcare.core.library import KeyPose

Point = tuple[float, float]
Circle = tuple[str, Point, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 with y up
Points = dict[str, Point]
Vec = tuple[float, float, float]  # x right, y up, depth towards the viewer
Frame = tuple[Vec, Vec, Vec]  # the body's front, up (pelvis to neck) and near side, as seen

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
WAIST_AT = 0.35
"""Where the lower back bends most (a fraction of the way from hip to shoulder): the lumbar
spine, so a hollowed or flattened lower back shows there."""
HIP_HALF_WIDTH, SHOULDER_HALF_WIDTH = 9.0, 14.0
"""Half the distance between the hip joints (an adult's) and between the shoulder joints (a few
units narrow, so that a body lying on its side rests on hip and shoulder together, as on a mat).
They show only when the body turns away from side-on: a body lying on its side seen from the
front, a trunk twisted towards the viewer."""
EYE_APART = 0.35 * HEAD_R
"""Half the distance between the eyes; an eye is drawn when it faces the viewer."""


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
_SPINE = (  # on the midline, at the near and far side, fraction from hip to shoulder, side radius
    ("pelvis", "hip", "far_hip", 0.0, 10.0),
    ("waist", "near_waist", "far_waist", WAIST_AT, 8.0),
    ("chest", "near_chest", "far_chest", CHEST_AT, 7.5),
    ("neck", "shoulder", "far_shoulder", 1.0, 8.5),
)
MIDLINE = (
    Part("torso", "pelvis", "waist", 10.0, 11.0, 0.15),
    Part("torso", "waist", "chest", 11.0, 12.0, 0.15),
    Part("torso", "chest", "neck", 12.0, 8.5, 0.197),
    Part("neck", "neck", "head", 4.6, 4.6, 0.081),
)
"""The trunk's midline, pelvis to head, which carries the trunk's mass; seen side-on it is all
there is to see of the trunk."""
WIDTH = (
    *(Part("torso", a[1], b[1], a[4], b[4], 0.0) for a, b in pairwise(_SPINE)),
    *(Part("torso", a[2], b[2], a[4], b[4], 0.0) for a, b in pairwise(_SPINE)),
    Part("torso", "hip", "far_hip", 10.0, 10.0, 0.0),
    Part("torso", "shoulder", "far_shoulder", 8.5, 8.5, 0.0),
)
"""The trunk's width: each side from hip to shoulder, the pelvis and the shoulder girdle. Seen
side-on these lie inside the midline's outline; seen from the front they give the trunk its
breadth."""
TORSO = MIDLINE + WIDTH
_JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow", "hip_out", "knee_out", "shoulder_out")


def limb_parts(side: str) -> tuple[Part, ...]:
    """The limbs of one side, "near" or "far" (whose points are named ``far_knee`` and so on)."""

    def on(point: str) -> str:
        return point if side == "near" else f"far_{point}"

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


def _add(p: Vec, *steps: tuple[float, Vec]) -> Vec:
    x, y, z = p
    for length, (dx, dy, dz) in steps:
        x, y, z = x + length * dx, y + length * dy, z + length * dz
    return (x, y, z)


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _turn(v: Vec, axis: Vec, angle_deg: float) -> Vec:
    """``v`` turned about a unit ``axis`` by ``angle_deg`` (right-handed; Rodrigues' formula)."""
    a = math.radians(angle_deg)
    c, s = math.cos(a), math.sin(a)
    (x, y, z), (kx, ky, kz) = v, axis
    dot = (kx * x + ky * y + kz * z) * (1 - c)
    cross = (ky * z - kz * y, kz * x - kx * z, kx * y - ky * x)
    return (
        x * c + cross[0] * s + kx * dot,
        y * c + cross[1] * s + ky * dot,
        z * c + cross[2] * s + kz * dot,
    )


def _along(frame: Frame, angle_deg: float) -> Vec:
    """A direction in the frame's own side view: from straight down, turning towards its front."""
    front, up, _ = frame
    a = math.radians(angle_deg)
    return _add((0.0, 0.0, 0.0), (math.sin(a), front), (-math.cos(a), up))


def _twisted(frame: Frame, angle_deg: float) -> Frame:
    """The frame turned about its up axis, its front towards its near side for a positive angle."""
    front, up, side = frame
    return (_turn(front, up, -angle_deg), up, _turn(side, up, -angle_deg))


def _body_frame(pose: KeyPose) -> Frame:
    """The pelvis's axes as seen: turned by ``facing_deg`` about the trunk, then by ``trunk_deg``.

    Side-on (facing 0) the front is +x and the near side faces the viewer; facing 90 turns the
    front to the viewer, so a trunk at 90 (head to the right) lies on its far side, near side up.
    """
    t, f = math.radians(pose.trunk_deg), math.radians(pose.facing_deg)
    front = (math.cos(f) * math.cos(t), -math.cos(f) * math.sin(t), math.sin(f))
    up = (math.sin(t), math.cos(t), 0.0)
    side = (-math.sin(f) * math.cos(t), math.sin(f) * math.sin(t), math.cos(f))
    return (front, up, side)


def _sag(fraction: float, bend_deg: float) -> float:
    """How far an arc bent by ``bend_deg`` end to end lies off its chord, a fraction along it."""
    if bend_deg == 0:
        return 0.0
    half = math.radians(abs(bend_deg)) / 2
    radius = TRUNK / (2 * math.sin(half))
    x = TRUNK * (fraction - 0.5)
    return math.copysign(math.sqrt(radius * radius - x * x) - radius * math.cos(half), bend_deg)


def _leg(hip: Vec, frame: Frame, angle: dict[str, float], side: float) -> dict[str, Vec]:
    def raised(v: Vec) -> Vec:  # abduction: about the front axis, away from the midline
        return _turn(v, frame[0], -side * angle["hip_out"])

    thigh = raised(_along(frame, angle["hip"]))
    shank = raised(_along(frame, angle["hip"] - angle["knee"]))
    foot = raised(_along(frame, angle["hip"] - angle["knee"] + 90 + angle["ankle"]))
    knee = _add(hip, (THIGH, thigh))
    ankle = _add(knee, (SHANK, shank))
    if angle["knee_out"]:  # the knee swings out about the line from hip to ankle; the foot stays
        reach = math.dist(hip, ankle)
        axis = _add((0.0, 0.0, 0.0), (1 / reach, ankle), (-1 / reach, hip))
        lever = _add(knee, (-1.0, hip))
        out = side * math.copysign(1.0, _dot(_cross(axis, lever), frame[2]))
        knee = _add(hip, (1.0, _turn(lever, axis, out * angle["knee_out"])))
    return {
        "knee": knee,
        "ankle": ankle,
        "heel": _add(ankle, (HEEL_DOWN, shank), (-HEEL_BACK, foot)),
        "toe": _add(ankle, (HEEL_DOWN, shank), (TOE_FORWARD, foot)),
    }


def _arm(shoulder: Vec, frame: Frame, angle: dict[str, float], side: float) -> dict[str, Vec]:
    def raised(v: Vec) -> Vec:  # abduction: about the front axis, away from the midline
        return _turn(v, frame[0], -side * angle["shoulder_out"])

    upper_arm = raised(_along(frame, angle["shoulder"]))
    forearm = raised(_along(frame, angle["shoulder"] + angle["elbow"]))
    elbow = _add(shoulder, (UPPER_ARM, upper_arm))
    wrist = _add(elbow, (FOREARM, forearm))
    return {"elbow": elbow, "wrist": wrist, "fingers": _add(wrist, (HAND, forearm))}


def _body_points(pose: KeyPose) -> dict[str, Vec]:
    """Every named point of a pose in three dimensions (x, y up, depth towards the viewer).

    Each angle is taken in the body's own frame (0 = straight down for a person standing, turning
    forwards), then the whole body turns by ``facing_deg`` about its long axis and by
    ``trunk_deg`` (head forwards is clockwise). The limbs and the head are placed from the trunk
    line (hip to shoulder); ``spine_deg`` curves the back between its ends and ``twist_deg`` turns
    the shoulders, arms and head on the pelvis, more towards the top.
    """
    pelvis = _body_frame(pose)
    front, up, _ = pelvis
    points: dict[str, Vec] = {}
    for middle, near, far, at, _ in _SPINE:
        frame = _twisted(pelvis, at * pose.twist_deg)
        on_line = _add((0.0, 0.0, 0.0), (at * TRUNK, up), (-_sag(at, pose.spine_deg), front))
        forward = CHEST_FORWARD * min(at / CHEST_AT, (1 - at) / (1 - CHEST_AT))
        half_width = HIP_HALF_WIDTH + at * (SHOULDER_HALF_WIDTH - HIP_HALF_WIDTH)
        points[middle] = _add(on_line, (forward, frame[0]))
        points[near] = _add(on_line, (half_width, frame[2]))
        points[far] = _add(on_line, (-half_width, frame[2]))
    upper = _twisted(pelvis, pose.twist_deg)
    for prefix, sign in (("", 1.0), ("far_", -1.0)):
        angle = {j: float(getattr(pose, f"{prefix}{j}_deg")) for j in _JOINTS}
        leg = _leg(points[f"{prefix}hip"], pelvis, angle, sign)
        arm = _arm(points[f"{prefix}shoulder"], upper, angle, sign)
        points |= {f"{prefix}{k}": v for k, v in (leg | arm).items()}
    head_up, face_front = _along(upper, 180 - pose.neck_deg), _along(upper, 90 - pose.neck_deg)
    head = _add(points["neck"], (NECK + HEAD_R, head_up), (HEAD_FORWARD, face_front))
    points["head"] = head
    return points | {
        "nose": _add(head, (HEAD_R - 1.0, face_front), (-2.5, head_up)),
        "eye": _add(
            head, (HEAD_R * 0.5, face_front), (HEAD_R * 0.18, head_up), (EYE_APART, upper[2])
        ),
        "far_eye": _add(
            head, (HEAD_R * 0.5, face_front), (HEAD_R * 0.18, head_up), (-EYE_APART, upper[2])
        ),
    }


_FACE = ("nose", "eye", "far_eye")


def pose_points(pose: KeyPose) -> Points:
    """Named points of a pose as drawn, the pelvis at the origin, y up, a side-on figure facing +x.

    Besides the joints there are the midline of the trunk (``pelvis``, ``waist``, ``chest``,
    ``neck``), and the head's centre; the face is :func:`face_points`.
    """
    return {name: (x, y) for name, (x, y, _) in _body_points(pose).items() if name not in _FACE}


def face_points(pose: KeyPose) -> Points:
    """The nose and the eyes that face the viewer (``eye`` the near one, ``far_eye``), drawn
    relative to the head's centre; an eye turned away from the viewer is left out."""
    points = _body_points(pose)
    hx, hy, depth = points["head"]
    return {
        name: (x - hx, y - hy)
        for name, (x, y, z) in points.items()
        if name == "nose" or (name in _FACE and z > depth)
    }


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
