"""Outcomes over time, worked out from the core's plain types (no Django, no database).

The words follow the progression engine's (``backcare.core.progression``): *resting pain* is
next-morning pain (dated the morning after the session) and the check-in's average pain; a
session counts as done when enough of its exercises were; a clinically important change is
``instruments.classify_change`` with the clinic's ``ChangeThresholds``, the project's one rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from statistics import fmean

from django.utils.translation import gettext, gettext_lazy, ngettext

from backcare.core.instruments import (
    HIGHER_IS_WORSE,
    OUTCOME_RANGES,
    Change,
    ChangeThresholds,
    Outcome,
    classify_change,
)
from backcare.core.progression import CheckIn, SessionSummary, Thresholds, adherence, pain_readings
from backcare.outcomes.charts import Band, Bar, Point, Series, short_date

BAND_LABEL = gettext_lazy("no important change from the start")


def week_of(day: date) -> date:
    """The Monday of ``day``'s week (check-ins are stored under it too)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Trend:
    """An outcome's values, each labelled against ``baseline``, and the latest one's change."""

    outcome: Outcome
    baseline: float
    points: tuple[Point, ...]
    band: Band

    @property
    def latest(self) -> Point | None:
        """The last value, or ``None`` before any."""
        return self.points[-1] if self.points else None

    def change(self, thresholds: ChangeThresholds) -> Change | None:
        """The latest value's change from the baseline, with its reason."""
        latest = self.latest
        if latest is None:
            return None
        return classify_change(
            self.baseline, latest.value, outcome=self.outcome, thresholds=thresholds
        )


def needed(baseline: float, outcome: Outcome, thresholds: ChangeThresholds) -> tuple[float, float]:
    """The improvement and the worsening from ``baseline`` that are clinically important, in
    points (the relative rule is for improvement only; see ``instruments.change``)."""
    improve = classify_change(baseline, baseline, outcome=outcome, thresholds=thresholds)
    return improve.threshold_used, thresholds.absolute_for(outcome)


def no_change_band(baseline: float, outcome: Outcome, thresholds: ChangeThresholds) -> Band:
    """The values that are no clinically important change from ``baseline``: short of the
    improvement the rule needs on one side and of the worsening on the other."""
    improve, worsen = needed(baseline, outcome, thresholds)
    sign = -1 if HIGHER_IS_WORSE[outcome] else 1
    low, high = OUTCOME_RANGES[outcome]
    ends = sorted((baseline + sign * improve, baseline - sign * worsen))
    return Band(max(low, ends[0]), min(high, ends[1]), str(BAND_LABEL))


def judged(
    baseline: float,
    values: Iterable[tuple[date, float, str]],
    outcome: Outcome,
    thresholds: ChangeThresholds,
    *,
    first: Point | None = None,
) -> Trend:
    """Each (day, value, note), in date order, labelled with its change from ``baseline``;
    ``first`` (the baseline's own point, when it has one) leads, unlabelled."""
    points = tuple(
        Point(
            on,
            value,
            classify_change(baseline, value, outcome=outcome, thresholds=thresholds).label,
            note,
        )
        for on, value, note in sorted(values, key=lambda v: v[0])
    )
    if first is not None:
        points = (first, *points)
    return Trend(outcome, baseline, points, no_change_band(baseline, outcome, thresholds))


def waking_pain(sessions: Iterable[SessionSummary], today: date) -> tuple[Point, ...]:
    """Each next-morning pain, dated the morning it describes (none after ``today``)."""
    readings = pain_readings(sessions, ())
    return tuple(
        Point(r.on, r.pain_0_10) for r in readings if r.source == "next_morning" and r.on <= today
    )


def check_in_pain(check_ins: Iterable[CheckIn], today: date) -> tuple[Point, ...]:
    """Each check-in's average pain over its week, dated the day it was answered."""
    return tuple(Point(c.on, c.pain_average_0_10) for c in check_ins if c.on <= today)


def weekly_resting_pain(
    sessions: Iterable[SessionSummary],
    check_ins: Iterable[CheckIn],
    baseline_0_10: int,
    today: date,
    thresholds: ChangeThresholds,
) -> Trend:
    """Each calendar week's mean resting pain, rounded to one decimal (the value shown is the
    value judged), labelled with its change from the intake pain.

    A week's point is drawn mid-week (Thursday), kept within the days it has readings for, so
    the current week's point is never in the future.
    """
    resting = [
        r
        for r in pain_readings(sessions, check_ins)
        if r.source in ("next_morning", "check_in_average") and r.on <= today
    ]
    weeks = []
    for monday, group in groupby(resting, key=lambda r: week_of(r.on)):
        readings = list(group)
        day = min(max(monday + timedelta(days=3), readings[0].on), readings[-1].on)
        mean = round(fmean(r.pain_0_10 for r in readings), 1)
        count = len(readings)
        note = ngettext(
            "week of %(day)s, mean of %(count)d reading",
            "week of %(day)s, mean of %(count)d readings",
            count,
        ) % {"day": short_date(monday), "count": count}
        weeks.append((day, mean, note))
    return judged(baseline_0_10, weeks, "pain", thresholds)


