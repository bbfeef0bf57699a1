"""What the patient sees of their own regularity: adherence against their schedule, and a streak.

Adherence shares the progression core's ``counts_as_done`` (the same definition of a session
done) but counts on its own terms, decided here once, because it is a figure a patient reads
about themselves and must not tell them they missed what they were never asked to do:

- **The window** is the last ``days`` days, but starts no earlier than the patient's programme
  (``started_on``): a patient who began on Monday was not asked to exercise the week before.
- **Today is planned only once it is done**: the day is not over, so an unfinished today never
  lowers the figure; done, it counts as planned (if it is a planned day) and done.
- **Days, not sessions**: two sessions on one day are one day done, and days done are capped by
  days planned, so extra sessions are welcome but cannot make more than all of the plan done.
  A session on a rest day counts as a day done (it still stops at the days planned).
- **Planned days** are the patient's own scheduled days in the window (they chose them with
  their clinician's days a week in mind); without a schedule, the prescription's days a week ×
  the window's days ÷ 7, rounded down, as the progression gate counts it.

The progression gate (``core.progression.adherence.adherence``) keeps its own rule; see there.

The streak is defined here, once:

- it counts **scheduled days with a session done**, walking back from today;
- today counts when it is done, but an unfinished today never breaks it (the day is not over);
- a scheduled day without a session done ends it;
- days off the schedule neither break nor add to it (a session on a rest day is welcome and
  counts for adherence, but the streak is about keeping the days one planned);
- without a schedule every day is a scheduled day.

The wording the patient sees is friendly and never shaming: a streak of 0 is not shown as a
failure (see the reminders templates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from backcare.core.progression.adherence import counts_as_done
from backcare.core.progression.model import AdherenceFigure, SessionSummary
from backcare.core.progression.thresholds import _DEFAULTS
from backcare.core.schedule import WeeklySchedule

__all__ = [
    "WINDOWS_DAYS",
    "Regularity",
    "adherence_window",
    "percent_done",
    "regularity",
    "sessions_prescribed",
    "streak",
]

WINDOWS_DAYS = (7, 28)
"""The windows shown to the patient: the last week, and the last four weeks (issue 4)."""


def sessions_prescribed(
    today: date,
    days: int,
    *,
    schedule: WeeklySchedule | None,
    sessions_per_week: int,
    started_on: date | None = None,
    today_done: bool = False,
) -> int:
    """Sessions planned in the window of ``days`` days ending today, by the rules in the module
    docstring: from ``started_on`` at the earliest, today only when ``today_done``."""
    first = _window_start(today, days, started_on)
    last = today if today_done else today - timedelta(days=1)
    if last < first:
        return 0
    if schedule is not None:
        return schedule.days_between(first, last)
    return sessions_per_week * ((last - first).days + 1) // 7


def adherence_window(
    sessions: Iterable[SessionSummary],
    today: date,
    days: int,
    *,
    schedule: WeeklySchedule | None,
    sessions_per_week: int,
    started_on: date | None = None,
    min_share_done: float = _DEFAULTS.min_share_of_exercises_done,
) -> AdherenceFigure:
    """Days done against days planned in the window of ``days`` days ending today (module
    docstring); ``sessions_done`` is distinct days done, at most ``sessions_prescribed``."""
    first = _window_start(today, days, started_on)
    logged = [s for s in sessions if first <= s.performed_on <= today]
    done_days = {s.performed_on for s in logged if counts_as_done(s, min_share_done)}
    planned = sessions_prescribed(
        today,
        days,
        schedule=schedule,
        sessions_per_week=sessions_per_week,
        started_on=started_on,
        today_done=today in done_days,
    )
    return AdherenceFigure(
        days=days,
        sessions_done=min(len(done_days), planned),
        sessions_logged=len(logged),
        sessions_prescribed=planned,
        exercises_done=sum(s.exercises_done for s in logged),
        exercises_prescribed=sum(s.exercises_prescribed for s in logged),
    )


def _window_start(today: date, days: int, started_on: date | None) -> date:
    first = today - timedelta(days=days - 1)
    return first if started_on is None else max(first, started_on)


def percent_done(figure: AdherenceFigure) -> int | None:
    """Sessions done as a whole percentage of those prescribed, at most 100.

    Extra sessions are welcome but cannot make more than all of the prescription done, so the
    figure stops at 100 %. ``None`` when nothing was prescribed in the window.
    """
    fraction = figure.fraction
    if fraction is None:
        return None
    return min(100, round(fraction * 100))


def streak(
    sessions: Iterable[SessionSummary],
    today: date,
    *,
    schedule: WeeklySchedule | None,
    min_share_done: float = _DEFAULTS.min_share_of_exercises_done,
) -> int:
    """Scheduled days kept in a row up to today, by the rules in the module docstring."""
    done_days = {
        s.performed_on
        for s in sessions
        if s.performed_on <= today and counts_as_done(s, min_share_done)
    }
    if not done_days:
        return 0

    def scheduled(day: date) -> bool:
        return schedule is None or schedule.is_scheduled(day)

    earliest, count = min(done_days), 0
    day = today if today in done_days or not scheduled(today) else today - timedelta(days=1)
    while day >= earliest:
        if scheduled(day):
            if day not in done_days:
                break
            count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class Regularity:
    """Adherence over each window in ``WINDOWS_DAYS`` and the current streak."""

    windows: tuple[AdherenceFigure, ...]
    streak_days: int
    scheduled: bool

    def percent(self, days: int) -> int | None:
        """The percentage done in the window of ``days`` days."""
        return next(percent_done(f) for f in self.windows if f.days == days)


def regularity(
    sessions: Iterable[SessionSummary],
    today: date,
    *,
    schedule: WeeklySchedule | None,
    sessions_per_week: int,
    started_on: date | None = None,
    min_share_done: float = _DEFAULTS.min_share_of_exercises_done,
) -> Regularity:
    """Adherence over the last 7 and 28 days against the schedule, and the streak."""
    sessions = tuple(sessions)
    windows = tuple(
        adherence_window(
            sessions,
            today,
            days,
            schedule=schedule,
            sessions_per_week=sessions_per_week,
            started_on=started_on,
            min_share_done=min_share_done,
        )
        for days in WINDOWS_DAYS
    )
    kept = streak(sessions, today, schedule=schedule, min_share_done=min_share_done)
    return Regularity(windows=windows, streak_days=kept, scheduled=schedule is not None)
