"""Outcome measures from plain values: no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backcare.core.instruments import ChangeThresholds, Outcome
from backcare.core.progression import CheckIn, SessionSummary, Thresholds
from backcare.outcomes.measures import (
    GoalHistory,
    Prescription,
    gate_percent,
    goal_series,
    goals_mean,
    no_change_band,
    weekly_adherence,
    weekly_resting_pain,
)

MONDAY = date(2025, 3, 3)


def session(day: int, morning: int | None = None, done: int = 3, of: int = 3) -> SessionSummary:
    return SessionSummary(MONDAY + timedelta(days=day), of, done, None, morning)


@pytest.mark.parametrize(
    ("baseline", "outcome", "thresholds", "band"),
    [
        (6, "pain", ChangeThresholds(), (4.2, 8)),  # 30 % of 6 is less than 2 points
        (8, "pain", ChangeThresholds(), (6, 10)),  # a rise cannot pass the top of the scale
        (6, "pain", ChangeThresholds(combine="both"), (4, 8)),
        (40, "odi", ChangeThresholds(), (30, 50)),
        (3, "psfs", ChangeThresholds(), (1, 5)),  # higher is better: improvement is upward
    ],
)
def test_it_shades_the_values_short_of_an_important_change(
    baseline: float, outcome: Outcome, thresholds: ChangeThresholds, band: tuple[float, float]
) -> None:
    shaded = no_change_band(baseline, outcome, thresholds)

    assert (round(shaded.low, 6), round(shaded.high, 6)) == band


def test_it_averages_resting_pain_by_calendar_week_and_labels_each_week() -> None:
    sessions = [session(0, 6), session(1, 5), session(7, 4), session(8, 3)]
    check_ins = [CheckIn(MONDAY + timedelta(days=13), 2, 2, 5, 2)]

    trend = weekly_resting_pain(
        sessions, check_ins, 6, MONDAY + timedelta(days=20), ChangeThresholds()
    )

    # mornings are dated the day after their session; the check-in's average pain counts too
    assert [(p.on, p.value, p.mark) for p in trend.points] == [
        (MONDAY + timedelta(days=2), 5.5, "no_important_change"),
        (MONDAY + timedelta(days=10), 3.0, "important_improvement"),
    ]


def test_it_ignores_pain_dated_after_today() -> None:
    trend = weekly_resting_pain(
        [session(0, 6), session(9, 2)], [], 6, MONDAY + timedelta(days=3), ChangeThresholds()
    )

    assert [p.value for p in trend.points] == [6]


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        # whole weeks, 5 a week prescribed, sessions on days 0-4 and 7-8
        (MONDAY, MONDAY + timedelta(days=13), [(100.0, "5/5"), (40.0, "2/5")]),
        # started on Thursday: the first week counts its 4 days (5 × 4 ÷ 7 = 2 prescribed)
        (MONDAY + timedelta(days=3), MONDAY + timedelta(days=6), [(100.0, "2/2")]),
        # the current week so far: Monday and Tuesday (5 × 2 ÷ 7 = 1 prescribed)
        (MONDAY + timedelta(days=7), MONDAY + timedelta(days=8), [(200.0, "2/1")]),
        # one day of a 5-a-week programme prescribes none yet
        (MONDAY, MONDAY, [(None, "1/0")]),
    ],
)
def test_it_counts_sessions_done_each_week_against_those_prescribed(
    start: date, today: date, expected: list[tuple[float | None, str]]
) -> None:
    sessions = [session(d) for d in (0, 1, 2, 3, 4, 7, 8)]

    bars = weekly_adherence(sessions, [Prescription(MONDAY, 5)], start, today, Thresholds())

    assert [(b.percent, b.text) for b in bars] == expected


def test_it_counts_a_session_with_too_few_exercises_done_as_not_done() -> None:
    sessions = [session(0, done=1, of=4), session(1, done=2, of=4)]

    (bar,) = weekly_adherence(
        sessions, [Prescription(MONDAY, 7)], MONDAY, MONDAY + timedelta(6), Thresholds()
    )

    assert bar.text == "1/7"


def test_it_takes_each_weeks_prescription_from_the_version_in_effect() -> None:
    versions = [Prescription(MONDAY, 7), Prescription(MONDAY + timedelta(days=9), 3)]

    bars = weekly_adherence([], versions, MONDAY, MONDAY + timedelta(days=13), Thresholds())

    assert [b.text for b in bars] == ["0/7", "0/3"]


@pytest.mark.parametrize(("per_week", "percent"), [(7, 300 / 7), (3, 100.0), (2, 100.0)])
def test_it_states_the_adherence_gate_as_a_share_of_a_week(per_week: int, percent: float) -> None:
    assert gate_percent(Thresholds(), per_week) == pytest.approx(percent)


def goal(name: str, baseline: int, *ratings: tuple[int, int]) -> GoalHistory:
    dated = tuple((MONDAY + timedelta(days=d), r) for d, r in ratings)
    return GoalHistory(name, MONDAY, baseline, dated)


def test_it_judges_the_mean_goal_rating_by_the_psfs_rule() -> None:
    goals = [goal("walk", 2, (7, 3), (14, 5)), goal("lift", 4, (7, 4), (14, 6))]

    trend = goals_mean(goals, ChangeThresholds())

    assert trend is not None
    assert [(p.value, p.mark) for p in trend.points] == [
        (3.0, None),  # the start
        (3.5, "no_important_change"),
        (5.5, "important_improvement"),
    ]


def test_it_judges_each_check_in_against_the_goals_it_rated() -> None:
    # "lift" is added later with a high start: it must not make the walk's gain look smaller
    goals = [goal("walk", 2, (7, 5)), goal("lift", 9, (14, 9))]

    trend = goals_mean(goals, ChangeThresholds())

    assert trend is not None
    assert [p.mark for p in trend.points[1:]] == ["important_improvement", "no_important_change"]


def test_it_has_no_goal_trend_before_any_rating() -> None:
    assert goals_mean([goal("walk", 2)], ChangeThresholds()) is None


def test_a_start_rating_recorded_after_the_weekly_ones_still_comes_first() -> None:
    # the goal was entered (dated day 20) after the check-ins that rated it on days 7 and 14
    weekly = ((MONDAY + timedelta(days=7), 5), (MONDAY + timedelta(days=14), 8))
    late = GoalHistory("walk", MONDAY + timedelta(days=20), 2, weekly)

    trend = goals_mean([late], ChangeThresholds())
    (series,) = goal_series([late])

    assert trend is not None
    by_day = sorted(trend.points, key=lambda p: p.on)
    assert [p.value for p in by_day] == [2.0, 5.0, 8.0]  # the start first, the latest last
    assert [p.value for p in sorted(series.points, key=lambda p: p.on)] == [2, 5, 8]


def test_the_goal_means_notes_are_in_the_readers_language() -> None:
    from django.utils import translation

    with translation.override("es"):
        trend = goals_mean([goal("walk", 2, (7, 5))], ChangeThresholds())
    assert trend is not None
    assert [p.note for p in trend.points] == ["al inicio", "inicio 2"]
