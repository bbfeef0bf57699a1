"""Pain in the logs: each session against the pain before it, dated readings, important change.

Whether pain changed by a clinically important amount is ``instruments.classify_change`` for
0-10 pain with the clinic's ``Thresholds.change``: this package has no rule of its own for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import get_args

from backcare.core.instruments import Change, classify_change
from backcare.core.progression.model import (
    CheckIn,
    PainReading,
    PainSource,
    SessionPainCheck,
    SessionSummary,
)
from backcare.core.progression.thresholds import _DEFAULTS, Thresholds


def check_session_pain(
    sessions: Iterable[SessionSummary],
    baseline_pain_0_10: int,
    thresholds: Thresholds = _DEFAULTS,
) -> tuple[SessionPainCheck, ...]:
    """Each session's pain during and next morning against the pain before it, in date order.

    The pain before a session is the latest next-morning pain logged after a session on an
    earlier day (that morning is the nearest resting rating before this session; when two
    sessions on one day have one, the higher counts), else the baseline pain. Pain during is
    within the limit when it is at most ``max_pain_rise_during_0_10`` above it; next-morning
    pain has settled when it is at most ``next_morning_tolerance_0_10`` above it (DESIGN §3;
    Silbernagel et al. 2007).
    """
    checks: list[SessionPainCheck] = []
    before, before_from = baseline_pain_0_10, None
    ordered = sorted(sessions, key=lambda s: s.performed_on)
    for day, same_day in itertools.groupby(ordered, key=lambda s: s.performed_on):
        group = list(same_day)
        for s in group:
            during, morning = s.max_pain_during_0_10, s.next_morning_pain_0_10
            rise = None if during is None else during - before
            change = None if morning is None else morning - before
            checks.append(
                SessionPainCheck(
                    session=s,
                    pain_before_0_10=before,
                    pain_before_from=before_from,
                    rise_0_10=rise,
                    rise_within_limit=None
                    if rise is None
                    else rise <= thresholds.max_pain_rise_during_0_10,
                    next_morning_change_0_10=change,
                    settled=None
                    if change is None
                    else change <= thresholds.next_morning_tolerance_0_10,
                )
            )
        mornings = [s.next_morning_pain_0_10 for s in group if s.next_morning_pain_0_10 is not None]
        if mornings:
            before, before_from = max(mornings), day + timedelta(days=1)
    return tuple(checks)


def pain_readings(
    sessions: Iterable[SessionSummary], check_ins: Iterable[CheckIn]
) -> tuple[PainReading, ...]:
    """Every 0-10 pain rating in the logs, dated the day it describes, in date order.

    Pain during a session is dated the session's day, next-morning pain the day after; a
    check-in gives its pain now and its average pain, dated the check-in's day.
    """
    readings: list[PainReading] = []
    for s in sessions:
        if s.max_pain_during_0_10 is not None:
            readings.append(PainReading(s.performed_on, s.max_pain_during_0_10, "during_exercise"))
        if s.next_morning_pain_0_10 is not None:
            morning = s.performed_on + timedelta(days=1)
            readings.append(PainReading(morning, s.next_morning_pain_0_10, "next_morning"))
    for c in check_ins:
        readings.append(PainReading(c.on, c.pain_now_0_10, "check_in_now"))
        readings.append(PainReading(c.on, c.pain_average_0_10, "check_in_average"))
    order = get_args(PainSource)
    return tuple(sorted(readings, key=lambda r: (r.on, order.index(r.source), r.pain_0_10)))


def clinically_important_improvement(
    baseline_0_10: float, current_0_10: float, thresholds: Thresholds = _DEFAULTS
) -> bool:
    """Whether pain fell from ``baseline_0_10`` to ``current_0_10`` by the MCID.

    The rule is ``instruments.classify_change`` for 0-10 pain with ``thresholds.change``: by
    default 2 points or 30 % of the baseline, whichever is smaller ("either"), the larger of the
    two with ``combine="both"`` (Ostelo 2008; DESIGN §3). Pain outside 0-10 is a ``ValueError``.
    """
    return _pain_change(baseline_0_10, current_0_10, thresholds).label == "important_improvement"


def _pain_change(baseline_0_10: float, current_0_10: float, thresholds: Thresholds) -> Change:
    return classify_change(
        baseline_0_10, current_0_10, outcome="pain", thresholds=thresholds.change
    )


def _needed_improvement(baseline_0_10: float, thresholds: Thresholds) -> float:
    """The fall from ``baseline_0_10`` that is clinically important, in points.

    It depends on the baseline alone, so the baseline's change to itself gives it.
    """
    return _pain_change(baseline_0_10, baseline_0_10, thresholds).threshold_used


def _important_rise(previous_0_10: float, current_0_10: float, thresholds: Thresholds) -> bool:
    """Whether pain rose from ``previous_0_10`` to ``current_0_10`` by the MCID's points.

    The points alone: the 30 % rule is taken of the patient's baseline (Ostelo 2008: "when the
    baseline score is taken into account"), not of last week; and of a low week it is one point
    (2 → 3 is 50 %), which is day-to-day variation, not worsening to regress for.
    """
    points_only = replace(thresholds.change, relative_percent=None)
    change = classify_change(previous_0_10, current_0_10, outcome="pain", thresholds=points_only)
    return change.label == "important_worsening"
