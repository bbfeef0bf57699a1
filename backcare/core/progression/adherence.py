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
    """Sessions done in the last ``days`` days against the prescription, for the progression gate.

    A session counts as done when at least ``min_share_done`` of its exercises were done (and at
    least one). Sessions prescribed over the window are ``per week × days ÷ 7``, rounded down.

    Kept as it was, unlike the patient's figures in ``core.adherence`` (which start at the
    programme, leave an unfinished today out and count distinct days): the gate asks "were at
    least ``adherence_min_sessions`` sessions done in the window?", a floor that only holds a
    patient back. Days before the programme can only make it harder to pass, which is the safe
    direction, and a new stage cannot pass before its minimum days in stage anyway; and the
    outcome timeline reads the same figure against the same prescription. Whether two sessions
    on one day should count as two toward progression is a clinical choice (DESIGN §3 counts
    sessions, "≥ 6 sessions in 14 days"), for the clinical rules to make, not this fix.
    """
    logged = [s for s in sessions if today - timedelta(days=days - 1) <= s.performed_on <= today]
    done = [s for s in logged if counts_as_done(s, min_share_done)]
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


def counts_as_done(
    session: SessionSummary, min_share_done: float = _DEFAULTS.min_share_of_exercises_done
) -> bool:
    """A session counts as done when at least ``min_share_done`` of its exercises were done (and
    at least one): a session opened and mostly skipped is logged, but not done."""
    return (
        session.exercises_done > 0
        and session.exercises_done >= min_share_done * session.exercises_prescribed - _EPSILON
    )