@dataclass(frozen=True)
class Prescription:
    """Sessions a week prescribed from ``since`` on (a programme version taking effect)."""

    since: date
    sessions_per_week: int


def weekly_adherence(
    sessions: Sequence[SessionSummary],
    prescriptions: Sequence[Prescription],
    start: date,
    today: date,
    thresholds: Thresholds,
) -> tuple[Bar, ...]:
    """Sessions done each calendar week from ``start`` to ``today`` against those prescribed.

    The first and the current week count only their days from ``start`` and up to ``today``, so
    a part week is not judged against a whole week's prescription; the prescription is that of
    the latest version in effect at the week's end.
    """
    bars = []
    for monday in _mondays(start, today):
        first, last = max(monday, start), min(monday + timedelta(days=6), today)
        figure = adherence(
            sessions,
            last,
            (last - first).days + 1,
            sessions_per_week_prescribed=prescribed_on(prescriptions, last),
            min_share_done=thresholds.min_share_of_exercises_done,
        )
        fraction = figure.fraction
        text = f"{figure.sessions_done}/{figure.sessions_prescribed}"
        bars.append(Bar(monday, None if fraction is None else fraction * 100, text))
    return tuple(bars)


def prescribed_on(prescriptions: Sequence[Prescription], day: date) -> int:
    """Sessions a week prescribed on ``day``: the latest version by then, else the first."""
    ordered = sorted(prescriptions, key=lambda p: p.since)
    in_effect = [p for p in ordered if p.since <= day] or ordered[:1]
    return in_effect[-1].sessions_per_week if in_effect else 7


def gate_percent(thresholds: Thresholds, sessions_per_week: int) -> float:
    """The adherence gate (e.g. 6 sessions in 14 days) as a share of a week's prescription."""
    per_week = thresholds.adherence_min_sessions * 7 / thresholds.adherence_window_days
    return min(100.0, per_week / sessions_per_week * 100)


def _mondays(start: date, today: date) -> list[date]:
    """Every Monday from ``start``'s week to ``today``'s."""
    first = week_of(start)
    return [first + timedelta(weeks=w) for w in range((today - first).days // 7 + 1)]


@dataclass(frozen=True)
class GoalHistory:
    """One activity goal: how well the patient could do it at the start, and each rating since."""

    activity: str
    started_on: date
    baseline_0_10: int
    ratings: tuple[tuple[date, int], ...]

    @property
    def start_on(self) -> date:
        """The day the start rating is shown on: it is the rating before any weekly one, so it
        never comes after them, even when it was recorded later (a goal entered after the
        check-ins that rate it, as imported or back-dated records can be)."""
        return min([self.started_on, *(on for on, _rating in self.ratings)])


def goal_series(goals: Sequence[GoalHistory]) -> list[Series]:
    """One series per goal: its start rating, then each check-in's rating."""
    return [
        Series(
            goal.activity,
            (
                Point(goal.start_on, goal.baseline_0_10, note=gettext("at the start")),
                *(Point(on, rating) for on, rating in goal.ratings),
            ),
        )
        for goal in goals
    ]


def goals_mean(goals: Sequence[GoalHistory], thresholds: ChangeThresholds) -> Trend | None:
    """The mean goal rating at each check-in, PSFS-style (the PSFS score is the mean of the
    patient's own activities, 0-10, higher is better), labelled with the PSFS change rule.

    Each check-in's mean is judged against the mean start rating *of the goals it rated*, so a
    goal added or retired later does not count as a change. ``None`` before any rating.
    """
    rated: dict[date, list[GoalHistory]] = {}
    for goal in goals:
        for on, _rating in goal.ratings:
            rated.setdefault(on, []).append(goal)
    if not rated:
        return None
    points = []
    for on in sorted(rated):
        ratings = [dict(goal.ratings)[on] for goal in rated[on]]
        mean = round(fmean(ratings), 1)
        start = round(fmean(goal.baseline_0_10 for goal in rated[on]), 1)
        change = classify_change(start, mean, outcome="psfs", thresholds=thresholds)
        points.append(
            Point(on, mean, change.label, gettext("start %(value)s") % {"value": f"{start:g}"})
        )
    latest_start = round(fmean(goal.baseline_0_10 for goal in rated[max(rated)]), 1)
    started = min(goal.start_on for goal in goals)
    first = Point(
        started,
        round(fmean(g.baseline_0_10 for g in goals), 1),
        note=gettext("at the start"),
    )
    band = no_change_band(latest_start, "psfs", thresholds)
    return Trend("psfs", latest_start, (first, *points), band)
