"""Adherence: sessions done against sessions prescribed over a window of days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from backcare.core.progression.model import _EPSILON, AdherenceFigure, SessionSummary
from backcare.core.progression.thresholds import _DEFAULTS


def adherence(
    sessions: Iterable[SessionSummary],
    today: date,
    days: int,
    *,
    sessions_per_week_prescribed: int | None = None,
    min_share_done: float = _DEFAULTS.min_share_of_exercises_done,
) -> AdherenceFigure:
    """Sessions done in the last ``days`` days against the prescription.

    A session counts as done when at least ``min_share_done`` of its exercises were done (and at
    least one). Sessions prescribed over the window are ``per week × days ÷ 7``, rounded down.
    """
    logged = [s for s in sessions if today - timedelta(days=days - 1) <= s.performed_on <= today]
    done = [
        s
        for s in logged
        if s.exercises_done > 0
        and s.exercises_done >= min_share_done * s.exercises_prescribed - _EPSILON
    ]
    prescribed = None
    if sessions_per_week_prescribed is not None:
        prescribed = sessions_per_week_prescribed * days // 7
    return AdherenceFigure(
        days=days,
        sessions_done=len(done),
        sessions_logged=len(logged),
        sessions_prescribed=prescribed,
        exercises_done=sum(s.exercises_done for s in logged),
        exercises_prescribed=sum(s.exercises_prescribed for s in logged),
    )
