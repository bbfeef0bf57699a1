"""The engine's input: a landmark sequence, its frame rate and its skeleton schema."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from backcare.core.motion.skeleton import Skeleton

__all__ = ["Landmarks", "MotionError"]

FloatArray = NDArray[np.float64]


class MotionError(ValueError):
    """Input the engine cannot work with; the message says what is wrong."""


@dataclass(frozen=True, eq=False)
class Landmarks:
    """A landmark sequence: ``values`` is frames × joints × 4 (x, y, z, visibility 0–1).

    Missing landmarks may be NaN; they are treated like landmarks with zero visibility. Sources
    without a visibility (the Kinect) use 1.0 throughout (see :meth:`from_positions`).
    """

    values: FloatArray
    fps: float
    skeleton: Skeleton

    def __post_init__(self) -> None:
        values = self.values
        if values.ndim != 3 or values.shape[2] != 4:
            raise MotionError(f"landmarks must be frames × joints × 4, got shape {values.shape}")
        if values.shape[1] != len(self.skeleton.joints):
            raise MotionError(
                f"{self.skeleton.name} has {len(self.skeleton.joints)} joints, "
                f"got {values.shape[1]}"
            )
        if values.shape[0] == 0:
            raise MotionError("the sequence has no frames")
        if not np.isfinite(self.fps) or not 1.0 <= self.fps <= 1000.0:
            raise MotionError(f"fps must be between 1 and 1000, got {self.fps}")
        if np.isinf(values).any():
            raise MotionError("landmarks contain infinite values")

    @classmethod
    def from_positions(
        cls,
        xyz: FloatArray,
        fps: float,
        skeleton: Skeleton,
        visibility: FloatArray | None = None,
    ) -> Landmarks:
        """Build from frames × joints × 3 positions; visibility defaults to 1.0 everywhere."""
        xyz = np.asarray(xyz, dtype=np.float64)
        if xyz.ndim != 3 or xyz.shape[2] != 3:
            raise MotionError(f"positions must be frames × joints × 3, got shape {xyz.shape}")
        vis = (
            np.ones(xyz.shape[:2])
            if visibility is None
            else np.asarray(visibility, dtype=np.float64)
        )
        if vis.shape != xyz.shape[:2]:
            raise MotionError(f"visibility must be frames × joints, got shape {vis.shape}")
        return cls(np.concatenate([xyz, vis[..., None]], axis=2), float(fps), skeleton)

    @property
    def frame_count(self) -> int:
        """Number of frames."""
        return int(self.values.shape[0])
