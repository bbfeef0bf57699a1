"""Synthetic landmark sequences built from the exercise library's key poses.

A profile without recorded data can still be checked against the exercise it belongs to: move a
side-view figure between the exercise's own key poses (``KeyPose`` joint angles, posed by the
figure package's forward kinematics), read off its joints as BlazePose-33 landmarks, add a little
jitter, and see whether the engine counts and times what was acted out. Used by the tests and
handy for trying a profile by hand (``backcare motion analyze`` reads the JSON written from it).

The figure faces the image's right (+x) and shows its right side to the camera, as a phone
propped at the side of a mat sees a patient: BlazePose coordinates are x right, y down and z
away from the camera, so the right limbs get the smaller z and the higher visibility.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
from numpy.typing import NDArray

from backcare.core.figure import pose_points
from backcare.core.library import KeyPose
from backcare.core.motion.landmarks import Landmarks
from backcare.core.motion.skeleton import BLAZEPOSE_33

__all__ = ["Move", "keypose_landmarks", "keypose_track", "lean", "pose_frame"]

FloatArray = NDArray[np.float64]

HIP_HALF_WIDTH = 9.0
"""Half the distance between the hip joints, in the figure's units (about cm of a 176 cm adult)."""
SHOULDER_HALF_WIDTH = 18.0
"""Half the distance between the shoulder joints."""
NEAR_VISIBILITY, FAR_VISIBILITY = 0.98, 0.85
"""BlazePose reports the limbs facing the camera as more visible than the hidden ones."""

# BlazePose joint → the figure's point; "near" limbs are the right side (facing the camera).
_NEAR = {"right_": "", "left_": "far_"}
_LIMB_POINTS = {
    "hip": "hip",
    "knee": "knee",
    "ankle": "ankle",
    "heel": "heel",
    "foot_index": "toe",
    "shoulder": "shoulder",
    "elbow": "elbow",
    "wrist": "wrist",
    "pinky": "fingers",
    "index": "fingers",
    "thumb": "fingers",
}
_SHARED = frozenset({"hip", "shoulder"})
_ANGLES = tuple(f.name for f in fields(KeyPose) if f.name.endswith("_deg"))


@dataclass(frozen=True)
class Move:
    """Move to ``pose`` over ``move_s`` seconds (eased), then stay there ``stay_s`` seconds."""

    pose: KeyPose
    move_s: float
    stay_s: float = 0.0


def _joint_source(joint: str) -> tuple[str, float]:
    """The figure point a BlazePose joint stands for, and its depth (z) in figure units."""
    for prefix, figure_prefix in _NEAR.items():
        part = joint.removeprefix(prefix)
        if joint.startswith(prefix) and part in _LIMB_POINTS:
            point = _LIMB_POINTS[part]
            near = prefix == "right_"
            half = SHOULDER_HALF_WIDTH if part in {"shoulder", "elbow", "wrist"} else HIP_HALF_WIDTH
            name = point if point in _SHARED else figure_prefix + point
            return name, -half if near else half
    return "head", 0.0  # nose, eyes, ears and mouth: all at the head's centre


_SOURCES = tuple(_joint_source(j) for j in BLAZEPOSE_33.joints)
_VISIBILITY = np.array(
    [
        NEAR_VISIBILITY if j.startswith("right_") or not j.startswith("left_") else FAR_VISIBILITY
        for j in BLAZEPOSE_33.joints
    ]
)


def pose_frame(pose: KeyPose) -> FloatArray:
    """One frame of BlazePose-33 landmarks (33 × 4) for ``pose``, lowest joint on y = 0."""
    points = pose_points(pose)
    frame = np.empty((len(BLAZEPOSE_33.joints), 4))
    for index, (name, z) in enumerate(_SOURCES):
        x, y = points[name]
        frame[index] = (x, -y, z, _VISIBILITY[index])  # BlazePose: y down
    frame[:, 1] -= frame[:, 1].max()  # rest the lowest point on the floor
    return frame


def _poses(start: KeyPose, moves: Sequence[Move], fps: float) -> list[KeyPose]:
    """Every frame's pose: joint angles eased (half a cosine) from one key pose to the next."""
    out = [start]
    current = start
    for move in moves:
        steps = max(1, round(move.move_s * fps))
        a = np.array([getattr(current, n) for n in _ANGLES], dtype=np.float64)
        b = np.array([getattr(move.pose, n) for n in _ANGLES], dtype=np.float64)
        for k in range(1, steps + 1):
            s = 0.5 - 0.5 * math.cos(math.pi * k / steps)
            angles = a + (b - a) * s
            out.append(replace(current, **dict(zip(_ANGLES, angles.tolist(), strict=True))))
        out.extend([move.pose] * round(move.stay_s * fps))
        current = move.pose
    return out


def keypose_track(start: KeyPose, moves: Sequence[Move], fps: float = 30.0) -> FloatArray:
    """Frames × 33 × 4 noise-free BlazePose landmarks acting out ``moves`` from ``start``."""
    return np.stack([pose_frame(p) for p in _poses(start, moves, fps)])


def keypose_landmarks(
    start: KeyPose,
    moves: Sequence[Move],
    *,
    fps: float = 30.0,
    jitter: float = 0.4,
    seed: int = 0,
) -> Landmarks:
    """``keypose_track`` with Gaussian jitter of ``jitter`` figure units (≈ cm) on x, y and z."""
    values = keypose_track(start, moves, fps)
    rng = np.random.default_rng(seed)
    values[..., :3] += rng.normal(0.0, jitter, values[..., :3].shape)
    return Landmarks(values, fps, BLAZEPOSE_33)


def lean(pose: KeyPose, degrees: float) -> KeyPose:
    """``pose`` with the trunk tipped ``degrees`` further forward at the hips; legs stay put."""
    return replace(
        pose,
        trunk_deg=pose.trunk_deg + degrees,
        hip_deg=pose.hip_deg + degrees,
        far_hip_deg=pose.far_hip_deg + degrees,
    )
