"""Exercise illustrations: the figure's geometry, its props, and the SVG documents it makes."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from backcare.core.figure import (
    REFERENCE_WIDTH,
    lay_out_pose,
    pose_points,
    render_exercise_strip,
    render_exercise_svg,
    render_pose_svg,
)
from backcare.core.figure._body import HIP_HALF_WIDTH, MIDLINE, TORSO, face_points
from backcare.core.library import Exercise, KeyPose, load_library

CONTENT = Path(__file__).resolve().parents[3] / "content" / "exercises"
SVG = "{http://www.w3.org/2000/svg}"

STANDING = KeyPose("standing", trunk_deg=0)
SUPINE_KNEES_BENT = KeyPose(
    "knees bent",
    trunk_deg=-90,
    hip_deg=45,
    knee_deg=90,
    ankle_deg=-45,
    far_hip_deg=45,
    far_knee_deg=90,
    far_ankle_deg=-45,
)
PRONE = KeyPose("prone", trunk_deg=90, ankle_deg=-90, far_ankle_deg=-90)
ALL_FOURS = KeyPose(
    "all fours",
    trunk_deg=90,
    hip_deg=90,
    knee_deg=90,
    ankle_deg=-90,
    shoulder_deg=90,
    far_hip_deg=90,
    far_knee_deg=90,
    far_ankle_deg=-90,
    far_shoulder_deg=90,
)
SEATED = KeyPose(
    "seated",
    trunk_deg=0,
    hip_deg=90,
    knee_deg=90,
    far_hip_deg=90,
    far_knee_deg=90,
    support="chair_seat",
)
WALL_SIT = KeyPose(
    "wall sit",
    trunk_deg=0,
    hip_deg=90,
    knee_deg=90,
    far_hip_deg=90,
    far_knee_deg=90,
    support="wall_behind",
)
BALL_SIT = KeyPose(
    "ball sit",
    trunk_deg=0,
    hip_deg=90,
    knee_deg=90,
    far_hip_deg=90,
    far_knee_deg=90,
    support="ball_under_pelvis",
)
WALL_PUSH = KeyPose(
    "wall push",
    trunk_deg=20,
    hip_deg=-20,
    ankle_deg=20,
    shoulder_deg=70,
    elbow_deg=60,
    far_hip_deg=-20,
    far_ankle_deg=20,
    far_shoulder_deg=70,
    far_elbow_deg=60,
)
CURL_UP = KeyPose(
    "curl up",
    trunk_deg=-80,
    neck_deg=30,
    hip_deg=90,
    knee_deg=90,
    far_hip_deg=90,
    far_knee_deg=90,
)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classed(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


@pytest.fixture(scope="module")
def library() -> dict[str, Exercise]:
    return load_library(CONTENT)


# --- geometry ------------------------------------------------------------------------------------


def test_it_stands_with_the_head_above_the_hips_above_the_feet() -> None:
    points = pose_points(STANDING)
    assert points["head"][1] > points["shoulder"][1] > points["hip"][1]
    assert points["hip"][1] > points["knee"][1] > points["ankle"][1] > points["heel"][1]


def test_it_lays_a_supine_trunk_flat_with_the_head_behind() -> None:
    points = pose_points(KeyPose("supine", trunk_deg=-90))
    assert points["shoulder"][1] == pytest.approx(points["hip"][1])
    assert points["head"][0] < points["shoulder"][0] < points["hip"][0]


def test_it_rests_a_supine_head_and_pelvis_on_the_same_floor() -> None:
    scene = lay_out_pose(KeyPose("supine", trunk_deg=-90), ())
    assert scene.bottom("head") == pytest.approx(0.0, abs=0.5)
    assert scene.bottom("hip") == pytest.approx(0.0, abs=0.5)


def test_it_puts_a_prone_head_in_front_at_the_height_of_the_hips() -> None:
    points = pose_points(PRONE)
    assert points["shoulder"][1] == pytest.approx(points["hip"][1])
    assert points["head"][0] > points["shoulder"][0] > points["hip"][0]


def test_it_puts_the_knee_in_front_of_the_hip_at_90_degrees_of_hip_flexion() -> None:
    points = pose_points(KeyPose("hip flexed", trunk_deg=0, hip_deg=90))
    assert points["knee"][0] > points["hip"][0]
    assert points["knee"][1] == pytest.approx(points["hip"][1])


def test_it_folds_the_shank_behind_the_thigh_with_knee_flexion() -> None:
    points = pose_points(KeyPose("knee bent", trunk_deg=0, knee_deg=90))
    assert points["ankle"][0] < points["knee"][0]
    assert points["ankle"][1] == pytest.approx(points["knee"][1])


@pytest.mark.parametrize(
    ("shoulder_deg", "direction"),
    [(0, (0, -1)), (90, (1, 0)), (180, (0, 1)), (-30, (-0.5, -math.sqrt(3) / 2))],
)
def test_it_swings_the_arm_forward_with_shoulder_flexion(
    shoulder_deg: float, direction: tuple[float, float]
) -> None:
    points = pose_points(KeyPose("arm", trunk_deg=0, shoulder_deg=shoulder_deg))
    (sx, sy), (ex, ey) = points["shoulder"], points["elbow"]
    length = math.dist((sx, sy), (ex, ey))
    assert ((ex - sx) / length, (ey - sy) / length) == pytest.approx(direction, abs=1e-9)


def test_it_moves_the_far_limbs_on_their_own_angles() -> None:
    points = pose_points(KeyPose("stride", trunk_deg=0, hip_deg=30, far_hip_deg=-20))
    assert points["knee"][0] > points["hip"][0] > points["far_knee"][0]


def test_it_turns_the_whole_body_with_the_trunk() -> None:
    upright = pose_points(KeyPose("sit", trunk_deg=0, hip_deg=90))
    leaning = pose_points(KeyPose("sit", trunk_deg=30, hip_deg=90))
    assert leaning["shoulder"][0] > upright["shoulder"][0]
    assert leaning["knee"][1] < upright["knee"][1]


# --- turning out of the side view --------------------------------------------------------------


def test_it_rounds_and_hollows_the_back_without_moving_the_hands_or_knees() -> None:
    rounded = pose_points(replace(ALL_FOURS, spine_deg=60))
    hollowed = pose_points(replace(ALL_FOURS, spine_deg=-40))
    assert rounded["waist"][1] - hollowed["waist"][1] > 10  # face down: rounded is up
    for point in ("knee", "wrist", "far_knee", "far_wrist", "neck"):
        assert rounded[point] == pytest.approx(hollowed[point])


def test_it_lets_a_knee_fall_out_while_the_foot_stays_put() -> None:
    out = pose_points(replace(SUPINE_KNEES_BENT, knee_out_deg=45, far_knee_out_deg=0))
    still = pose_points(SUPINE_KNEES_BENT)
    assert still["knee"][1] - out["knee"][1] > 8  # seen from the side, the knee drops
    for point in ("ankle", "heel", "toe", "far_knee"):
        assert out[point] == pytest.approx(still[point])


def test_it_stacks_the_hips_and_shoulders_of_a_body_on_its_side_seen_from_the_front() -> None:
    points = pose_points(KeyPose("side-lying", trunk_deg=90, facing_deg=90))
    assert points["hip"][1] - points["far_hip"][1] == pytest.approx(2 * HIP_HALF_WIDTH)
    assert points["shoulder"][1] > points["far_shoulder"][1]
    assert points["hip"][0] == pytest.approx(points["far_hip"][0])


def test_it_raises_an_arm_sideways_with_shoulder_abduction() -> None:
    points = pose_points(KeyPose("arm out", trunk_deg=0, facing_deg=90, shoulder_out_deg=90))
    (sx, sy), (ex, ey) = points["shoulder"], points["elbow"]
    assert ey == pytest.approx(sy)
    assert abs(ex - sx) == pytest.approx(28)  # the upper arm's full length, level


def test_it_turns_the_shoulders_on_the_pelvis_with_a_twist() -> None:
    turned = pose_points(replace(SEATED, twist_deg=60))
    assert turned["shoulder"][0] < turned["far_shoulder"][0]  # near shoulder back, far forward
    assert turned["hip"] == pytest.approx(pose_points(SEATED)["hip"])
    assert turned["knee"] == pytest.approx(pose_points(SEATED)["knee"])


@pytest.mark.parametrize(
    ("pose", "eyes"),
    [
        (STANDING, {"eye"}),
        (KeyPose("facing", trunk_deg=0, facing_deg=90), {"eye", "far_eye"}),
        (KeyPose("turned", trunk_deg=0, twist_deg=60), {"eye", "far_eye"}),
        (KeyPose("back to us", trunk_deg=0, facing_deg=-90), set()),
    ],
)
def test_it_draws_the_eyes_that_face_the_viewer(pose: KeyPose, eyes: set[str]) -> None:
    assert set(face_points(pose)) == {"nose"} | eyes


def test_it_draws_a_side_on_trunk_by_its_midline_and_a_trunk_seen_from_the_front_broader() -> None:
    side_on = lay_out_pose(KeyPose("supine", trunk_deg=-90), ())
    on_side = lay_out_pose(KeyPose("side-lying", trunk_deg=90, facing_deg=90), ())
    assert on_side.body_box()[3] - side_on.body_box()[3] > 2 * HIP_HALF_WIDTH - 1
    for scene, parts in ((side_on, len(MIDLINE)), (on_side, len(TORSO))):
        root = parsed(render_pose_svg(scene.pose, (), title="t"))
        (torso,) = classed(root, "torso")
        assert len(torso.findall(f".//{SVG}path")) == 2 * parts  # outline, then fill


# --- resting on the support ---------------------------------------------------------------------


@pytest.mark.parametrize("pose", [STANDING, SUPINE_KNEES_BENT, PRONE, ALL_FOURS, CURL_UP, WALL_SIT])
def test_it_rests_the_lowest_point_of_the_body_on_the_floor(pose: KeyPose) -> None:
    assert lay_out_pose(pose, ()).lowest_y() == pytest.approx(0.0, abs=1e-6)


def test_it_puts_hands_and_knees_on_the_floor_together_on_all_fours() -> None:
    scene = lay_out_pose(ALL_FOURS, ())
    assert scene.bottom("knee") == pytest.approx(0.0, abs=1.5)
    assert scene.bottom("wrist") == pytest.approx(0.0, abs=1.5)
    assert scene.points["fingers"][1] == pytest.approx(scene.points["wrist"][1])  # a flat hand


def test_it_leaves_a_held_curl_up_as_written() -> None:
    scene = lay_out_pose(CURL_UP, ())
    assert scene.tilt_deg == 0
    assert scene.points["head"][1] > scene.points["hip"][1]


def test_it_seats_the_pelvis_on_the_chair_with_the_feet_on_the_floor() -> None:
    scene = lay_out_pose(SEATED, ("chair",))
    (chair,) = [p for p in scene.props if p.name == "chair"]
    assert chair.box[0] < scene.points["hip"][0] < chair.box[2]
    assert scene.lowest_y() == pytest.approx(0.0, abs=1e-6)


def test_it_sits_the_pelvis_on_top_of_the_ball() -> None:
    scene = lay_out_pose(BALL_SIT, ("swiss_ball",))
    (ball,) = [p for p in scene.props if p.name == "ball"]
    radius = (ball.box[2] - ball.box[0]) / 2
    assert ball.box[1] == pytest.approx(0.0)  # on the floor
    assert (ball.box[0] + ball.box[2]) / 2 == pytest.approx(scene.points["hip"][0])
    assert ball.box[3] == pytest.approx(scene.bottom("hip"), abs=2.0)
    assert 34 <= 2 * radius <= 72


def test_it_puts_the_wall_against_the_back_for_a_wall_sit() -> None:
    scene = lay_out_pose(WALL_SIT, ("wall",))
    (wall,) = [p for p in scene.props if p.name == "wall"]
    assert wall.box[2] == pytest.approx(scene.body_box()[0])


def test_it_puts_the_wall_at_the_hands_for_a_wall_push() -> None:
    scene = lay_out_pose(WALL_PUSH, ("wall",))
    (wall,) = [p for p in scene.props if p.name == "wall"]
    assert wall.box[0] == pytest.approx(scene.body_box()[2])


# --- props --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pose", "equipment", "props"),
    [
        (STANDING, (), {"floor"}),
        (SUPINE_KNEES_BENT, (), {"floor", "mat"}),
        (ALL_FOURS, (), {"floor", "mat"}),
        (WALL_SIT, ("wall",), {"floor", "wall"}),
        (WALL_PUSH, ("wall",), {"floor", "wall"}),
        (SEATED, ("chair",), {"floor", "chair"}),
        (STANDING, ("chair",), {"floor", "chair"}),
        (BALL_SIT, ("swiss_ball",), {"floor", "ball"}),
        (
            KeyPose(
                "ball squat",
                trunk_deg=0,
                hip_deg=80,
                knee_deg=80,
                far_hip_deg=80,
                far_knee_deg=80,
                support="ball_behind_back",
            ),
            ("swiss_ball", "wall"),
            {"floor", "ball", "wall"},
        ),
        (
            KeyPose("bridge on ball", trunk_deg=-100, hip_deg=10, support="ball_under_feet"),
            ("swiss_ball",),
            {"floor", "ball"},
        ),
        (
            KeyPose(
                "pedal",
                trunk_deg=15,
                hip_deg=100,
                knee_deg=100,
                far_hip_deg=50,
                far_knee_deg=30,
                shoulder_deg=80,
                support="bike_saddle",
            ),
            ("bike",),
            {"floor", "bike"},
        ),
        (
            KeyPose("wade", trunk_deg=0, hip_deg=20, far_hip_deg=-10, support="water"),
            ("pool",),
            {"floor", "water", "water_surface"},
        ),
        (
            KeyPose("press", trunk_deg=0, shoulder_deg=90, far_shoulder_deg=90),
            ("band",),
            {"floor", "band"},
        ),
    ],
)
def test_it_draws_each_prop_when_and_only_when_the_pose_asks_for_it(
    pose: KeyPose, equipment: tuple[str, ...], props: set[str]
) -> None:
    assert set(lay_out_pose(pose, equipment).prop_names) == props
    root = parsed(render_pose_svg(pose, equipment, title="t"))
    drawn = {e.get("class", "").split()[1] for e in classed(root, "prop")}
    assert drawn == props


# --- the SVG document ---------------------------------------------------------------------------


def test_it_makes_a_standalone_svg_with_a_viewbox_and_a_title() -> None:
    root = parsed(render_pose_svg(STANDING, (), title="Standing tall"))
    assert root.tag == f"{SVG}svg"
    assert len(root.get("viewBox", "").split()) == 4
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Standing tall"
    assert root[0] is title


def test_it_escapes_the_title() -> None:
    root = parsed(render_pose_svg(STANDING, (), title='Knees <bent> & "soft"'))
    assert root.findtext(f"{SVG}title") == 'Knees <bent> & "soft"'
    assert root.get("aria-label") == 'Knees <bent> & "soft"'


def test_it_draws_a_head_and_six_segments_on_each_side() -> None:
    root = parsed(render_pose_svg(SUPINE_KNEES_BENT, (), title="t"))
    (head,) = classed(root, "head")
    assert head.find(f"{SVG}circle") is not None
    for side in ("near", "far"):
        (limbs,) = [g for g in classed(root, "limbs") if side in g.get("class", "").split()]
        segments = [e.get("class", "").split()[1] for e in classed(limbs, "segment")]
        assert sorted(segments) == ["foot", "forearm", "hand", "shank", "thigh", "upper_arm"]


def test_it_draws_the_far_side_before_the_near_side() -> None:
    svg = render_pose_svg(STANDING, (), title="t")
    assert svg.index('class="limbs far"') < svg.index('class="torso"')
    assert svg.index('class="torso"') < svg.index('class="limbs near"')


def test_it_has_no_scripts_event_handlers_or_external_references() -> None:
    root = parsed(render_pose_svg(BALL_SIT, ("swiss_ball",), title="t"))
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in {"script", "foreignObject", "image", "use"}
        for attribute in element.attrib:
            assert not attribute.lower().startswith("on")
            assert not attribute.endswith("href")


def test_it_renders_the_same_pose_to_the_same_text() -> None:
    first = render_pose_svg(ALL_FOURS, (), title="t")
    assert render_pose_svg(ALL_FOURS, (), title="t") == first


@pytest.mark.parametrize("pose", [STANDING, SUPINE_KNEES_BENT, SEATED])
def test_it_draws_every_pose_at_one_scale(pose: KeyPose) -> None:
    root = parsed(render_pose_svg(pose, ("chair",), title="t", width_px=480))
    view_width = float(root.get("viewBox", "").split()[2])
    assert float(root.get("width", "")) / view_width == pytest.approx(480 / REFERENCE_WIDTH, 0.01)


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def fills(root: ET.Element, *classes: str) -> set[str]:
    return {e.get("fill", "") for c in classes for e in classed(root, c)}


def test_it_gives_the_body_3_to_1_contrast_on_every_ground() -> None:
    lying_in_water = parsed(render_pose_svg(SUPINE_KNEES_BENT, ("pool",), title="t"))
    grounds = {rect.get("fill", "") for rect in lying_in_water.iter(f"{SVG}rect")}
    body = fills(lying_in_water, "limbs", "torso", "head")
    assert len(grounds) == 3  # background, mat, water
    assert len(body) == 3  # near, far, torso
    for colour in body:
        for ground in grounds:
            assert contrast(colour, ground) >= 3, (colour, ground)


# --- exercises ----------------------------------------------------------------------------------


def test_it_draws_one_pose_per_key_pose_with_arrows_between(library: dict[str, Exercise]) -> None:
    bridge = library["bridge"]
    root = parsed(render_exercise_strip(bridge))
    assert len(classed(root, "pose")) == len(bridge.key_poses)
    assert len(classed(root, "arrow")) == len(bridge.key_poses) - 1
    assert root.findtext(f"{SVG}title", "").startswith("Bridge: ")


def test_it_renders_every_pose_of_every_exercise_in_the_library(
    library: dict[str, Exercise],
) -> None:
    for exercise in library.values():
        for index, pose in enumerate(exercise.key_poses):
            root = parsed(render_exercise_svg(exercise, index))
            assert root.findtext(f"{SVG}title") == f"{exercise.name}: {pose.name}"
        parsed(render_exercise_strip(exercise))


def test_it_rests_every_floor_pose_of_the_library_on_the_floor(
    library: dict[str, Exercise],
) -> None:
    for exercise in library.values():
        for pose in exercise.key_poses:
            if pose.support == "floor":
                scene = lay_out_pose(pose, exercise.equipment)
                assert scene.lowest_y() == pytest.approx(0.0, abs=1e-6), exercise.slug
