"""Frames per second of the whole motion pipeline on one core; prints figures, asserts nothing.

Run from the repository root::

    uv run python bench/motion_speed.py

A synthetic BlazePose-33 sequence (squats at 30 fps with noise and occasional low-visibility
frames) goes through ``analyze``: gating, gap filling, resampling, smoothing, angles, reps and
form rules. BLAS threads are pinned to one so the figure is for a single core.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from backcare.core.motion import BLAZEPOSE_33, Landmarks, analyze, load_profiles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FPS = 30.0


def synthetic_squats(frames: int, fps: float = FPS, seed: int = 0) -> Landmarks:
    """A side-on BlazePose-33 figure squatting every 3 s, in pixels, y down, with noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / fps
    depth = 0.5 - 0.5 * np.cos(2 * np.pi * t / 3.0)  # 0 standing … 1 bottom
    knee = np.radians(110 * depth)
    hip = np.radians(100 * depth)
    values = np.zeros((frames, 33, 4))
    values[..., 3] = 0.95
    ankle = np.stack([np.full(frames, 300.0), np.full(frames, 900.0)], axis=1)
    shank = 200 * np.stack([np.sin(knee * 0.5), -np.cos(knee * 0.5)], axis=1)
    knee_pt = ankle + shank
    thigh = 200 * np.stack([-np.sin(knee * 0.5), -np.cos(knee * 0.5)], axis=1)
    hip_pt = knee_pt + thigh
    lean = hip - knee * 0.5
    trunk = 250 * np.stack([np.sin(lean), -np.cos(lean)], axis=1)
    shoulder = hip_pt + trunk
    toe = ankle + np.array([60.0, 10.0])
    for name, point in (
        ("ankle", ankle),
        ("knee", knee_pt),
        ("hip", hip_pt),
        ("shoulder", shoulder),
        ("foot_index", toe),
    ):
        for side, offset in (("left", -40.0), ("right", 40.0)):
            j = BLAZEPOSE_33.joints.index(f"{side}_{name}")
            values[:, j, 0] = point[:, 0] + offset * 0.2
            values[:, j, 1] = point[:, 1]
            values[:, j, 2] = offset
    values[..., :3] += rng.normal(0, 2.0, size=(frames, 33, 3))
    dropped = rng.random((frames, 33)) < 0.01
    values[..., 3][dropped] = 0.1
    return Landmarks(values, fps, BLAZEPOSE_33)


def main() -> None:
    profile = load_profiles(ROOT / "content/motion")["bodyweight-squat"]
    print(f"{'frames':>8} {'best s':>8} {'frames/s':>12} {'reps':>5}")
    for frames in (900, 9_000, 90_000):
        landmarks = synthetic_squats(frames)
        best = float("inf")
        result = analyze(landmarks, profile)
        for _ in range(5):
            start = time.perf_counter()
            result = analyze(landmarks, profile)
            best = min(best, time.perf_counter() - start)
        print(f"{frames:8d} {best:8.4f} {frames / best:12,.0f} {len(result.reps):5d}")


if __name__ == "__main__":
    main()
