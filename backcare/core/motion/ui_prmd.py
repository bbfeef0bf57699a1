"""Reading the UI-PRMD CSV format (Kinect v2 joint positions, one repetition per episode).

Format: a header, then one row per frame: ``subject, episode, correct (1/0), frame`` and
``<joint>_x, <joint>_y, <joint>_z`` for the 22 joints of ``KINECT_22`` in order; centimetres, y
up, about 30 frames per second. ``(subject, episode, correct)`` identifies one repetition. The
file may be gzip-compressed. Source: Vakanski et al., "A data set of human body movements for
physical rehabilitation exercises", Data 3(1):2, 2018 (PDDL).
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from backcare.core.motion.landmarks import Landmarks, MotionError
from backcare.core.motion.skeleton import KINECT_22

__all__ = ["UI_PRMD_FPS", "UI_PRMD_HEADER", "Recording", "parse_ui_prmd", "read_ui_prmd"]

UI_PRMD_FPS = 30.0
"""The Kinect v2 records at 30 frames per second (Vakanski et al. 2018)."""

UI_PRMD_HEADER: tuple[str, ...] = (
    "subject",
    "episode",
    "correct",
    "frame",
    *(f"{joint}_{axis}" for joint in KINECT_22.joints for axis in "xyz"),
)
"""The expected header, column by column."""


@dataclass(frozen=True, eq=False)
class Recording:
    """One repetition of one subject, performed correctly or deliberately incorrectly."""

    subject: int
    episode: int
    correct: bool
    landmarks: Landmarks


def parse_ui_prmd(text: str, source: str = "UI-PRMD CSV") -> tuple[Recording, ...]:
    """Parse UI-PRMD CSV text into recordings, in file order; errors name ``source``."""
    header, _, body = text.partition("\n")
    columns = tuple(c.strip() for c in header.split(","))
    if columns != UI_PRMD_HEADER:
        wrong = next(
            (i for i, (a, b) in enumerate(zip(columns, UI_PRMD_HEADER, strict=False)) if a != b),
            min(len(columns), len(UI_PRMD_HEADER)),
        )
        expected = UI_PRMD_HEADER[wrong] if wrong < len(UI_PRMD_HEADER) else "(end of header)"
        raise MotionError(
            f"{source}: header column {wrong + 1} should be {expected!r}; "
            f"expected {len(UI_PRMD_HEADER)} columns, got {len(columns)}"
        )
    try:
        data = np.loadtxt(io.StringIO(body), delimiter=",", ndmin=2)
    except ValueError as error:
        raise MotionError(f"{source}: not a table of numbers: {error}") from error
    if data.shape[0] == 0:
        raise MotionError(f"{source}: no frames")
    keys = data[:, :3].astype(np.int64)
    change = np.flatnonzero((np.diff(keys, axis=0) != 0).any(axis=1)) + 1
    bounds = [0, *change.tolist(), data.shape[0]]
    out = []
    for a, b in pairwise(bounds):
        xyz = data[a:b, 4:].reshape(b - a, len(KINECT_22.joints), 3)
        subject, episode, correct = (int(v) for v in keys[a])
        out.append(
            Recording(
                subject,
                episode,
                correct == 1,
                Landmarks.from_positions(xyz, UI_PRMD_FPS, KINECT_22),
            )
        )
    return tuple(out)


def read_ui_prmd(path: Path) -> tuple[Recording, ...]:
    """Read a UI-PRMD CSV file (``.csv`` or ``.csv.gz``)."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return parse_ui_prmd(raw.decode("utf-8"), path.name)
