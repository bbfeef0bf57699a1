"""The library's codes as words in the reader's language: one table for every page and PDF.

Stages, categories, positions and equipment (``swiss_ball`` → "Swiss ball") and the cautions a
clinician ticks at intake (``extension_intolerant`` → "Back pain that is worse bending
backwards", the core's own wording, marked for the catalogue there). Nothing a reader sees is a
code: templates use the ``labels`` filters (``{% load labels %}``), Python ``label(code)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backcare.core.library import CONTRAINDICATIONS

__all__ = ["LABELS", "caution_label", "label", "labels"]

LABELS: dict[str, str | Promise] = {
    "initial": _("Initial"),
    "intermediate": _("Intermediate"),
    "advanced": _("Advanced"),
    "strength": _("Strength"),
    "motor_control": _("Motor control"),
    "mobility": _("Mobility"),
    "stretch": _("Stretch"),
    "aerobic": _("Aerobic"),
    "mind_body": _("Mind–body"),
    "standing": _("Standing"),
    "sitting": _("Sitting"),
    "supine": _("Supine"),
    "prone": _("Prone"),
    "quadruped": _("Quadruped"),
    "side_lying": _("Side-lying"),
    "wall": _("Wall"),
    "chair": _("Chair"),
    "swiss_ball": _("Swiss ball"),
    "band": _("Exercise band"),
    "bike": _("Bike"),
    "pool": _("Pool"),
}
"""Display names of the library's codes (stages, categories, positions, equipment)."""


def label(value: str) -> str:
    """A library code as words in the active language, e.g. ``motor_control`` → "Motor control"."""
    return str(LABELS.get(value, value.replace("_", " ").capitalize()))


def caution_label(code: str) -> str:
    """A caution (contraindication) code as words in the active language."""
    return gettext(CONTRAINDICATIONS[code]) if code in CONTRAINDICATIONS else label(code)


def labels(codes: Iterable[str], separator: str = ", ") -> str:
    """Several codes as words, joined: ``["wall", "swiss_ball"]`` → "Wall, Swiss ball"."""
    return separator.join(caution_label(code) for code in codes)
