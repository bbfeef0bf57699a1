"""Joint angles and body signals from a clean track, one value per frame (NaN where unknown).

Conventions follow the library's key poses (``backcare.core.library.KeyPose``): 0 is standing
straight, flexion is positive, all in degrees.

- ``knee_flexion``: 180° minus the hip–knee–ankle angle; 0 straight.
- ``hip_flexion``: the angle between the thigh and the trunk line continued downwards; 0 in line.
- ``trunk_inclination``: the trunk (mid-hip to mid-shoulder) from vertical, in any direction.
- ``trunk_lateral_tilt``: the trunk's sideways lean in the frontal plane; + towards the right.
- ``trunk_rotation``: the shoulder line against the hip line seen from above, + anticlockwise
  (depth needed; NaN without it).
- ``pelvic_tilt``: the hip line from horizontal in the frontal plane; + right hip higher.
- ``knee_ankle_ratio``: the distance between the knees over the distance between the ankles,
  side to side; below 1 the knees are closer together than the feet (knee valgus).
- ``ankle_plantarflexion``: the shank–foot angle (knee–ankle–toe) minus 90°. The toe landmark sits
  below the ankle, so a foot flat under an upright shank reads about 10–20°, not 0; rising onto
  the toes adds the plantarflexion. A joint angle, so a tilted camera does not change it.
- ``*_asymmetry``: |left − right| of a paired angle.

The ``_left``/``_right`` signals are per side; the unsuffixed knee and hip signals are the mean of
the two sides where both are seen, and the one that is seen otherwise (a side-on camera often
loses the far leg). ``*_max`` is the larger side and ``*_min`` the smaller, for one-legged
movements where either leg may work (in a standing leg raise, ``hip_flexion_max`` is the lifted
leg and ``hip_flexion_min`` the standing one; in a lying straight-leg raise, ``knee_flexion_min``
is the straight, lifting leg's knee while the other knee stays bent).
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from backcare.core.motion.clean import Track
from backcare.core.motion.skeleton import COMMON_POINTS

__all__ = ["SIGNALS", "Facing", "SignalName", "facing", "signals"]

FloatArray = NDArray[np.float64]

SignalName = Literal[
    "knee_flexion",
    "knee_flexion_left",
    "knee_flexion_right",
    "knee_flexion_max",
    "knee_flexion_min",
    "hip_flexion",
    "hip_flexion_left",
    "hip_flexion_right",
    "hip_flexion_max",
    "hip_flexion_min",
    "trunk_inclination",
    "trunk_lateral_tilt",
    "trunk_rotation",
    "pelvic_tilt",
    "knee_ankle_ratio",
    "knee_flexion_asymmetry",
    "hip_flexion_asymmetry",
    "ankle_plantarflexion",
]
SIGNALS: tuple[SignalName, ...] = get_args(SignalName)
"""Every signal a profile may follow or check."""

Facing = Literal["front", "left", "right", "unknown"]

SIDE_ON_WIDTH_RATIO = 0.35
"""Seen side-on, the hips' width across the image is under about a third of the trunk's length
(adult hip width is about 0.6 of trunk length face-on, and foreshortens with the cosine of the
turn); above this the person is treated as facing the camera."""


def _unit(v: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        unit: FloatArray = v / np.linalg.norm(v, axis=-1, keepdims=True)
    return unit


def _angle(u: FloatArray, v: FloatArray) -> FloatArray:
    """Angle in degrees between two T × 3 vector series."""
    cos = np.einsum("ij,ij->i", _unit(u), _unit(v))
    degrees: FloatArray = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return degrees


def _both(left: FloatArray, right: FloatArray) -> FloatArray:
    both = np.where(np.isnan(left), right, np.where(np.isnan(right), left, (left + right) / 2))
    return np.asarray(both, dtype=np.float64)


def _larger(left: FloatArray, right: FloatArray) -> FloatArray:
    return np.asarray(np.fmax(left, right), dtype=np.float64)


def signals(track: Track) -> dict[SignalName, FloatArray]:
    """Every signal of ``SIGNALS`` for each frame of ``track``."""
    p = track.point
    up = track.up
    hip_l, hip_r = p("left_hip"), p("right_hip")
    sh_l, sh_r = p("left_shoulder"), p("right_shoulder")
    knee_l, knee_r = p("left_knee"), p("right_knee")
    ankle_l, ankle_r = p("left_ankle"), p("right_ankle")
    foot_l, foot_r = p("left_foot"), p("right_foot")
    pelvis = (hip_l + hip_r) / 2
    trunk = (sh_l + sh_r) / 2 - pelvis

    # body axes: side to side (left hip → right hip, made horizontal) and vertical
    hip_line = hip_r - hip_l
    side = _unit(hip_line - np.outer(hip_line @ up, up))

    knee_fl_l = 180.0 - _angle(hip_l - knee_l, ankle_l - knee_l)
    knee_fl_r = 180.0 - _angle(hip_r - knee_r, ankle_r - knee_r)
    plantar_l = _angle(knee_l - ankle_l, foot_l - ankle_l) - 90.0
    plantar_r = _angle(knee_r - ankle_r, foot_r - ankle_r) - 90.0
    hip_fl_l = _angle(knee_l - hip_l, -trunk)
    hip_fl_r = _angle(knee_r - hip_r, -trunk)

    trunk_up = trunk @ up
    lateral = np.degrees(np.arctan2(np.einsum("ij,ij->i", trunk, side), trunk_up))
    pelvic = np.degrees(np.arctan2(hip_line @ up, np.einsum("ij,ij->i", hip_line, side)))
    knees = np.einsum("ij,ij->i", knee_r - knee_l, side)
    ankles = np.einsum("ij,ij->i", ankle_r - ankle_l, side)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(np.abs(ankles) > 1e-9, knees / ankles, np.nan)

    if track.depth_reliable:
        sh_line = sh_r - sh_l
        sh_flat = sh_line - np.outer(sh_line @ up, up)
        turn = np.einsum("ij,ij->i", np.cross(side, sh_flat), np.broadcast_to(up, side.shape))
        rotation = np.degrees(np.arctan2(turn, np.einsum("ij,ij->i", side, sh_flat)))
    else:
        rotation = np.full(track.frame_count, np.nan)

    return {
        "knee_flexion": _both(knee_fl_l, knee_fl_r),
        "knee_flexion_left": knee_fl_l,
        "knee_flexion_right": knee_fl_r,
        "knee_flexion_max": _larger(knee_fl_l, knee_fl_r),
        "knee_flexion_min": np.asarray(np.fmin(knee_fl_l, knee_fl_r), dtype=np.float64),
        "hip_flexion": _both(hip_fl_l, hip_fl_r),
        "hip_flexion_left": hip_fl_l,
        "hip_flexion_right": hip_fl_r,
        "hip_flexion_max": _larger(hip_fl_l, hip_fl_r),
        "hip_flexion_min": np.asarray(np.fmin(hip_fl_l, hip_fl_r), dtype=np.float64),
        "trunk_inclination": _angle(trunk, np.broadcast_to(up, trunk.shape)),
        "trunk_lateral_tilt": lateral,
        "trunk_rotation": rotation,
        "pelvic_tilt": pelvic,
        "knee_ankle_ratio": ratio,
        "knee_flexion_asymmetry": np.abs(knee_fl_l - knee_fl_r),
        "hip_flexion_asymmetry": np.abs(hip_fl_l - hip_fl_r),
        "ankle_plantarflexion": _both(plantar_l, plantar_r),
    }


def facing(track: Track) -> Facing:
    """Which side of the body faces the camera, from the hips' width across the image.

    The camera looks along z. Side-on, the nearer side is the one seen better (higher visibility)
    or, when visibility cannot tell and depth is measured, the one with the smaller z.
    """
    p = track.point
    hip_l, hip_r = p("left_hip"), p("right_hip")
    sh_l, sh_r = p("left_shoulder"), p("right_shoulder")
    trunk_len = np.linalg.norm((sh_l + sh_r) / 2 - (hip_l + hip_r) / 2, axis=1)
    width = np.linalg.norm((hip_r - hip_l)[:, :2], axis=1)
    ok = np.isfinite(width) & np.isfinite(trunk_len) & (trunk_len > 0)
    if not ok.any():
        return "unknown"
    if float(np.median(width[ok] / trunk_len[ok])) > SIDE_ON_WIDTH_RATIO:
        return "front"
    names = ("left_shoulder", "left_hip", "right_shoulder", "right_hip")
    vis = {n: float(track.visibility[:, COMMON_POINTS.index(n)].mean()) for n in names}
    left_vis = vis["left_shoulder"] + vis["left_hip"]
    right_vis = vis["right_shoulder"] + vis["right_hip"]
    if abs(left_vis - right_vis) > 0.1:
        return "left" if left_vis > right_vis else "right"
    if track.depth_reliable:
        left_z = np.nanmedian(hip_l[:, 2] + sh_l[:, 2])
        right_z = np.nanmedian(hip_r[:, 2] + sh_r[:, 2])
        return "left" if left_z < right_z else "right"
    return "unknown"
