"""The exercise library: the content we ship, and how the validator rejects bad content files."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest

from backcare.core.library import (
    STAGES,
    Exercise,
    LibraryError,
    load_library,
    parse_exercise,
    validate_library,
)

CONTENT = Path(__file__).resolve().parents[3] / "content" / "exercises"

REQUIRED_SLUGS = {
    # initial stage (DESIGN §3)
    "ankle-pumps",
    "abdominal-bracing",
    "heel-raises",
    "straight-leg-raise",
    "wall-squat",
    "wall-sit",
    "pelvic-tilt",
    "short-walk",
    # intermediate stage
    "hamstring-stretch",
    "swiss-ball-seated-march",
    "swiss-ball-wall-squat",
    "swiss-ball-bridge",
    "swiss-ball-prone-walkout",
    "bridge",
    "single-leg-bridge",
    "bird-dog",
    "dead-bug",
    "bent-knee-fallout",
    "supine-heel-slides",
    "walking",
    "cycling",
    "swimming",
    # advanced stage
    "hip-flexor-stretch",
    "piriformis-stretch",
    "back-extension",
    "prone-press-up",
    "pilates-hundred-modified",
    "pilates-single-leg-stretch",
    "side-plank-knees",
    # across stages
    "sit-to-stand",
    "knee-to-chest-stretch",
    "cat-camel",
}
"""Slugs the rest of the code base and the default protocol depend on."""


@pytest.fixture(scope="module")
def real_library() -> dict[str, Exercise]:
    return load_library(CONTENT)


def _in_stage(library: dict[str, Exercise], stage: str) -> list[Exercise]:
    return [e for e in library.values() if stage in e.stages]


# --- the shipped library --------------------------------------------------------------------


def test_the_shipped_library_loads_with_at_least_thirty_exercises(
    real_library: dict[str, Exercise],
) -> None:
    assert len(real_library) >= 30


def test_the_shipped_library_has_every_exercise_the_protocol_names(
    real_library: dict[str, Exercise],
) -> None:
    assert REQUIRED_SLUGS - set(real_library) == set()


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_an_aerobic_activity(real_library: dict[str, Exercise], stage: str) -> None:
    assert any(e.category == "aerobic" for e in _in_stage(real_library, stage))


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_at_least_five_exercises_besides_stretches(
    real_library: dict[str, Exercise], stage: str
) -> None:
    others = [e for e in _in_stage(real_library, stage) if e.category not in {"stretch", "aerobic"}]
    assert len(others) >= 5


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_at_least_two_exercises_done_standing_or_sitting(
    real_library: dict[str, Exercise], stage: str
) -> None:
    off_floor = [
        e
        for e in _in_stage(real_library, stage)
        if e.position in {"standing", "sitting"} and e.category != "aerobic"
    ]
    assert len(off_floor) >= 2


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_at_least_three_equipment_free_exercises_besides_stretches(
    real_library: dict[str, Exercise], stage: str
) -> None:
    free = [
        e
        for e in _in_stage(real_library, stage)
        if not e.equipment and e.category not in {"stretch", "aerobic"}
    ]
    assert len(free) >= 3


def test_walking_is_offered_at_every_stage_and_cycling_and_swimming_from_intermediate(
    real_library: dict[str, Exercise],
) -> None:
    assert set(real_library["walking"].stages) == set(STAGES)
    for slug in ("cycling", "swimming"):
        assert {"intermediate", "advanced"} <= set(real_library[slug].stages)


def test_aerobic_activities_are_dosed_in_minutes(real_library: dict[str, Exercise]) -> None:
    aerobic = [e for e in real_library.values() if e.category == "aerobic"]
    assert aerobic
    assert all(e.dose.dose_type == "duration" for e in aerobic)


def test_stretches_are_dosed_as_holds(real_library: dict[str, Exercise]) -> None:
    stretches = [e for e in real_library.values() if e.category == "stretch"]
    assert stretches
    assert all(e.dose.dose_type == "hold" for e in stretches)


def test_exercises_counted_in_reps_have_a_start_and_an_end_pose(
    real_library: dict[str, Exercise],
) -> None:
    single = [e.slug for e in real_library.values() if e.dose.dose_type == "reps"]
    single = [s for s in single if len(real_library[s].key_poses) < 2]
    assert single == []


def test_easier_links_never_point_to_a_later_stage_nor_harder_links_to_an_earlier_one(
    real_library: dict[str, Exercise],
) -> None:
    def first_stage(slug: str) -> int:
        return min(STAGES.index(s) for s in real_library[slug].stages)

    wrong = []
    for e in real_library.values():
        if e.easier is not None and first_stage(e.easier) > first_stage(e.slug):
            wrong.append((e.slug, "easier", e.easier))
        if e.harder is not None and first_stage(e.harder) < first_stage(e.slug):
            wrong.append((e.slug, "harder", e.harder))
    assert wrong == []


# --- parse_exercise rejections --------------------------------------------------------------

VALID: dict[str, Any] = {
    "slug": "demo-lift",
    "name": "Demo lift",
    "summary": "A made-up exercise for the tests.",
    "stages": ["initial"],
    "category": "strength",
    "position": "supine",
    "equipment": [],
    "easier": "pelvic-tilt",
    "harder": "bridge",
    "contraindications": ["knee_pain"],
    "tags": ["glutes"],
    "steps": ["Lie down.", "Lift."],
    "cues": ["Breathe."],
    "mistakes": ["Rushing."],
    "cautions": ["Stop if it hurts."],
    "dose": {"type": "reps", "sets": 3, "reps": 10, "rest_s": 45, "days_per_week": 5},
    "key_poses": [
        {"name": "start", "trunk_deg": -90, "hip_deg": 45, "knee_deg": 90},
        {"name": "top", "trunk_deg": -115, "knee_deg": 115, "far_knee_deg": 90, "support": "floor"},
    ],
}

DELETE = object()


def _changed(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    raw = copy.deepcopy(VALID)
    target: Any = raw
    for step in path[:-1]:
        target = target[step]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


def _rejection(raw: dict[str, Any]) -> str:
    with pytest.raises(LibraryError) as caught:
        parse_exercise(raw, "demo-lift.toml")
    message = str(caught.value)
    assert message.startswith("demo-lift.toml"), message
    return message


def test_it_parses_a_valid_exercise_and_fills_in_the_defaults() -> None:
    exercise = parse_exercise(VALID, "demo-lift.toml")
    assert exercise.slug == "demo-lift"
    assert exercise.stages == ("initial",)
    assert (exercise.dose.sets, exercise.dose.reps, exercise.dose.hold_s) == (3, 10, None)
    start, top = exercise.key_poses
    assert (start.far_hip_deg, start.far_knee_deg, start.support) == (45, 90, "floor")
    assert (top.knee_deg, top.far_knee_deg, top.hip_deg) == (115, 90, 0)


@pytest.mark.parametrize(
    "field",
    [
        "slug",
        "name",
        "summary",
        "stages",
        "category",
        "position",
        "dose",
        "steps",
        "cues",
        "mistakes",
        "cautions",
        "key_poses",
    ],
)
def test_it_rejects_a_missing_field(field: str) -> None:
    assert f": {field}: " in _rejection(_changed((field,), DELETE))


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("name",), 5, "name"),
        (("summary",), ["a", "list"], "summary"),
        (("stages",), "initial", "stages"),
        (("equipment",), "wall", "equipment"),
        (("steps",), "Lie down and lift.", "steps"),
        (("steps", 1), 3, "steps[1]"),
        (("cautions", 0), "   ", "cautions[0]"),
        (("tags",), "glutes", "tags"),
        (("easier",), 7, "easier"),
        (("dose",), "3 x 10", "dose"),
        (("dose", "sets"), "3", "dose.sets"),
        (("dose", "reps"), 10.5, "dose.reps"),
        (("key_poses",), {"name": "start"}, "key_poses"),
        (("key_poses", 0), "start", "key_poses[0]"),
        (("key_poses", 0, "trunk_deg"), "face up", "key_poses[0].trunk_deg"),
        (("key_poses", 0, "hip_deg"), True, "key_poses[0].hip_deg"),
    ],
)
def test_it_rejects_a_field_of_the_wrong_type(
    path: tuple[str | int, ...], value: object, named: str
) -> None:
    assert f"{named}: " in _rejection(_changed(path, value))


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("category",), "cardio", "category"),
        (("position",), "kneeling", "position"),
        (("equipment",), ["wall", "dumbbell"], "equipment[1]"),
        (("stages",), ["initial", "final"], "stages[1]"),
        (("key_poses", 1, "support"), "sofa", "key_poses[1].support"),
        (("contraindications",), ["knee_pain", "bad_knees"], "contraindications[1]"),
        (("dose", "type"), "sets", "dose.type"),
    ],
)
def test_it_rejects_an_unknown_choice(
    path: tuple[str | int, ...], value: object, named: str
) -> None:
    message = _rejection(_changed(path, value))
    assert f"{named}: " in message
    assert repr(value[-1] if isinstance(value, list) else value) in message


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("dose", "sets"), 0, "sets"),
        (("dose", "sets"), 11, "sets"),
        (("dose", "reps"), 0, "reps"),
        (("dose", "reps"), DELETE, "reps"),
        (("dose", "rest_s"), -5, "rest_s"),
        (("dose", "days_per_week"), 8, "days_per_week"),
        (("dose",), {"type": "hold", "sets": 3}, "hold_s"),
        (("dose",), {"type": "hold", "hold_s": 601}, "hold_s"),
        (("dose",), {"type": "duration", "duration_min": 0}, "duration_min"),
        (("dose",), {"type": "duration", "duration_min": 121}, "duration_min"),
    ],
)
def test_it_rejects_bad_dose_numbers(
    path: tuple[str | int, ...], value: object, named: str
) -> None:
    assert f": dose.{named}: " in _rejection(_changed(path, value))


def test_it_reads_the_angles_that_turn_a_pose_out_of_the_side_view() -> None:
    pose = {"spine_deg": -30, "twist_deg": 45, "facing_deg": 90, "knee_out_deg": 40}
    pose |= {"far_knee_out_deg": 0, "hip_out_deg": 20, "shoulder_out_deg": 60}
    raw = _changed(("key_poses", 0), {"name": "start", "trunk_deg": 90} | pose)
    start = parse_exercise(raw, "demo-lift.toml").key_poses[0]
    assert (start.spine_deg, start.twist_deg, start.facing_deg) == (-30, 45, 90)
    assert (start.knee_out_deg, start.far_knee_out_deg) == (40, 0)
    assert (start.far_hip_out_deg, start.far_shoulder_out_deg) == (20, 60)  # mirrored


@pytest.mark.parametrize(
    ("field", "degrees", "problem"),
    [
        ("trunk_deg", 181, "must be at most 180, got 181"),
        ("knee_deg", -200, "must be at least -180, got -200"),
        ("far_shoulder_deg", 270, "must be at most 180, got 270"),
        ("neck_deg", -181, "must be at least -180, got -181"),
    ],
)
def test_it_rejects_a_pose_angle_out_of_range(field: str, degrees: int, problem: str) -> None:
    message = _rejection(_changed(("key_poses", 0, field), degrees))
    assert f"key_poses[0].{field}: {problem}" in message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_it_rejects_an_angle_that_is_not_a_finite_number(value: float) -> None:
    message = _rejection(_changed(("key_poses", 0, "hip_deg"), value))
    assert "key_poses[0].hip_deg: must be a finite number" in message


@pytest.mark.parametrize("field", ["wrist_deg", "hip", "far_trunk_deg", "Support"])
def test_it_rejects_an_unknown_pose_field(field: str) -> None:
    message = _rejection(_changed(("key_poses", 1, field), 10))
    assert f"key_poses[1].{field}: is not a field of a key pose" in message


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("key_poses", 0, "trunk_deg"), DELETE, "key_poses[0].trunk_deg"),
        (("key_poses", 0, "name"), DELETE, "name"),
        (("key_poses",), [], "key_poses"),
        (("steps",), ["Only one step."], "steps"),
        (("cues",), [], "cues"),
        (("stages",), [], "stages"),
        (("slug",), "Demo Lift", "slug"),
        (("name",), "  ", "name"),
        (("easier",), "", "easier"),
    ],
)
def test_it_rejects_an_empty_or_incomplete_field(
    path: tuple[str | int, ...], value: object, named: str
) -> None:
    assert f"{named}: " in _rejection(_changed(path, value))


@pytest.mark.parametrize("link", ["easier", "harder"])
def test_it_rejects_an_exercise_that_links_to_itself(link: str) -> None:
    message = _rejection(_changed((link,), "demo-lift"))
    assert f"{link}: must not link the exercise to itself" in message


# --- validate_library and load_library ------------------------------------------------------


def _exercise(slug: str, **links: str) -> Exercise:
    raw = {**copy.deepcopy(VALID), "slug": slug}
    raw.pop("easier")
    raw.pop("harder")
    return parse_exercise({**raw, **links}, f"{slug}.toml")


def test_validate_library_accepts_links_between_exercises_it_holds() -> None:
    found = validate_library([_exercise("low", harder="high"), _exercise("high", easier="low")])
    assert sorted(found) == ["high", "low"]


@pytest.mark.parametrize("link", ["easier", "harder"])
def test_validate_library_rejects_a_link_to_an_exercise_that_does_not_exist(link: str) -> None:
    with pytest.raises(LibraryError, match=rf"^low: {link}: links to unknown exercise 'missing'"):
        validate_library([_exercise("low", **{link: "missing"})])


def test_validate_library_rejects_a_slug_used_twice() -> None:
    with pytest.raises(LibraryError, match=r"^twice: slug: is used by two exercises"):
        validate_library([_exercise("twice"), _exercise("once"), _exercise("twice")])


TOML = """\
slug = "{slug}"
name = "Tiny"
summary = "A tiny exercise."
stages = ["initial"]
category = "mobility"
position = "standing"
steps = ["Stand.", "Sit."]
cues = ["Slowly."]
mistakes = ["Rushing."]
cautions = ["Stop if it hurts."]

