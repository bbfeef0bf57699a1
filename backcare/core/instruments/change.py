"""Clinically important change: is the difference between two scores big enough to matter?

Ostelo RWJG et al. "Interpreting change scores for pain and functional status in low back pain:
towards international consensus regarding minimal important change", Spine 2008;33(1):90-94,
proposes a minimal important change of 2 points on 0–10 pain, 10 on the ODI (0–100) and 5 on the
Roland-Morris (0–24), and, taking the baseline into account, a 30 % improvement as a useful
threshold for an individual patient. Both rules are used here, combined as ``COMBINE_DEFAULT``
says; a clinic overrides any of it with ``ChangeThresholds`` (DESIGN §3).

The 30 % is taken of the baseline's distance from the best score. For pain, ODI, Roland-Morris
and PEG the best score is 0, so this is the percentage of the baseline, as in Ostelo 2008; for
the PSFS (higher is better, best 10) it is the percentage of the room left to improve, so a
patient who starts near the top is not asked for more than the scale allows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "COMBINE_DEFAULT",
    "HIGHER_IS_WORSE",
    "MCID_DEFAULTS",
    "OUTCOMES",
    "OUTCOME_RANGES",
    "RELATIVE_MCID_PERCENT",
    "Change",
    "ChangeLabel",
    "ChangeThresholds",
    "Combine",
    "NeededBy",
    "Outcome",
    "classify_change",
]

Outcome = Literal["pain", "odi", "rmdq", "peg", "psfs"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
"""Outcomes with a change rule: 0–10 pain (our own check-in question) and the instrument codes."""

ChangeLabel = Literal["important_improvement", "important_worsening", "no_important_change"]
Combine = Literal["both", "either"]
NeededBy = Literal["points", "worsening", "best_baseline", "smaller", "larger"]
"""Which rule set the size of change that counts: the points alone (the relative rule is off),
the points because a worsening is judged by points only, the points because the baseline is
already the best score, or the smaller / larger of the points and the percentage."""

OUTCOME_RANGES: Mapping[Outcome, tuple[float, float]] = {
    "pain": (0, 10),
    "odi": (0, 100),
    "rmdq": (0, 24),
    "peg": (0, 10),
    "psfs": (0, 10),
}
"""The scale of each outcome; scores outside it are refused."""

HIGHER_IS_WORSE: Mapping[Outcome, bool] = {
    "pain": True,
    "odi": True,
    "rmdq": True,
    "peg": True,
    "psfs": False,
}
"""Direction: more pain or disability is worse; on the PSFS a higher rating means more able."""

MCID_DEFAULTS: Mapping[Outcome, float] = {
    "pain": 2.0,
    "odi": 10.0,
    "rmdq": 5.0,
    "peg": 2.0,
    "psfs": 2.0,
}
"""Minimal important change in points on each outcome's own scale.

- pain 0–10: 2 points; ODI: 10 points (of 100); Roland-Morris: 5 points (of 24) — Ostelo 2008.
- PEG: 2 points. Krebs et al. 2009 showed the PEG responds to change like the longer Brief Pain
  Inventory but fixed no threshold; the PEG is the mean of three 0–10 pain and interference
  ratings, so we use the 0–10 pain value (Ostelo 2008), and the 30 % rule alongside it matches
  IMMPACT's "moderately important" pain reduction (Dworkin et al. J Pain 2008;9(2):105-121).
- PSFS: 2 points on the mean score. Stratford et al. 1995 found a 2-point change in the average
  score exceeds measurement error (3 points for a single activity); Abbott & Schmitt, JOSPT
  2014;44(8):560-564, put the minimal important difference at 1.3–2.7 points by how much
  improvement patients judged important. 2 points clears the error and sits in that range.
