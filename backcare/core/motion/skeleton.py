"""Skeleton schemas: which joint sits at which index, and which way is up.

Two schemas ship: MediaPipe BlazePose (33 landmarks, what the browser's pose model returns) and the
Kinect v2 skeleton of the UI-PRMD recordings (22 joints). Both are mapped onto one small common set
of points (shoulders, hips, knees, ankles, feet) so the rest of the engine never needs to know where
the landmarks came from. The trunk is the line from the mid-hip point to the mid-shoulder point,
built from the common set, so it means the same thing for both schemas.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BLAZEPOSE_33",
    "COMMON_POINTS",
    "KINECT_22",
    "SKELETONS",
    "Skeleton",
]

COMMON_POINTS: tuple[str, ...] = (
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_foot",
    "right_foot",
)
"""The points every joint angle is built from, in this order (see ``Track.points``)."""


@dataclass(frozen=True)
class Skeleton:
    """A landmark layout: joint names by index, where the common points are, and the up axis."""

    name: str
    joints: tuple[str, ...]
    common: tuple[str, ...]
    """For each of ``COMMON_POINTS``, the name of this skeleton's joint that stands for it."""
    up: tuple[float, float, float]
    """The unit vector pointing up in this skeleton's coordinates."""
    depth_reliable: bool
    """Whether z is a real measurement (depth sensor) rather than a model's guess."""

    def __post_init__(self) -> None:
        if len(self.common) != len(COMMON_POINTS):
            raise ValueError(f"{self.name}: needs one joint for each of {len(COMMON_POINTS)}")
        missing = [j for j in self.common if j not in self.joints]
        if missing:
            raise ValueError(f"{self.name}: unknown joint {missing[0]!r}")

    @property
    def common_indices(self) -> tuple[int, ...]:
        """Indices into ``joints`` of the common points, in ``COMMON_POINTS`` order."""
        return tuple(self.joints.index(j) for j in self.common)


BLAZEPOSE_33 = Skeleton(
    name="blazepose33",
    joints=(
        "nose",
        "left_eye_inner",
        "left_eye",
        "left_eye_outer",
        "right_eye_inner",
        "right_eye",
        "right_eye_outer",
        "left_ear",
        "right_ear",
        "mouth_left",
        "mouth_right",
        "left_shoulder",
        "right_shoulder",
        "left_elbow",
        "right_elbow",
        "left_wrist",
        "right_wrist",
        "left_pinky",
        "right_pinky",
        "left_index",
        "right_index",
        "left_thumb",
        "right_thumb",
        "left_hip",
        "right_hip",
        "left_knee",
        "right_knee",
        "left_ankle",
        "right_ankle",
        "left_heel",
        "right_heel",
        "left_foot_index",
        "right_foot_index",
    ),
    common=(
        "left_shoulder",
        "right_shoulder",
        "left_hip",
        "right_hip",
        "left_knee",
        "right_knee",
        "left_ankle",
        "right_ankle",
        "left_foot_index",
        "right_foot_index",
    ),
    up=(0.0, -1.0, 0.0),
    depth_reliable=False,
)
"""MediaPipe BlazePose landmarks. Image and world coordinates both have y pointing down, so up is
-y. The z value is the model's estimate of depth and is too unreliable for trunk rotation (the
left/right and depth estimates flip), so rotation is left out unless the caller says otherwise.
Image coordinates must be scaled to the same unit on x and y (multiply x by the image width and y
by its height) before angles mean anything."""

KINECT_22 = Skeleton(
    name="kinect22",
    joints=(
        "waist",
        "spine",
        "chest",
        "neck",
        "head",
        "head_tip",
        "left_collar",
        "left_shoulder",
        "left_elbow",
        "left_hand",
        "right_collar",
        "right_shoulder",
        "right_elbow",
        "right_hand",
        "left_hip",
        "left_knee",
        "left_ankle",
        "left_toe",
        "right_hip",
        "right_knee",
        "right_ankle",
        "right_toe",
    ),
    common=(
        "left_shoulder",
        "right_shoulder",
        "left_hip",
        "right_hip",
        "left_knee",
        "right_knee",
        "left_ankle",
        "right_ankle",
        "left_toe",
        "right_toe",
    ),
    up=(0.0, 1.0, 0.0),
    depth_reliable=True,
)
"""The Kinect v2 skeleton as stored in the UI-PRMD files (centimetres, y up). The Kinect measures
depth, so trunk rotation is computed."""

SKELETONS: dict[str, Skeleton] = {s.name: s for s in (BLAZEPOSE_33, KINECT_22)}
"""Known schemas by name."""
