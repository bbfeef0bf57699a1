"""A clinically important change in words: why a change counts or not, in the reader's language.

``core.instruments.classify_change`` returns the facts (the change, the rule that set the size
needed and its numbers); this writes the reason when it is shown, beside a score or a chart.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backcare.core.instruments import Change

__all__ = ["change_reason", "num", "points"]


def num(value: float) -> str:
    """A number for a sentence: at most one decimal, no trailing zero."""
    return f"{value:.1f}".removesuffix(".0")


def points(value: float) -> str:
    """ "1 point", "2.5 points", in the active language."""
    shown = num(value)
    return ngettext("%(n)s point", "%(n)s points", 1 if shown == "1" else 2) % {"n": shown}


def change_reason(change: Change) -> str:
    """Why ``change`` counts as important or not: "improved by 3 points (50 %), reaching the 2
    points needed (the larger of 2 points and 30 % of the baseline's 6 points from the best
    score, 1.8 points)"."""
    size = points(abs(change.absolute))
    if change.percent is not None:
        size = _("%(points)s (%(percent)s %%)") % {
            "points": size,
            "percent": num(abs(change.percent)),
        }
    numbers = {"size": size, "needed": points(change.threshold_used), "rule": _rule(change)}
    if change.label != "no_important_change":
        if change.better:
            return _("improved by %(size)s, reaching the %(needed)s needed (%(rule)s)") % numbers
        return _("worsened by %(size)s, reaching the %(needed)s needed (%(rule)s)") % numbers
    if not change.absolute:
        return _("unchanged, less than the %(needed)s needed (%(rule)s)") % numbers
    if change.better:
        return _("improved by %(size)s, less than the %(needed)s needed (%(rule)s)") % numbers
    return _("worsened by %(size)s, less than the %(needed)s needed (%(rule)s)") % numbers


def _rule(change: Change) -> str:
    """The rule that set the size of change needed, with its numbers."""
    numbers = {
        "points": points(change.rule_points),
        "percent": num(change.rule_percent or 0),
        "room": points(change.room),
        "relative": points(change.room * (change.rule_percent or 0) / 100),
    }
    if change.needed_by == "worsening":
        return _("%(points)s; the relative rule is for improvement only") % numbers
    if change.needed_by == "best_baseline":
        return (
            _(
                "%(points)s; the %(percent)s %% rule does not apply to a baseline that is already "
                "the best score"
            )
            % numbers
        )
    if change.needed_by == "larger":
        return (
            _(
                "the larger of %(points)s and %(percent)s %% of the baseline's %(room)s from the "
                "best score, %(relative)s"
            )
            % numbers
        )
    if change.needed_by == "smaller":
        return (
            _(
                "the smaller of %(points)s and %(percent)s %% of the baseline's %(room)s from the "
                "best score, %(relative)s"
            )
            % numbers
        )
    return numbers["points"]
