"""Evaluate the motion engine on the UI-PRMD recordings; prints figures, asserts nothing.

Run from the repository root::

    uv run python bench/motion_eval.py [--data ../shared/data/ui-prmd]

1. Rep counting: each subject's 20 recordings of a movement (correct and incorrect, file order)
   are joined into one sequence, analysed with the movement's profile in ``content/motion``, and
   the count compared with 20: exact-count rate over subjects and mean absolute error.
2. Correct vs incorrect per recording, leave-one-subject-out: the thresholds of the profile's own
   form rules are chosen on the six training subjects only (a rep is called incorrect when any
   rule faults, exactly as the engine reports faults), then tested on the held-out subject. The
   baseline is a single threshold on the deepest knee angle, chosen the same way.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from backcare.core.motion import (
    FAULT_MIN_S,
    RATE_HZ,
    FormRule,
    Landmarks,
    MotionProfile,
    Recording,
    Window,
    analyze,
    check_rule,
    load_profiles,
    prepare,
    read_ui_prmd,
    signals,
)

ROOT = Path(__file__).resolve().parents[1]
MOVEMENTS = (
    ("deep squat", "m01_deep_squat.csv.gz", "bodyweight-squat"),
    ("sit to stand", "m05_sit_to_stand.csv.gz", "sit-to-stand"),
    (
        "standing straight-leg raise",
        "m06_standing_straight_leg_raise.csv.gz",
        "standing-straight-leg-raise",
    ),
)
PASSES = 3
"""Rounds of coordinate descent over the rules' thresholds."""


def count_reps(recordings: tuple[Recording, ...], profile: MotionProfile) -> list[tuple[int, int]]:
    """(counted, true) per subject, for each subject's recordings joined into one sequence."""
    out = []
    for subject in sorted({r.subject for r in recordings}):
        own = [r for r in recordings if r.subject == subject]
        first = own[0].landmarks
        joined = Landmarks(
            np.concatenate([r.landmarks.values for r in own]), first.fps, first.skeleton
        )
        out.append((len(analyze(joined, profile).reps), len(own)))
    return out


def measures(recordings: tuple[Recording, ...], rules: tuple[FormRule, ...]) -> np.ndarray:
    """Recordings × rules: each rule's measure over the whole recording (one rep each)."""
    min_frames = max(1, round(FAULT_MIN_S * RATE_HZ))
    table = np.empty((len(recordings), len(rules)))
    for i, rec in enumerate(recordings):
        track = prepare(rec.landmarks)
        sig = signals(track)
        whole = Window(0, 0, track.frame_count - 1)
        for j, rule in enumerate(rules):
            _, table[i, j] = check_rule(
                rule, sig[rule.signal], whole, min_frames, track.source_frame
            )
    return table


def _faults(m: np.ndarray, rule: FormRule, threshold: float) -> np.ndarray:
    if rule.check in ("above", "beyond", "peak_above"):
        return m > threshold
    return m < threshold


def fit(m: np.ndarray, correct: np.ndarray, rules: tuple[FormRule, ...]) -> list[float | None]:
    """Thresholds (None = rule off) maximising training accuracy of "incorrect if any fault"."""
    thresholds: list[float | None] = [None] * len(rules)
    fired = np.zeros((len(rules), len(correct)), dtype=bool)
    for _ in range(PASSES):
        for j, rule in enumerate(rules):
            others = fired[np.arange(len(rules)) != j].any(axis=0)
            values = np.unique(m[:, j])
            candidates = (values[1:] + values[:-1]) / 2
            best_acc = float(np.mean(others != correct))  # rule off
            best: float | None = None
            for t in candidates:
                acc = float(np.mean((others | _faults(m[:, j], rule, t)) != correct))
                if acc > best_acc + 1e-12:
                    best_acc, best = acc, float(t)
            thresholds[j] = best
            fired[j] = _faults(m[:, j], rule, best) if best is not None else False
    return thresholds


def predict_incorrect(
    m: np.ndarray, rules: tuple[FormRule, ...], thresholds: Sequence[float | None]
) -> np.ndarray:
    """True where any rule that is on faults."""
    out = np.zeros(m.shape[0], dtype=bool)
    for j, (rule, t) in enumerate(zip(rules, thresholds, strict=True)):
        if t is not None:
            out |= _faults(m[:, j], rule, t)
    return out


def loso(
    m: np.ndarray, correct: np.ndarray, subjects: np.ndarray, rules: tuple[FormRule, ...]
) -> tuple[float, float]:
    """Leave-one-subject-out accuracy and F1 (positive class: incorrect)."""
    predicted = np.zeros_like(correct)
    for s in np.unique(subjects):
        train = subjects != s
        thresholds = fit(m[train], correct[train], rules)
        predicted[~train] = ~predict_incorrect(m[~train], rules, thresholds)
    accuracy = float(np.mean(predicted == correct))
    tp = np.sum(~predicted & ~correct)
    fp = np.sum(~predicted & correct)
    fn = np.sum(predicted & ~correct)
    f1 = float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0
    return accuracy, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/ui-prmd")
    args = parser.parse_args()
    profiles = load_profiles(ROOT / "content/motion")
    depth = FormRule("deepest_knee", "knee_flexion", "peak_below", 0.0, "-", "baseline")
    print("Rep counting (one joined sequence per subject; 20 reps each)")
    print(f"{'movement':30} {'exact':>7} {'MAE':>6}  counts")
    rows = []
    for label, file_name, slug in MOVEMENTS:
        recordings = read_ui_prmd(args.data / file_name)
        profile = profiles[slug]
        counts = count_reps(recordings, profile)
        exact = np.mean([c == t for c, t in counts])
        mae = np.mean([abs(c - t) for c, t in counts])
        print(f"{label:30} {exact:7.2f} {mae:6.2f}  {[c for c, _ in counts]}")
        rows.append((label, recordings, profile))
    print()
    print("Correct vs incorrect per rep, leave-one-subject-out (F1: incorrect = positive)")
    print(f"{'movement':30} {'rules acc':>9} {'F1':>5}   {'knee-depth acc':>14} {'F1':>5}")
    for label, recordings, profile in rows:
        correct = np.array([r.correct for r in recordings])
        subjects = np.array([r.subject for r in recordings])
        m = measures(recordings, profile.rules)
        acc, f1 = loso(m, correct, subjects, profile.rules)
        base = measures(recordings, (depth,))
        b_acc, b_f1 = loso(base, correct, subjects, (depth,))
        print(f"{label:30} {acc:9.3f} {f1:5.2f}   {b_acc:14.3f} {b_f1:5.2f}")
    print()
    print("Thresholds fitted on all seven subjects (- = rule not used)")
    for label, recordings, profile in rows:
        correct = np.array([r.correct for r in recordings])
        m = measures(recordings, profile.rules)
        fitted = fit(m, correct, profile.rules)
        text = ", ".join(
            f"{r.key} {r.check} {'-' if t is None else round(t, 1)}"
            for r, t in zip(profile.rules, fitted, strict=True)
        )
        print(f"  {label}: {text}")


if __name__ == "__main__":
    main()
