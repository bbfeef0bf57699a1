"""Repetitions with hysteresis, and holds within a tolerance, on one signal.

A single threshold double-counts when the signal jitters around it. Here a repetition starts when
the signal rises past the *enter* threshold and ends only when it falls back past the lower *exit*
threshold; the state between the two is whatever it was last. Jitter smaller than the gap between
the thresholds can therefore never start a second repetition. A repetition must also last long
enough and move far enough, and a repetition that runs into a stretch of unknown signal (a long
landmark gap) is dropped rather than guessed at. Everything is vectorised: the state at each
frame is the last threshold event before it, found with a running maximum of event indices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["SETTLE_DEG", "Window", "find_holds", "find_reps"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_REST, _ACTIVE, _UNKNOWN = 0, 1, 2

SETTLE_DEG = 5.0
"""A rep starts where the signal leaves its resting level by more than this, and ends where it
is back within it. Smoothed joint angles wobble by 1–3° at rest (Kinect and BlazePose alike), so
5° separates moving from standing still without cutting off the slow start of a rep."""


@dataclass(frozen=True)
class Window:
    """A span of frames ``start``..``end`` (inclusive) with the frame of the turn (the extreme)."""

    start: int
    turn: int
    end: int
    rest: float = float("nan")
    """The lower of the resting levels before and after a rep (NaN for holds)."""


def _runs(mask: NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """Start and end (inclusive) indices of the runs of True in ``mask``."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1


def find_reps(
    signal: FloatArray,
    *,
    enter: float,
    exit: float,
    min_frames: int,
    min_amplitude: float,
) -> tuple[Window, ...]:
    """Repetitions where ``signal`` rises past ``enter`` and returns past ``exit`` (< enter).

    ``start`` is the last frame of the rest before the rise that is still within
    ``SETTLE_DEG`` of that rest's lowest value, ``end`` the first such frame of the rest after
    it, and ``turn`` the highest frame between them. The amplitude is measured from the higher of
    the two rest levels, so a rep that barely clears ``enter`` from a high rest is not counted.
    """
    if not exit < enter:
        raise ValueError("exit must be below enter")
    n = signal.shape[0]
    unknown = np.isnan(signal)
    with np.errstate(invalid="ignore"):
        event = np.where(
            unknown,
            _UNKNOWN,
            np.where(signal >= enter, _ACTIVE, np.where(signal <= exit, _REST, -1)),
        )
    frames = np.arange(n)
    last_event = np.maximum.accumulate(np.where(event >= 0, frames, -1))
    # before the first event the signal sits between the thresholds, not yet in a rep: rest
    state = np.where(last_event >= 0, event[np.maximum(last_event, 0)], _REST)
    rest_starts, rest_ends = _runs(state == _REST)
    rest_before = dict(zip((rest_ends + 1).tolist(), rest_starts.tolist(), strict=True))
    rest_after = dict(zip((rest_starts - 1).tolist(), rest_ends.tolist(), strict=True))
    starts, ends = _runs(state == _ACTIVE)
    reps: list[Window] = []
    for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
        # a rep must rise out of a seen rest and fall back into one
        if first not in rest_before or last not in rest_after:
            continue
        before = signal[rest_before[first] : first]
        after = signal[last + 1 : rest_after[last] + 1]
        with np.errstate(invalid="ignore"):
            settled_before = np.flatnonzero(before <= np.nanmin(before) + SETTLE_DEG)
            settled_after = np.flatnonzero(after <= np.nanmin(after) + SETTLE_DEG)
        start = rest_before[first] + int(settled_before[-1])
        end = last + 1 + int(settled_after[0])
        segment = signal[start : end + 1]
        if np.isnan(segment).any():
            continue
        turn = start + int(np.argmax(segment))
        amplitude = float(segment.max() - max(segment[0], segment[-1]))
        if end - start + 1 < min_frames or amplitude < min_amplitude:
            continue
        rest = float(min(np.nanmin(before), np.nanmin(after)))
        reps.append(Window(start, turn, end, rest))
    return tuple(reps)


def find_holds(
    signal: FloatArray,
    *,
    target: float,
    tolerance: float,
    min_frames: int,
    bridge_frames: int,
) -> tuple[tuple[Window, int], ...]:
    """Holds: spans where ``signal`` stays within ``tolerance`` of ``target``.

    Dips out of tolerance no longer than ``bridge_frames`` do not end a hold (a wobble is not a
    new hold), but they do not count as time within tolerance either. Returns each hold's window
    (turn = its first frame) and its number of frames within tolerance.
    """
    with np.errstate(invalid="ignore"):
        inside = np.abs(signal - target) <= tolerance
    starts, ends = _runs(inside)
    if starts.size == 0:
        return ()
    # merge runs separated by short dips
    gaps = starts[1:] - ends[:-1] - 1
    keep = np.concatenate(([True], gaps > bridge_frames))
    merged_starts = starts[keep]
    merged_ends = np.concatenate((ends[:-1][keep[1:]], ends[-1:]))
    holds: list[tuple[Window, int]] = []
    for s, e in zip(merged_starts.tolist(), merged_ends.tolist(), strict=True):
        within = int(inside[s : e + 1].sum())
        if within >= min_frames:
            holds.append((Window(s, s, e), within))
    return tuple(holds)
