from datetime import date, time, timedelta

import pytest

from backcare.core.adherence import (
    adherence_window,
    percent_done,
    regularity,
    sessions_prescribed,
    streak,
)
from backcare.core.progression import AdherenceFigure, SessionSummary
from backcare.core.schedule import WeeklySchedule

TODAY = date(2026, 1, 14)  # a Wednesday
MONDAY = date(2026, 1, 12)
MON_WED_FRI = WeeklySchedule(frozenset({0, 2, 4}), time(18, 0), "Europe/London")


def on(*days_ago: int, done: int = 3, prescribed: int = 3) -> tuple[SessionSummary, ...]:
    return tuple(SessionSummary(TODAY - timedelta(days=d), prescribed, done) for d in days_ago)


@pytest.mark.parametrize(
    ("days", "schedule", "per_week", "started_on", "today_done", "expected"),
    [
        (7, MON_WED_FRI, 7, None, True, 3),  # the schedule wins over the prescription
        (28, MON_WED_FRI, 7, None, True, 12),
        (7, MON_WED_FRI, 7, None, False, 2),  # today (a Wednesday) is not over yet
        (7, None, 3, None, True, 3),
        (28, None, 3, None, True, 12),
        (7, None, 3, None, False, 2),  # 6 whole days × 3 ÷ 7, rounded down
        (7, None, 5, None, True, 5),
        (1, MON_WED_FRI, 3, None, True, 1),
        (1, MON_WED_FRI, 3, None, False, 0),
        (28, MON_WED_FRI, 7, MONDAY, True, 2),  # started this Monday: Monday and today
        (28, MON_WED_FRI, 7, MONDAY, False, 1),
        (28, None, 7, TODAY, False, 0),  # starts today, nothing done yet: nothing planned
        (7, MON_WED_FRI, 7, TODAY - timedelta(days=60), False, 2),  # an old start changes nothing
    ],
)
def test_it_counts_sessions_planned_from_the_start_and_today_once_done(
    days: int,
    schedule: WeeklySchedule | None,
    per_week: int,
    started_on: date | None,
    today_done: bool,
    expected: int,
) -> None:
    planned = sessions_prescribed(
        TODAY,
        days,
        schedule=schedule,
        sessions_per_week=per_week,
        started_on=started_on,
        today_done=today_done,
    )
    assert planned == expected


FRIDAY = date(2026, 1, 16)


def dated(*days: date, done: int = 3) -> tuple[SessionSummary, ...]:
    return tuple(SessionSummary(day, 3, done) for day in days)


@pytest.mark.parametrize(
    ("sessions", "today", "schedule", "started_on", "expected"),
    [
        # a new patient who began on Monday and did Monday and Wednesday, on Friday morning
        (dated(MONDAY, TODAY), FRIDAY, MON_WED_FRI, MONDAY, (2, 2, 100)),
        (dated(MONDAY, TODAY), FRIDAY, None, MONDAY, (1, 1, 100)),  # 3 a week, 4 whole days
        # ... and once Friday's session is done
        (dated(MONDAY, TODAY, FRIDAY), FRIDAY, MON_WED_FRI, MONDAY, (3, 3, 100)),
        # two sessions on Monday are one day done; Friday the 9th was missed
        (dated(MONDAY, MONDAY), TODAY, MON_WED_FRI, None, (1, 2, 50)),
        # two sessions today: one day, planned once done
        (dated(TODAY, TODAY), TODAY, MON_WED_FRI, TODAY, (1, 1, 100)),
        # today unfinished: Friday and Monday done of Friday and Monday planned
        (dated(FRIDAY - timedelta(days=7), MONDAY), TODAY, MON_WED_FRI, None, (2, 2, 100)),
        # a session on a rest day (Tuesday) counts, but never past the days planned
        (dated(MONDAY, TODAY - timedelta(days=1)), TODAY, MON_WED_FRI, None, (2, 2, 100)),
        (dated(MONDAY, MONDAY, TODAY - timedelta(days=1)), TODAY, None, None, (2, 2, 100)),
        # a mostly skipped session is logged, not done
        (dated(MONDAY, done=1), TODAY, MON_WED_FRI, None, (0, 2, 0)),
        # started today, nothing done yet: nothing planned, no percentage
        ((), TODAY, MON_WED_FRI, TODAY, (0, 0, None)),
    ],
)
def test_it_counts_days_done_against_days_planned_in_the_last_week(
    sessions: tuple[SessionSummary, ...],
    today: date,
    schedule: WeeklySchedule | None,
    started_on: date | None,
    expected: tuple[int, int, int | None],
) -> None:
    figure = adherence_window(
        sessions, today, 7, schedule=schedule, sessions_per_week=3, started_on=started_on
    )
    assert (figure.sessions_done, figure.sessions_prescribed, percent_done(figure)) == expected