"""

RELATIVE_MCID_PERCENT = 30.0
"""An improvement of 30 % of the baseline is important (Ostelo 2008: "when the baseline score is
taken into account, a 30 % improvement was considered a useful threshold"). Ostelo defines it for
improvement only, and so do we: a worsening is important when it reaches the points threshold.
Applied to worsening, 30 % of a low baseline is a fraction of a point (Roland-Morris 2 → 3 would
count), which would hold progression and raise alarms on noise."""

COMBINE_DEFAULT: Combine = "either"
"""A change is important when it meets the absolute rule or the 30 % rule ("either"), i.e. it
must reach the smaller of the two. This is the project's default protocol (DESIGN §3: "2 points
on 0–10 pain, 10 on ODI, 5 on Roland-Morris, or ≥ 30 % from baseline"), which follows Ostelo 2008
offering both as minimal important change. A clinic may choose "both" (the larger of the two),
the cautious reading for one patient: near the floor 30 % of a small baseline is within
measurement error (pain 3 → 2 is 33 % but one point), and at a high baseline the absolute value
alone is a small part of the problem (ODI 70 → 60 is 10 points but 14 %)."""

_EPSILON = 1e-9
"""Tolerance so a change exactly at a threshold counts despite floating-point rounding."""


@dataclass(frozen=True)
class ChangeThresholds:
    """A clinic's change rules; outcomes left out of ``absolute`` keep ``MCID_DEFAULTS``.

    ``relative_percent=None`` turns the percentage rule off (the absolute rule alone applies).
    """

    absolute: Mapping[str, float] = field(default_factory=dict)
    relative_percent: float | None = RELATIVE_MCID_PERCENT
    combine: Combine = COMBINE_DEFAULT

    def __post_init__(self) -> None:
        for outcome, points in self.absolute.items():
            if outcome not in OUTCOMES:
                raise ValueError(f"unknown outcome {outcome!r}")
            if not points > 0:
                raise ValueError(f"the {outcome} threshold must be more than 0, got {points!r}")
        if self.relative_percent is not None and not 0 < self.relative_percent <= 100:
            raise ValueError(f"relative_percent must be in (0, 100], got {self.relative_percent!r}")
        if self.combine not in get_args(Combine):
            raise ValueError(f"combine must be 'both' or 'either', got {self.combine!r}")

    def absolute_for(self, outcome: Outcome) -> float:
        """The absolute threshold in points for one outcome."""
        return self.absolute.get(outcome, MCID_DEFAULTS[outcome])


@dataclass(frozen=True)
class Change:
    """A classified change between two scores of one outcome, with the rule that judged it.

    ``absolute`` is current − baseline in points, ``percent`` the same as a percentage of the
    baseline's distance from the best score (``room``; ``percent`` is ``None`` when the baseline
    is the best score), and ``threshold_used`` the size of change, in points, that counted as
    important here. ``needed_by`` says how ``threshold_used`` came from the rule's
    ``rule_points`` and ``rule_percent``; the Django side words the reason from these facts.
    """

    label: ChangeLabel
    absolute: float
    percent: float | None
    threshold_used: float
    better: bool
    needed_by: NeededBy
    rule_points: float
    rule_percent: float | None
    room: float


def classify_change(
    baseline: float,
    current: float,
    *,
    outcome: Outcome,
    thresholds: ChangeThresholds | None = None,
) -> Change:
    """Label the change from ``baseline`` to ``current`` as an important improvement, an important
    worsening or no important change, with the threshold used and the reason."""
    thresholds = thresholds or ChangeThresholds()
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    for name, value in (("baseline", baseline), ("current", current)):
        low, high = OUTCOME_RANGES[outcome]
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"{name} {value!r} is outside the {outcome} scale {low:g}–{high:g}")

    best = OUTCOME_RANGES[outcome][0 if HIGHER_IS_WORSE[outcome] else 1]
    room = abs(baseline - best)
    delta = current - baseline
    percent = delta / room * 100 if room else None
    better = delta < 0 if HIGHER_IS_WORSE[outcome] else delta > 0
    points, relative = thresholds.absolute_for(outcome), thresholds.relative_percent
    needed_by: NeededBy
    if delta and not better:
        needed, needed_by = points, "worsening"
    elif relative is None:
        needed, needed_by = points, "points"
    elif not room:
        needed, needed_by = points, "best_baseline"
    elif thresholds.combine == "both":
        needed, needed_by = max(points, room * relative / 100), "larger"
    else:
        needed, needed_by = min(points, room * relative / 100), "smaller"
    label: ChangeLabel = "no_important_change"
    if delta and abs(delta) >= needed - _EPSILON:
        label = "important_improvement" if better else "important_worsening"
    return Change(label, delta, percent, needed, better, needed_by, points, relative, room)
