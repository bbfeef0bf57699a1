"""Writing a laid-out scene as SVG: the body as tapered capsules (far limbs, then the props
between, then the torso and head, then the near limbs), and the standalone documents that hold one
pose (:func:`render_pose_svg`, :func:`render_exercise_svg`) or all of an exercise's key poses side
by side (:func:`render_exercise_strip`). Every document uses one scale, ``REFERENCE_WIDTH`` drawing
units to ``width_px`` pixels, so a standing figure and a lying one are drawn at the same body size.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from backcare.core.figure._body import (
    HEAD_R,
    MIDLINE,
    TORSO,
    Box,
    Point,
    Points,
    limb_parts,
)
from backcare.core.figure._layout import Scene, lay_out_pose
from backcare.core.figure._svg import BACKGROUND, circle, fill, line, rect, stroke
from backcare.core.library import Exercise, KeyPose
from backcare.core.svg import num

REFERENCE_WIDTH = 240.0
"""Drawing units shown in ``width_px`` pixels: room for a figure lying down, arms overhead."""
PAD = 8.0


def _capsule(a: Point, b: Point, ra: float, rb: float) -> str:
    """Path data of a tapered capsule: two circles joined by their outer tangents."""
    (ax, ay), (bx, by) = (a[0], -a[1]), (b[0], -b[1])  # SVG coordinates, y down
    d = math.hypot(bx - ax, by - ay)
    if d <= abs(ra - rb) + 0.01:
        (cx, cy), r = ((ax, ay), ra) if ra >= rb else ((bx, by), rb)
        arc = f"a{num(r)},{num(r)} 0 1 0"
        return f"M{num(cx - r)},{num(cy)} {arc} {num(2 * r)},0 {arc} {num(-2 * r)},0Z"
    ux, uy = (bx - ax) / d, (by - ay) / d
    cos_phi = (ra - rb) / d
    sin_phi = math.sqrt(1 - cos_phi * cos_phi)

    def at(cx: float, cy: float, r: float, sign: float) -> str:
        x = cx + r * (ux * cos_phi - sign * uy * sin_phi)
        y = cy + r * (uy * cos_phi + sign * ux * sin_phi)
        return f"{num(x)},{num(y)}"

    large = 1 if cos_phi < 0 else 0  # the thinner end shows less than half its circle
    return (
        f"M{at(ax, ay, ra, 1)} L{at(bx, by, rb, 1)} A{num(rb)},{num(rb)} 0 {large} 0 "
        f"{at(bx, by, rb, -1)} L{at(ax, ay, ra, -1)} A{num(ra)},{num(ra)} 0 {1 - large} 0 "
        f"{at(ax, ay, ra, 1)}Z"
    )


def _joint(p: Point) -> str:
    return circle(p, 1.7, f'class="joint" {fill("joint")}')


def _limbs(points: Points, side: str) -> str:
    out = [f'<g class="limbs {side}" {fill(side)} stroke="{BACKGROUND}" stroke-width="1.2">']
    for part in limb_parts(side):
        d = _capsule(points[part.start], points[part.end], part.r_start, part.r_end)
        out.append(f'<path class="segment {part.name}" d="{d}"/>')
    prefix = "" if side == "near" else "far_"
    out += [_joint(points[prefix + j]) for j in ("knee", "ankle", "elbow")]
    return "".join(out) + "</g>"


def _side_on(points: Points) -> bool:
    """Whether the trunk is seen side-on: its width hides behind its midline, so only the midline
    (the parts that carry its mass) need drawing."""
    pairs = (("hip", "far_hip"), ("shoulder", "far_shoulder"))
    return all(math.dist(points[a], points[b]) < 0.5 for a, b in pairs)


def _torso_and_head(scene: Scene) -> str:
    """The trunk as one shape (outline under all its parts, fills over), then the head."""
    points, face = scene.points, scene.face
    paths = "".join(
        f'<path d="{_capsule(points[p.start], points[p.end], p.r_start, p.r_end)}"/>'
        for p in (MIDLINE if _side_on(points) else TORSO)
    )
    eyes = "".join(
        circle(face[e], 1.6, f"fill={quoteattr(BACKGROUND)}")
        for e in ("far_eye", "eye")
        if e in face
    )
    return (
        f'<g class="torso" {fill("torso")}><g stroke="{BACKGROUND}" stroke-width="2.4">{paths}</g>'
        f"{paths}</g>"
        f'<g class="head" {fill("near")}>{circle(points["head"], HEAD_R, "")}'
        f"{circle(face['nose'], 2.6, '')}{eyes}</g>"
        f"{_joint(points['hip'])}{_joint(points['shoulder'])}"
    )


def _scene_svg(scene: Scene) -> str:
    def layer(name: str) -> str:
        return "".join(
            f'<g class="prop {p.name}">{p.svg}</g>' for p in scene.props if p.layer == name
        )

    return (
        layer("back")
        + _limbs(scene.points, "far")
        + layer("mid")
        + _torso_and_head(scene)
        + _limbs(scene.points, "near")
        + layer("front")
    )


def _document(body: str, box: Box, title: str, width_px: int) -> str:
    x0, y0, x1, y1 = box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD
    w, h, scale = x1 - x0, y1 - y0, width_px / REFERENCE_WIDTH
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{num(x0)} {num(-y1)} {num(w)} {num(h)}" '
        f'width="{num(w * scale)}" height="{num(h * scale)}" '
        f'role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        f"{rect((x0, y0, x1, y1), f'fill={quoteattr(BACKGROUND)}', 6)}{body}</svg>"
    )


# --- public renderers --------------------------------------------------------------------------


def render_pose_svg(
    pose: KeyPose, equipment: tuple[str, ...], *, title: str, width_px: int = 240
) -> str:
    """A standalone SVG of one key pose, drawn ``width_px`` pixels per REFERENCE_WIDTH units."""
    scene = lay_out_pose(pose, equipment)
    return _document(_scene_svg(scene), scene.box(), title, width_px)


def render_exercise_svg(exercise: Exercise, pose_index: int = 0, *, width_px: int = 240) -> str:
    """A standalone SVG of one of an exercise's key poses."""
    pose = exercise.key_poses[pose_index]
    title = f"{exercise.name}: {pose.name}"
    return render_pose_svg(pose, exercise.equipment, title=title, width_px=width_px)


def render_exercise_strip(exercise: Exercise, *, width_px: int = 240) -> str:
    """All key poses of an exercise side by side on one floor, with an arrow between each two."""
    parts: list[str] = []
    x, bottom, top = 0.0, 0.0, 0.0
    for i, pose in enumerate(exercise.key_poses):
        scene = lay_out_pose(pose, exercise.equipment)
        x0, y0, x1, y1 = scene.box()
        if i:
            tip, y = x + 26, 30.0
            arrow = line([(x + 6, y), (tip, y)], stroke("floor", 2))
            arrow += line([(tip - 6, y + 5), (tip, y), (tip - 6, y - 5)], stroke("floor", 2))
            parts.append(f'<g class="arrow">{arrow}</g>')
            x += 32
        shift = f"translate({num(x - x0)},0)"
        parts.append(f'<g class="pose" transform="{shift}">{_scene_svg(scene)}</g>')
        x += x1 - x0
        bottom, top = min(bottom, y0), max(top, y1)
    title = f"{exercise.name}: " + ", then ".join(p.name for p in exercise.key_poses)
    return _document("".join(parts), (0.0, bottom, x, top), title, width_px)