def test_it_counts_a_new_patients_four_weeks_from_their_start() -> None:
    figures = regularity(
        dated(MONDAY, TODAY), FRIDAY, schedule=MON_WED_FRI, sessions_per_week=3, started_on=MONDAY
    )
    assert (figures.percent(7), figures.percent(28)) == (100, 100)


@pytest.mark.parametrize(
    ("done", "prescribed", "percent"),
    [(3, 3, 100), (2, 3, 67), (0, 3, 0), (5, 3, 100), (1, 0, None), (0, None, None)],
)
def test_it_caps_the_percentage_at_all_sessions_done(
    done: int, prescribed: int | None, percent: int | None
) -> None:
    figure = AdherenceFigure(7, done, done, prescribed, 0, 0)
    assert percent_done(figure) == percent


@pytest.mark.parametrize(
    ("sessions", "schedule", "expected"),
    [
        ((), MON_WED_FRI, 0),
        # Wed (today), Mon, Fri, Wed, Mon: five scheduled days kept
        (on(0, 2, 5, 7, 9), MON_WED_FRI, 5),
        # today not done yet does not break it: Mon, Fri, Wed
        (on(2, 5, 7), MON_WED_FRI, 3),
        # a missed Friday (5 days ago) ends it at Monday
        (on(0, 2, 7, 9), MON_WED_FRI, 2),
        # a session on a rest day (Tuesday) neither adds nor breaks
        (on(0, 1, 2), MON_WED_FRI, 2),
        # only rest-day sessions: nothing kept
        (on(1, 3), MON_WED_FRI, 0),
        # mostly skipped sessions are not done
        (on(0, 2, done=1), MON_WED_FRI, 0),
        # sessions dated in the future (a wrong device clock) are ignored
        (on(-2, 0), MON_WED_FRI, 1),
        # without a schedule, every day counts
        (on(0, 1, 2, 4), None, 3),
        (on(1, 2, 3), None, 3),
        (on(2, 3), None, 0),
    ],
)
def test_it_counts_the_streak_of_scheduled_days_kept(
    sessions: tuple[SessionSummary, ...], schedule: WeeklySchedule | None, expected: int
) -> None:
    assert streak(sessions, TODAY, schedule=schedule) == expected


def test_it_reports_both_windows_against_the_schedule() -> None:
    figures = regularity(on(0, 2, 5, 7, 1), TODAY, schedule=MON_WED_FRI, sessions_per_week=7)
    # 7 days: Fri, Mon, Tue (a rest day) and today done, 3 planned; 28 days: 5 of 12
    assert [(f.days, f.sessions_done, f.sessions_prescribed) for f in figures.windows] == [
        (7, 3, 3),
        (28, 5, 12),
    ]
    assert (figures.percent(7), figures.percent(28)) == (100, 42)
    assert figures.streak_days == 4
    assert figures.scheduled


def test_it_falls_back_to_days_a_week_without_a_schedule() -> None:
    figures = regularity(on(0, 3), TODAY, schedule=None, sessions_per_week=3)
    assert [f.sessions_prescribed for f in figures.windows] == [3, 12]
    assert (figures.percent(7), figures.percent(28)) == (67, 17)
    assert not figures.scheduled
