"""The whole motion pipeline on synthetic skeletons with known angles and rep counts."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from backcare.core.library import LibraryError, load_library
from backcare.core.motion import (
    BLAZEPOSE_33,
    KINECT_22,
    HoldTarget,
    Landmarks,
    MotionError,
    MotionProfile,
    Skeleton,
    analyze,
    facing,
    load_profiles,
    parse_profile,
    prepare,
    signals,
    unlinked_profiles,
)

ROOT = Path(__file__).resolve().parents[3]
PROFILES = load_profiles(ROOT / "content/motion")
SQUAT = PROFILES["bodyweight-squat"]


def figure(
    knee_deg: np.ndarray,
    trunk_deg: np.ndarray | float | None = None,
    *,
    fps: float = 30.0,
    skeleton: Skeleton = KINECT_22,
    visibility: float = 1.0,
) -> Landmarks:
    """A side-on figure facing +x (cm): both knees flexed ``knee_deg``, the trunk leaning forward
    ``trunk_deg`` (by default 0.27 × the knee flexion, as in a real squat). The shank takes 35% of
    the knee bend and the thigh 65%, so hip flexion is 0.65 × knee + trunk lean."""
    knee = np.radians(np.asarray(knee_deg, dtype=float))
    frames = knee.shape[0]
    lean = 0.27 * np.asarray(knee_deg, dtype=float) if trunk_deg is None else trunk_deg
    trunk = np.radians(np.broadcast_to(np.asarray(lean, dtype=float), (frames,)))
    zeros = np.zeros(frames)
    ankle = np.stack([zeros, zeros + 8.0], axis=1)  # (x forward, y up)
    shank, thigh = 0.35 * knee, 0.65 * knee
    knee_pt = ankle + 45 * np.stack([np.sin(shank), np.cos(shank)], axis=1)
    hip_pt = knee_pt + 45 * np.stack([-np.sin(thigh), np.cos(thigh)], axis=1)
    shoulder = hip_pt + 50 * np.stack([np.sin(trunk), np.cos(trunk)], axis=1)
    toe = ankle + np.array([20.0, -6.0])
    sign_y = -1.0 if skeleton.up[1] < 0 else 1.0
    values = np.zeros((frames, len(skeleton.joints), 4))
    values[..., 3] = visibility
    points = (shoulder, shoulder, hip_pt, hip_pt, knee_pt, knee_pt, ankle, ankle, toe, toe)
    for index, name, point in zip(skeleton.common_indices, range(10), points, strict=True):
        side = -10.0 if name % 2 == 0 else 10.0  # left joints nearer the camera (smaller z)
        values[:, index, 0] = point[:, 0]
        values[:, index, 1] = sign_y * point[:, 1]
        values[:, index, 2] = side
    return Landmarks(values, fps, skeleton)


def squat_knees(
    reps: int, fps: float = 30.0, period_s: float = 3.0, rest_s: float = 1.0
) -> np.ndarray:
    """Knee flexion for ``reps`` squats to 110°, with rests at 5°."""
    t = np.arange(round(period_s * fps)) / fps
    one = 5 + 105 * (0.5 - 0.5 * np.cos(2 * np.pi * t / period_s))
    rest = np.full(round(rest_s * fps), 5.0)
    return np.concatenate([rest, *([one, rest] * reps)])


@pytest.mark.parametrize("skeleton", [KINECT_22, BLAZEPOSE_33])
@pytest.mark.parametrize(("knee", "trunk"), [(0.0, 0.0), (45.0, 10.0), (90.0, 30.0), (120.0, 45.0)])
def test_knee_flexion_and_trunk_inclination_match_the_built_pose(
    skeleton: Skeleton, knee: float, trunk: float
) -> None:
    sig = signals(prepare(figure(np.full(60, knee), trunk, skeleton=skeleton)))
    assert sig["knee_flexion"] == pytest.approx(np.full(60, knee), abs=1e-6)
    assert sig["knee_flexion_left"] == pytest.approx(sig["knee_flexion_right"])
    assert sig["trunk_inclination"] == pytest.approx(np.full(60, trunk), abs=1e-6)
    assert sig["trunk_lateral_tilt"] == pytest.approx(np.zeros(60), abs=1e-6)
    assert sig["knee_flexion_asymmetry"] == pytest.approx(np.zeros(60), abs=1e-6)


@pytest.mark.parametrize("skeleton", [KINECT_22, BLAZEPOSE_33])
@pytest.mark.parametrize("reps", [1, 5, 12])
def test_it_counts_squats_from_landmarks(skeleton: Skeleton, reps: int) -> None:
    result = analyze(figure(squat_knees(reps), skeleton=skeleton), SQUAT)
    assert result.judged
    assert len(result.reps) == reps
    assert all(r.range_of_motion_deg == pytest.approx(105, abs=2) for r in result.reps)


def test_each_rep_reports_its_frames_and_tempo() -> None:
    rep = analyze(figure(squat_knees(1)), SQUAT).reps[0]
    assert rep.turn_frame == 30 + 45  # the bottom of the raised cosine
    assert rep.start_frame < rep.turn_frame < rep.end_frame
    assert rep.out_s == pytest.approx(rep.back_s, abs=0.05)  # symmetric lowering and rising


@pytest.mark.parametrize("fps", [15.0, 25.0, 60.0])
def test_other_frame_rates_give_the_same_count_and_input_frame_numbers(fps: float) -> None:
    result = analyze(figure(squat_knees(4, fps=fps), fps=fps), SQUAT)
    assert len(result.reps) == 4
    assert result.reps[0].turn_frame == pytest.approx(fps * 2.5, abs=1)


def test_noise_does_not_change_the_count() -> None:
    lm = figure(squat_knees(6))
    noisy = lm.values.copy()
    noisy[..., :3] += np.random.default_rng(1).normal(0, 1.0, noisy[..., :3].shape)
    assert len(analyze(Landmarks(noisy, 30.0, KINECT_22), SQUAT).reps) == 6


def drop(lm: Landmarks, frames: slice, visibility: float = 0.0) -> Landmarks:
    values = lm.values.copy()
    values[frames, :, 3] = visibility
    return Landmarks(values, lm.fps, lm.skeleton)


def test_short_dropped_gaps_are_filled_and_every_rep_still_counts() -> None:
    lm = figure(squat_knees(5))
    for start in range(40, lm.frame_count - 10, 50):
        lm = drop(lm, slice(start, start + 6))  # 0.2 s gaps, some at the bottom of a rep
    result = analyze(lm, SQUAT)
    assert result.judged
    assert len(result.reps) == 5


def test_a_long_gap_drops_the_rep_it_hides_instead_of_guessing() -> None:
    lm = drop(figure(squat_knees(5)), slice(30 + 120 + 30, 30 + 120 + 60))  # 1 s in rep 2
    result = analyze(lm, SQUAT)
    assert result.judged
    assert len(result.reps) == 4


def test_low_visibility_makes_it_refuse_to_judge_rather_than_count() -> None:
    lm = figure(squat_knees(5), visibility=0.3)
    result = analyze(lm, SQUAT)
    assert not result.judged
    assert result.reps == ()
    assert "too poorly" in result.reason
    assert result.confidence < 0.6


def test_missing_landmarks_in_most_frames_make_it_refuse_to_judge() -> None:
    lm = figure(squat_knees(5))
    values = lm.values.copy()
    values[::2, :, :3] = np.nan  # every other frame lost: short gaps, but also half-seen
    values[: lm.frame_count // 2, :, 3] = 0.0
    result = analyze(Landmarks(values, 30.0, KINECT_22), SQUAT)
    assert not result.judged


def test_a_too_short_recording_is_not_judged() -> None:
    result = analyze(figure(np.full(20, 5.0)), SQUAT)
    assert not result.judged
    assert "shorter" in result.reason


def test_a_trunk_lean_fault_is_reported_in_the_rep_where_it_happened() -> None:
    knees = squat_knees(3)
    trunk = 0.27 * knees
    second = slice(30 + 120 + 30, 30 + 120 + 90)  # the bottom half of rep 2
    trunk[second] = 50.0
    result = analyze(figure(knees, trunk), SQUAT)
    faults = [[f.rule for f in rep.faults] for rep in result.reps]
    assert faults == [[], ["trunk_lean"], []]
    (fault,) = result.reps[1].faults
    assert fault.cue.startswith("Keep your chest up")
    first, last = fault.frames[0]
    assert second.start - 3 <= first and last <= second.stop + 3
    assert fault.worst == pytest.approx(50, abs=2)
    assert result.quality == round(100 * (1 - 1 / len(SQUAT.rules) / 3))


def test_a_one_frame_spike_is_not_a_fault() -> None:
    knees = squat_knees(1)
    lm = figure(knees)
    values = lm.values.copy()
    shoulders = list(KINECT_22.common_indices[:2])
    values[75, shoulders, 0] += 60.0  # one wild frame
    result = analyze(Landmarks(values, 30.0, KINECT_22), SQUAT)
    assert result.reps[0].faults == ()


def test_a_shallow_squat_still_counts_but_is_flagged() -> None:
    knees = np.minimum(squat_knees(2), 80.0)
    result = analyze(figure(knees), SQUAT)
    assert len(result.reps) == 2
    assert all("shallow" in [f.rule for f in r.faults] for r in result.reps)


def test_trunk_rotation_is_left_unchecked_without_depth() -> None:
    result = analyze(figure(squat_knees(2), skeleton=BLAZEPOSE_33), SQUAT)
    assert "trunk_twist" in result.unchecked_rules
    assert analyze(figure(squat_knees(2)), SQUAT).unchecked_rules == ()


def test_the_nearer_side_is_the_one_facing_the_camera() -> None:
    lm = figure(squat_knees(1))
    assert facing(prepare(lm)) == "left"  # left joints have the smaller z
    values = lm.values.copy()
    left = [i for i, n in enumerate(KINECT_22.joints) if n.startswith("left_")]
    values[:, left, 3] = 0.6  # right side seen better
    assert facing(prepare(Landmarks(values, 30.0, KINECT_22))) == "right"


def test_a_hold_profile_times_the_hold() -> None:
    wall_sit = MotionProfile("wall-sit", "knee_flexion", None, HoldTarget(90, 15, 10), (), "test")
    knees = np.concatenate([np.linspace(5, 90, 30), np.full(450, 90.0), np.linspace(90, 5, 30)])
    result = analyze(figure(knees), wall_sit)
    (hold,) = result.holds
    assert hold.within_tolerance_s == pytest.approx(15.0, abs=0.5)
    assert hold.met_target


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((10, 22, 3), "frames × joints × 4"),
        ((10, 33, 4), "kinect22 has 22 joints"),
        ((0, 22, 4), "no frames"),
    ],
)
def test_bad_landmark_arrays_are_refused_with_the_reason(
    shape: tuple[int, ...], message: str
) -> None:
    with pytest.raises(MotionError, match=message):
        Landmarks(np.zeros(shape), 30.0, KINECT_22)


def test_every_shipped_profile_is_valid_and_linked_to_its_exercise() -> None:
    library = load_library(ROOT / "content/exercises")
    assert {"bodyweight-squat", "sit-to-stand", "standing-straight-leg-raise"} <= set(PROFILES)
    assert unlinked_profiles(PROFILES, library) == ()
    assert unlinked_profiles(PROFILES, {"sit-to-stand"}) == tuple(
        sorted(set(PROFILES) - {"sit-to-stand"})
    )


GOOD = {
    "slug": "x",
    "signal": "knee_flexion",
    "source": "test",
    "reps": {"enter_deg": 60, "exit_deg": 30, "min_duration_s": 1, "min_amplitude_deg": 20},
    "rules": [
        {
            "key": "lean",
            "signal": "trunk_inclination",
            "check": "above",
            "threshold": 40,
            "cue": "Chest up.",
            "reason": "Why.",
        },
    ],
}


def test_a_valid_profile_parses() -> None:
    profile = parse_profile(GOOD, "x.toml")
    assert profile.mode == "reps"
    assert profile.rules[0].from_start is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signal": "elbow"}, "signal"),
        ({"reps": {**GOOD["reps"], "exit_deg": 70}}, "reps.exit_deg"),  # type: ignore[dict-item]
        ({"reps": {**GOOD["reps"], "speed": 1}}, "reps.speed"),  # type: ignore[dict-item]
        ({"hold": {"target_deg": 90, "tolerance_deg": 10, "target_s": 30}}, "reps"),
        ({"rules": [{**GOOD["rules"][0], "check": "near"}]}, "rules[0].check"),  # type: ignore[index]
        ({"rules": [{**GOOD["rules"][0], "cue": ""}]}, "rules[0].cue"),  # type: ignore[index]
        ({"rules": [{**GOOD["rules"][0], "threshold": "x"}]}, "rules[0].threshold"),  # type: ignore[index]
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_profile_error_names_the_file_and_the_field(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(LibraryError) as error:
        parse_profile({**GOOD, **change}, "x.toml")
    assert error.value.source == "x.toml"
    assert error.value.field_path == field


def test_a_profile_file_must_match_its_slug(tmp_path: Path) -> None:
    (tmp_path / "wrong.toml").write_text(
        (ROOT / "content/motion/sit-to-stand.toml").read_text(encoding="utf-8")
    )
    with pytest.raises(LibraryError, match=r"wrong\.toml: slug"):
        load_profiles(tmp_path)


def test_the_squat_profile_can_be_tightened_in_code_for_experiments() -> None:
    strict = replace(SQUAT, rules=tuple(replace(r, threshold=0.0) for r in SQUAT.rules[:1]))
    result = analyze(figure(squat_knees(1)), strict)
    assert [f.rule for f in result.reps[0].faults] == ["trunk_lean"]
