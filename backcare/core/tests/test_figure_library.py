"""The shipped library's pictures: each exercise that moves shows its movement, and each
exercise's first picture shows the position the exercise says it starts in. Measured on the points
as drawn (laid out on their support), not on the angle numbers of the content files."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import pytest

from backcare.core.figure import Scene, lay_out_pose
from backcare.core.figure._body import HEAD_R, HIP_HALF_WIDTH, outline
from backcare.core.library import Exercise, load_library

CONTENT = Path(__file__).resolve().parents[3] / "content" / "exercises"
LIBRARY = load_library(CONTENT)

VISIBLE_MOVE = 5.0
"""The least some drawn point must move between two key poses for the change to be seen: 5
drawing units are 5 px at the reference width (``REFERENCE_WIDTH`` units in 240 px, as on the
exercise page), the width of a drawn hand. In the contact sheet of the whole library, smaller
shifts could not be told apart without looking for them."""
LYING_TILT_DEG = 35.0
"""A body lying down has its trunk (pelvis to neck) within 35° of the floor: propped on the
forearms (prone on elbows, a side plank's start) lifts the chest about 30°."""
UPRIGHT_TILT_DEG = 45.0
"""A body standing or sitting has its trunk nearer upright than level: a hip hinge or a seated
lean stays above 45°."""
ON_FLOOR = 2.0
"""How close to the floor a drawn hand or knee must come to count as resting on it (flesh and mat
give 1.5 units in the drawing)."""
_FEET = {"heel", "toe", "ankle", "far_heel", "far_toe", "far_ankle"}
_SEATS = {"chair", "ball", "bike"}
_TRUNK = {"pelvis", "waist", "chest", "neck", "hip", "far_hip"}


def moves(exercise: Exercise) -> bool:
    """Whether the exercise is a movement rather than a held position.

    Repetitions move by definition, and so does aerobic activity (walking, cycling, swimming: a
    cycle drawn as two phases). A hold, and breathing (mind-body, dosed in minutes), keep one
    position; their earlier key poses, if any, show getting into it.
    """
    return exercise.dose.dose_type == "reps" or exercise.category == "aerobic"


def scenes(exercise: Exercise) -> list[Scene]:
    return [lay_out_pose(pose, exercise.equipment) for pose in exercise.key_poses]


def largest_move(a: Scene, b: Scene) -> tuple[float, str]:
    """How far the drawn point that moves most moves between two scenes, and its name."""
    return max((math.dist(a.points[k], b.points[k]), k) for k in a.points.keys() & b.points)


def trunk_tilt_deg(scene: Scene) -> float:
    """The drawn trunk (pelvis to neck) from level: 0 lying flat, 90 upright."""
    (px, py), (nx, ny) = scene.points["pelvis"], scene.points["neck"]
    return math.degrees(math.atan2(abs(ny - py), abs(nx - px)))


def hips_stacked(scene: Scene) -> float:
    """How far the near hip is drawn above the far hip (0 side-on, the hip width on one's side)."""
    return scene.points["hip"][1] - scene.points["far_hip"][1]


def nose_up(scene: Scene) -> float:
    """How far the nose is drawn above the head's centre (+ face up, - face down)."""
    return scene.face["nose"][1] - scene.points["head"][1]


def bearing_on_floor(scene: Scene) -> set[str]:
    """The drawn parts that rest on the floor."""
    return {name for name, c, r in outline(scene.points) if c[1] - r < ON_FLOOR}


def trunk_carried(scene: Scene) -> bool:
    """Whether the trunk lies on something: on the floor, or on the ball or water it is drawn on."""
    on_floor = bool(bearing_on_floor(scene) & _TRUNK)
    return on_floor or scene.pose.support not in {"floor", "chair_seat", "wall_behind"}


def seat_under_pelvis(scene: Scene) -> bool:
    """Whether a chair, ball or bike is drawn under the pelvis, holding it off the floor."""
    x, _ = scene.points["pelvis"]
    seats = [p for p in scene.props if p.name in _SEATS and p.box[0] <= x <= p.box[2]]
    return bool(seats) and scene.bottom("pelvis") > 15


def starting_position_problems(exercise: Exercise) -> list[str]:
    """What the first key pose, as drawn, gets wrong about the exercise's declared position."""
    scene = lay_out_pose(exercise.key_poses[0], exercise.equipment)
    tilt, stacked, nose = trunk_tilt_deg(scene), hips_stacked(scene), nose_up(scene)
    lying = tilt <= LYING_TILT_DEG
    side_on = abs(stacked) < HIP_HALF_WIDTH / 3
    on_side = stacked > HIP_HALF_WIDTH
    checks: dict[str, list[tuple[bool, str]]] = {
        "supine": [
            (lying, "trunk not level"),
            (side_on and trunk_carried(scene), "not lying on the back"),
            (nose > HEAD_R / 3, "face not up"),
        ],
        "prone": [
            (lying, "trunk not level"),
            (side_on and trunk_carried(scene), "not lying on the front"),
            (nose < -HEAD_R / 3, "face not down"),
        ],
        "side_lying": [(lying, "trunk not level"), (on_side, "not lying on one side")],
        "quadruped": [
            (lying, "trunk not level"),
            (nose < 0, "face not down"),
            (bool({"knee", "far_knee"} & bearing_on_floor(scene)), "knees off the floor"),
            (
                bool({"wrist", "fingers", "far_wrist", "far_fingers"} & bearing_on_floor(scene)),
                "hands off the floor",
            ),
        ],
        "sitting": [
            (tilt >= UPRIGHT_TILT_DEG, "trunk not upright"),
            (seat_under_pelvis(scene), "pelvis not on a seat"),
        ],
        "standing": [
            (tilt >= UPRIGHT_TILT_DEG, "trunk not upright"),
            (bearing_on_floor(scene) <= _FEET, "more than the feet on the floor"),
            (not seat_under_pelvis(scene), "pelvis on a seat"),
        ],
    }
    return [problem for ok, problem in checks[exercise.position] if not ok]


MOVING = sorted(slug for slug, exercise in LIBRARY.items() if moves(exercise))
POSED = sorted(slug for slug, exercise in LIBRARY.items() if len(exercise.key_poses) > 1)


@pytest.mark.parametrize("slug", MOVING)
def test_an_exercise_that_moves_has_at_least_two_key_poses(slug: str) -> None:
    assert len(LIBRARY[slug].key_poses) >= 2


@pytest.mark.parametrize("slug", POSED)
def test_each_key_pose_looks_visibly_different_from_the_one_before(slug: str) -> None:
    drawn = scenes(LIBRARY[slug])
    for before, after in pairwise(drawn):
        distance, point = largest_move(before, after)
        assert distance > VISIBLE_MOVE, (after.pose.name, point, round(distance, 1))


@pytest.mark.parametrize("slug", sorted(LIBRARY))
def test_the_first_picture_shows_the_starting_position_the_exercise_declares(slug: str) -> None:
    assert starting_position_problems(LIBRARY[slug]) == [], LIBRARY[slug].position


BACK_SHAPES = [
    ("cat-camel", "back rounded", "back hollowed"),
    ("pelvic-tilt", "relaxed", "tilted"),
]
"""Exercises about the shape of the back, and two of their key poses between which the middle of
the back drops: cat-camel from rounded (arched up) to hollowed (sagging), the pelvic tilt from the
natural hollow under the lower back to a back flat on the floor."""


def mid_back_rise(scene: Scene) -> float:
    """How far the waist is drawn above the straight line from pelvis to neck."""
    (px, py), (nx, ny), (wx, wy) = (scene.points[k] for k in ("pelvis", "neck", "waist"))
    return wy - (py + (ny - py) * (wx - px) / (nx - px))


@pytest.mark.parametrize(("slug", "higher", "lower"), BACK_SHAPES)
def test_the_back_visibly_changes_shape_where_the_exercise_is_about_it(
    slug: str, higher: str, lower: str
) -> None:
    exercise = LIBRARY[slug]
    poses = {p.name: p for p in exercise.key_poses}
    rise = {name: mid_back_rise(lay_out_pose(poses[name], exercise.equipment)) for name in poses}
    assert rise[higher] - rise[lower] > VISIBLE_MOVE, rise