[dose]
type = "hold"
hold_s = 10

[[key_poses]]
name = "stand"
trunk_deg = 0
"""


def test_load_library_reads_every_toml_file_in_a_folder(tmp_path: Path) -> None:
    for slug in ("one", "two"):
        (tmp_path / f"{slug}.toml").write_text(TOML.format(slug=slug), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an exercise", encoding="utf-8")
    assert sorted(load_library(tmp_path)) == ["one", "two"]


def test_load_library_rejects_a_file_whose_name_is_not_its_slug(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text(TOML.format(slug="other"), encoding="utf-8")
    with pytest.raises(LibraryError, match=r"^one\.toml: slug: must match the file name"):
        load_library(tmp_path)


def test_load_library_rejects_a_file_that_is_not_valid_toml(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text('slug = "broken\nname = ', encoding="utf-8")
    with pytest.raises(LibraryError, match=r"^broken\.toml: \(file\): is not valid TOML"):
        load_library(tmp_path)


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("contraindication",), ["osteoporosis"], "contraindication"),
        (("dose", "hold_s"), 10, "dose.hold_s"),
        (("dose", "repetitions"), 10, "dose.repetitions"),
    ],
)
def test_it_rejects_an_unknown_or_misplaced_field(
    path: tuple[str | int, ...], value: object, named: str
) -> None:
    assert f": {named}: is not a field" in _rejection(_changed(path, value))


@pytest.mark.parametrize("field", ["category", "position"])
def test_it_says_a_missing_choice_is_missing(field: str) -> None:
    assert f": {field}: is missing" in _rejection(_changed((field,), DELETE))
