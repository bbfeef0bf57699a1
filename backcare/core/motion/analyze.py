"""The whole pipeline: landmarks and a profile in, repetitions or holds, faults and scores out.

``analyze`` cleans the landmarks, computes the signals, checks that there is enough good data to
judge, then finds the repetitions (or holds) on the profile's signal and runs the profile's form
rules over each of them. When the landmarks are too poor, the result says so
(``judged`` is False, with the reason) and counts nothing: a wrong count is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from backcare.core.motion.angles import Facing, facing, signals
from backcare.core.motion.clean import Track, prepare
from backcare.core.motion.landmarks import Landmarks
from backcare.core.motion.profile import FormRule, MotionProfile
from backcare.core.motion.reps import Window, find_holds, find_reps

__all__ = [
    "FAULT_MIN_S",
    "MIN_CONFIDENCE",
    "MIN_RECORDING_S",
    "Analysis",
    "Fault",
    "Hold",
    "Rep",
    "analyze",
    "analyze_track",
    "check_rule",
]

FloatArray = NDArray[np.float64]

MIN_CONFIDENCE = 0.6
"""Below this confidence the engine refuses to count. Confidence is the share of the recording
where the followed signal is known, times the mean visibility of the landmarks it rests on; under
0.6 more than a third of the movement is unseen or guessed, enough to hide or invent a rep."""

MIN_RECORDING_S = 1.0
"""A recording shorter than one second cannot hold a single controlled repetition."""

FAULT_MIN_S = 0.2
"""A fault must last this long (6 frames at 30 Hz) to be reported. The zero-phase filter spreads
a one-frame glitch over about five frames, so a shorter minimum would let one bad frame produce a
cue; a real compensation lasts far longer than a fifth of a second."""

HOLD_BRIDGE_S = 0.5
"""A wobble out of tolerance shorter than this does not end a hold (it is not counted as time
within tolerance either); patients correct small drifts within about half a second."""

MIN_HOLD_S = 1.0
"""Time within tolerance below which a passage through the target is not a hold."""

_POINTS_USED = (0, 1, 2, 3, 4, 5, 6, 7)  # shoulders, hips, knees, ankles in COMMON_POINTS


@dataclass(frozen=True)
class Fault:
    """A form rule broken within one rep or hold: where (input frame spans) and what to say."""

    rule: str
    cue: str
    frames: tuple[tuple[int, int], ...]
    worst: float


@dataclass(frozen=True)
class Rep:
    """One repetition, in input frame numbers, with its range of motion and tempo."""

    start_frame: int
    turn_frame: int
    end_frame: int
    range_of_motion_deg: float
    """From the resting level to the turn."""
    out_s: float
    """Time from the start to the turn (lowering in a squat, lifting in a leg raise)."""
    back_s: float
    """Time from the turn back to the end."""
    faults: tuple[Fault, ...]
    measures: dict[str, float] = field(default_factory=dict)
    """Each rule's measured extreme in this rep (e.g. the deepest knee flexion), by rule key."""

    @property
    def duration_s(self) -> float:
        """Length of the repetition."""
        return self.out_s + self.back_s


@dataclass(frozen=True)
class Hold:
    """One hold: its span in input frames and the time spent within tolerance."""

    start_frame: int
    end_frame: int
    within_tolerance_s: float
    met_target: bool
    faults: tuple[Fault, ...]


@dataclass(frozen=True)
class Analysis:
    """What the engine found in one recording of one exercise."""

    slug: str
    judged: bool
    reason: str
    """Why the recording could not be judged; empty when it was."""
    confidence: float
    """0–1: share of the recording with the signal known × mean landmark visibility."""
    facing: Facing
    duration_s: float
    reps: tuple[Rep, ...] = ()
    holds: tuple[Hold, ...] = ()
    quality: int | None = None
    """0–100: the share of form rules passed, averaged over reps (or holds); None if none."""
    unchecked_rules: tuple[str, ...] = ()
    """Rules whose signal could not be measured here (e.g. rotation without depth)."""


def analyze(landmarks: Landmarks, profile: MotionProfile) -> Analysis:
    """Clean ``landmarks`` and analyse them against ``profile``."""
    return analyze_track(prepare(landmarks), profile)


