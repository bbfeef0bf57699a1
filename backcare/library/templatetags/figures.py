"""``{% exercise_figures exercise %}``: the code-drawn illustration of an exercise's key poses."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from backcare.core.figure import render_exercise_svg
from backcare.library.models import Exercise

register = template.Library()


@register.simple_tag
def exercise_figures(exercise: Exercise) -> SafeString:
    """Each key pose as an inline SVG (drawn by our own code, so safe to inline)."""
    core = exercise.core
    svgs = (render_exercise_svg(core, i) for i in range(len(core.key_poses)))
    cells = "".join(f'<div class="figure">{svg}</div>' for svg in svgs)
    return mark_safe(f'<div class="figures">{cells}</div>')
