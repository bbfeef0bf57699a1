"""Exercise illustrations: a figure drawn from a key pose's joint angles, as SVG.

The figure is seen side-on unless the pose turns it (a body lying on its side is seen from the
front, a twisted trunk shows its chest). Three pure steps: :func:`pose_points` runs the forward
kinematics from the pelvis (the angles are those of :class:`~backcare.core.library.KeyPose`, in
three dimensions, seen from the viewer's side), :func:`lay_out_pose` rests that body on its
support (floor, mat, chair, wall, Swiss ball, bike saddle, water) and adds the props, and the
``render_*`` functions write the scene as a standalone, deterministic SVG. Every picture uses one
scale, so a standing figure and a lying one are drawn at the same body size.

This package's public API is what ``__all__`` lists; the private modules hold the body and its
kinematics (``_body``), settling a lying body onto the floor (``_resting``), the props
(``_props``), the layout of a scene (``_layout``), the SVG primitives (``_svg``) and the SVG
documents (``_render``).
"""

from __future__ import annotations

from backcare.core.figure._body import pose_points
from backcare.core.figure._layout import Scene, lay_out_pose
from backcare.core.figure._props import Prop
from backcare.core.figure._render import (
    REFERENCE_WIDTH,
    render_exercise_strip,
    render_exercise_svg,
    render_pose_svg,
)

__all__ = [
    "REFERENCE_WIDTH",
    "Prop",
    "Scene",
    "lay_out_pose",
    "pose_points",
    "render_exercise_strip",
    "render_exercise_svg",
    "render_pose_svg",
]