def analyze_track(track: Track, profile: MotionProfile) -> Analysis:
    """Analyse an already cleaned track against ``profile``."""
    sig = signals(track)
    followed = sig[profile.signal]
    known = np.isfinite(followed)
    duration_s = track.frame_count / track.rate_hz
    coverage = float(known.mean())
    vis = track.visibility[:, list(_POINTS_USED)]
    mean_vis = float(vis[known].mean()) if known.any() else 0.0
    confidence = round(coverage * mean_vis, 3)
    base = Analysis(profile.slug, False, "", confidence, facing(track), round(duration_s, 3))
    if duration_s < MIN_RECORDING_S:
        return _refuse(base, f"the recording is shorter than {MIN_RECORDING_S:g} s")
    if confidence < MIN_CONFIDENCE:
        return _refuse(
            base,
            f"the body is seen too poorly to judge (confidence {confidence:.2f}, "
            f"needs {MIN_CONFIDENCE:.2f}): make sure your whole body is in the picture and lit",
        )
    rules = tuple(r for r in profile.rules if np.isfinite(sig[r.signal]).any())
    unchecked = tuple(r.key for r in profile.rules if r not in rules)
    fault_frames = max(1, round(FAULT_MIN_S * track.rate_hz))
    src = track.source_frame
    rate = track.rate_hz

    def check(window: Window) -> tuple[tuple[Fault, ...], dict[str, float]]:
        faults, measures = [], {}
        for rule in rules:
            fault, measure = check_rule(rule, sig[rule.signal], window, fault_frames, src)
            measures[rule.key] = measure
            if fault is not None:
                faults.append(fault)
        return tuple(faults), measures

    reps: list[Rep] = []
    holds: list[Hold] = []
    if profile.reps is not None:
        phases = profile.reps
        for w in find_reps(
            followed,
            enter=phases.enter_deg,
            exit=phases.exit_deg,
            min_frames=max(2, round(phases.min_duration_s * rate)),
            min_amplitude=phases.min_amplitude_deg,
        ):
            segment = followed[w.start : w.end + 1]
            faults, measures = check(w)
            reps.append(
                Rep(
                    start_frame=int(src[w.start]),
                    turn_frame=int(src[w.turn]),
                    end_frame=int(src[w.end]),
                    range_of_motion_deg=round(float(segment.max()) - min(w.rest, segment.min()), 1),
                    out_s=round((w.turn - w.start) / rate, 3),
                    back_s=round((w.end - w.turn) / rate, 3),
                    faults=faults,
                    measures=measures,
                )
            )
        scored = [r.faults for r in reps]
    else:
        assert profile.hold is not None
        target = profile.hold
        for w, within in find_holds(
            followed,
            target=target.target_deg,
            tolerance=target.tolerance_deg,
            min_frames=max(1, round(MIN_HOLD_S * rate)),
            bridge_frames=round(HOLD_BRIDGE_S * rate),
        ):
            faults, _ = check(w)
            within_s = round(within / rate, 3)
            holds.append(
                Hold(
                    int(src[w.start]),
                    int(src[w.end]),
                    within_s,
                    within_s >= target.target_s,
                    faults,
                )
            )
        scored = [h.faults for h in holds]
    quality = None
    if scored:
        passed = [1.0 - len(f) / len(rules) if rules else 1.0 for f in scored]
        quality = round(100 * float(np.mean(passed)))
    return Analysis(
        slug=profile.slug,
        judged=True,
        reason="",
        confidence=confidence,
        facing=base.facing,
        duration_s=base.duration_s,
        reps=tuple(reps),
        holds=tuple(holds),
        quality=quality,
        unchecked_rules=unchecked,
    )


def _refuse(base: Analysis, reason: str) -> Analysis:
    return Analysis(base.slug, False, reason, base.confidence, base.facing, base.duration_s)


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def check_rule(
    rule: FormRule,
    values: FloatArray,
    window: Window,
    min_frames: int,
    source_frame: NDArray[np.int64],
) -> tuple[Fault | None, float]:
    """Apply one rule to one window: the fault (or None) and the rule's measure.

    The measure of a frame-wise check is the worst value held for at least ``min_frames`` frames,
    so a rule faults exactly when its measure is past the threshold, and a one-frame spike never
    does. The measure of a peak check is the window's highest value.
    """
    x = values[window.start : window.end + 1]
    if rule.from_start:
        x = x - x[0]
    if rule.check == "beyond":
        x = np.abs(x)
    if np.isnan(x).all():
        return None, float("nan")
    spans: tuple[tuple[int, int], ...]
    if rule.check in ("peak_below", "peak_above"):
        measure = float(np.nanmax(x))
        above = rule.check == "peak_above"
        failed = measure > rule.threshold if above else measure < rule.threshold
        at = window.start + int(np.nanargmax(x))
        spans = ((int(source_frame[at]), int(source_frame[at])),) if failed else ()
    else:
        high = rule.check != "below"
        sign = 1.0 if high else -1.0
        held = sign * x
        if x.shape[0] >= min_frames > 1:
            held = sliding_window_view(held, min_frames).min(axis=1)
        measure = float(sign * np.nanmax(held)) if np.isfinite(held).any() else float("nan")
        with np.errstate(invalid="ignore"):
            mask = x > rule.threshold if high else x < rule.threshold
        spans = tuple(
            (int(source_frame[window.start + a]), int(source_frame[window.start + b]))
            for a, b in _runs(mask)
            if b - a + 1 >= min_frames
        )
    fault = Fault(rule.key, rule.cue, spans, round(measure, 2)) if spans else None
    return fault, round(measure, 2)
