"""Every shipped motion profile against its own exercise, acted out from the library's key poses.

Each exercise's key poses (posed by the figure package, read off as BlazePose landmarks with a
little jitter, see ``motion.synthetic``) are strung into reps with pauses, or into a hold of the
exercise's dose; the engine must count exactly the reps acted out, time the hold within a
tolerance, and raise no form fault. A second sequence per profile acts out one deliberate mistake,
which must raise exactly that fault with the profile's cue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from backcare.core.library import KeyPose, load_library
from backcare.core.motion import Analysis, load_profiles, unlinked_profiles
from backcare.core.motion import analyze as run
from backcare.core.motion.synthetic import Move, keypose_landmarks, lean

ROOT = Path(__file__).resolve().parents[3]
PROFILES = load_profiles(ROOT / "content/motion")
LIBRARY = load_library(ROOT / "content/exercises")
STANDING = KeyPose("standing", trunk_deg=0)
"""Neutral standing, the start of the exercises with a single key pose (wall sit, hip-flexor
stretch)."""
REPS = 3

PoseEdit = Callable[[KeyPose], KeyPose]


def pose(slug: str, name: str) -> KeyPose:
    return next(p for p in LIBRARY[slug].key_poses if p.name == name)


@dataclass(frozen=True)
class Scenario:
    """How to act out one exercise: from ``start`` to ``end`` pose and back (or hold ``end``).

    ``via`` is an optional pose passed on the way out and back (sit-to-stand's lean forward).
    ``fault`` edits the end pose to act out one mistake, which must raise ``fault_keys``.
    """

    start: KeyPose
    end: KeyPose
    fault: PoseEdit
    fault_keys: frozenset[str]
    via: KeyPose | None = None


def keys(*names: str) -> frozenset[str]:
    return frozenset(names)


SCENARIOS: dict[str, Scenario] = {
    "bodyweight-squat": Scenario(
        pose("bodyweight-squat", "standing"),
        pose("bodyweight-squat", "bottom"),
        fault=lambda p: replace(p, knee_deg=115, far_knee_deg=80),
        fault_keys=keys("uneven_knees"),
    ),
    "sit-to-stand": Scenario(
        pose("sit-to-stand", "standing"),
        pose("sit-to-stand", "seated"),
        via=pose("sit-to-stand", "lean forward"),
        fault=lambda p: p,  # the lean on the way is made deeper below (via)
        fault_keys=keys("trunk_lean"),
    ),
    "standing-straight-leg-raise": Scenario(
        pose("standing-straight-leg-raise", "standing"),
        pose("standing-straight-leg-raise", "leg raised"),
        fault=lambda p: replace(p, far_hip_deg=25),
        fault_keys=keys("standing_hip"),
    ),
    "wall-squat": Scenario(
        pose("wall-squat", "standing"),
        pose("wall-squat", "bottom"),
        fault=lambda p: lean(p, 25),
        fault_keys=keys("off_wall"),
    ),
    "straight-leg-raise": Scenario(
        pose("straight-leg-raise", "start"),
        pose("straight-leg-raise", "leg raised"),
        fault=lambda p: replace(p, knee_deg=40),
        fault_keys=keys("bent_knee"),
    ),
    "bridge": Scenario(
        pose("bridge", "start"),
        pose("bridge", "top"),
        fault=lambda p: replace(p, trunk_deg=-135, hip_deg=-20),
        fault_keys=keys("over_arch"),
    ),
    "heel-raises": Scenario(
        pose("heel-raises", "heels down"),
        pose("heel-raises", "on toes"),
        fault=lambda p: replace(p, hip_deg=15, knee_deg=35, far_hip_deg=15, far_knee_deg=35),
        fault_keys=keys("bent_knees"),
    ),
    "bird-dog": Scenario(
        pose("bird-dog", "all fours"),
        pose("bird-dog", "reach"),
        fault=lambda p: replace(p, far_hip_deg=28, far_knee_deg=20),
        fault_keys=keys("short_reach"),
    ),
    "wall-sit": Scenario(
        STANDING,
        pose("wall-sit", "hold"),
        fault=lambda p: lean(p, 25),
        fault_keys=keys("off_wall"),
    ),
    "hamstring-stretch": Scenario(
        pose("hamstring-stretch", "start"),
        pose("hamstring-stretch", "stretch"),
        fault=lambda p: lean(p, -12),  # the pelvis rolls up: hips rise above the shoulders
        fault_keys=keys("pelvis_lifts"),
    ),
    "hip-flexor-stretch": Scenario(
        STANDING,
        pose("hip-flexor-stretch", "stretch"),
        fault=lambda p: replace(p, hip_deg=60, knee_deg=85),
        fault_keys=keys("deep_lunge"),
    ),
}

MOVE_S, TURN_S, REST_S = 1.2, 0.5, 1.0
"""A rep takes 1.2 s out, pauses 0.5 s at the turn, 1.2 s back, and rests 1 s between reps."""
HOLD_MOVE_S = 2.0


def act_reps(s: Scenario, *, faulty: bool, seed: int = 0) -> Analysis:
    profile = PROFILES_BY_MODE["reps"][slug_of(s)]
    end = s.fault(s.end) if faulty else s.end
    via = s.via
    if faulty and via is not None:
        via = lean(via, 15)
    out = (
        [Move(via, MOVE_S / 2), Move(end, MOVE_S / 2, TURN_S)]
        if via
        else [Move(end, MOVE_S, TURN_S)]
    )
    back = (
        [Move(via, MOVE_S / 2), Move(s.start, MOVE_S / 2, REST_S)]
        if via
        else [Move(s.start, MOVE_S, REST_S)]
    )
    moves = [Move(s.start, 0.0, REST_S)] + (out + back) * REPS
    return run(keypose_landmarks(s.start, moves, seed=seed), profile)


def act_hold(s: Scenario, *, faulty: bool) -> Analysis:
    profile = PROFILES_BY_MODE["hold"][slug_of(s)]
    assert profile.hold is not None
    moves = [Move(s.start, 0.0, REST_S), Move(s.end, HOLD_MOVE_S, 2.0)]
    if faulty:  # settle into the stretch, then make the mistake while holding
        moves += [Move(s.fault(s.end), 1.0, profile.hold.target_s - 3.0)]
    else:
        moves[-1] = Move(s.end, HOLD_MOVE_S, profile.hold.target_s)
    moves += [Move(s.start, HOLD_MOVE_S, REST_S)]
    return run(keypose_landmarks(s.start, moves), profile)


def slug_of(s: Scenario) -> str:
    return next(slug for slug, other in SCENARIOS.items() if other is s)


PROFILES_BY_MODE = {
    mode: {slug: p for slug, p in PROFILES.items() if p.mode == mode} for mode in ("reps", "hold")
}
REP_SLUGS = sorted(PROFILES_BY_MODE["reps"])
HOLD_SLUGS = sorted(PROFILES_BY_MODE["hold"])


def test_every_profile_has_a_scenario_and_an_exercise() -> None:
    assert set(SCENARIOS) == set(PROFILES)
    assert unlinked_profiles(PROFILES, LIBRARY) == ()


def test_the_issues_list_of_movements_is_covered() -> None:
    wanted = {
        "bodyweight-squat",
        "wall-squat",
        "sit-to-stand",
        "standing-straight-leg-raise",
        "straight-leg-raise",
        "bridge",
        "heel-raises",
        "bird-dog",
        "wall-sit",
        "hamstring-stretch",
        "hip-flexor-stretch",
    }
    assert wanted <= set(PROFILES)


def test_hold_profiles_aim_for_the_exercises_dose() -> None:
    for slug in HOLD_SLUGS:
        target = PROFILES[slug].hold
        assert target is not None
        assert target.target_s == LIBRARY[slug].dose.hold_s, slug


@pytest.mark.parametrize("slug", REP_SLUGS)
def test_it_counts_the_key_pose_reps_exactly_without_faults(slug: str) -> None:
    s = SCENARIOS[slug]
    result = act_reps(s, faulty=False)
    assert result.judged, result.reason
    assert len(result.reps) == REPS
    for rep in result.reps:
        assert {f.rule for f in rep.faults} == set()  # the drawn poses are correct form
        assert rep.out_s == pytest.approx(MOVE_S + TURN_S / 2, abs=0.6)


@pytest.mark.parametrize("slug", REP_SLUGS)
def test_other_jitter_gives_the_same_count(slug: str) -> None:
    assert len(act_reps(SCENARIOS[slug], faulty=False, seed=7).reps) == REPS


@pytest.mark.parametrize("slug", REP_SLUGS)
def test_a_deliberate_mistake_raises_its_fault_with_the_cue_in_every_rep(slug: str) -> None:
    s = SCENARIOS[slug]
    result = act_reps(s, faulty=True)
    assert len(result.reps) == REPS
    cues = {r.key: r.cue for r in PROFILES[slug].rules}
    for rep in result.reps:
        assert {f.rule for f in rep.faults} == s.fault_keys
        assert all(f.cue == cues[f.rule] for f in rep.faults)
        assert all(
            rep.start_frame <= a <= b <= rep.end_frame for f in rep.faults for a, b in f.frames
        )
    assert result.quality is not None and result.quality < 100


@pytest.mark.parametrize("slug", HOLD_SLUGS)
def test_it_times_the_key_pose_hold_without_faults(slug: str) -> None:
    target = PROFILES[slug].hold
    assert target is not None
    result = act_hold(SCENARIOS[slug], faulty=False)
    assert result.judged, result.reason
    assert len(result.holds) == 1
    hold = result.holds[0]
    # the hold itself plus the part of the moves in and out that is already within tolerance
    assert target.target_s <= hold.within_tolerance_s <= target.target_s + 2 * HOLD_MOVE_S
    assert hold.met_target
    assert hold.faults == ()
    assert result.quality == 100


@pytest.mark.parametrize("slug", HOLD_SLUGS)
def test_a_deliberate_mistake_in_a_hold_raises_its_fault_with_the_cue(slug: str) -> None:
    s = SCENARIOS[slug]
    result = act_hold(s, faulty=True)
    assert len(result.holds) == 1
    faults = result.holds[0].faults
    assert {f.rule for f in faults} == s.fault_keys
    cues = {r.key: r.cue for r in PROFILES[slug].rules}
    assert all(f.cue == cues[f.rule] for f in faults)
