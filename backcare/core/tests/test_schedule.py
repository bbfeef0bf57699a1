from datetime import UTC, date, datetime, time

import pytest

from backcare.core import schedule as schedule_module
from backcare.core.schedule import WeeklySchedule, is_time_zone, suggest_weekdays

MON_WED_FRI = frozenset({0, 2, 4})


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_per_week", "weekdays"),
    [
        (1, {2}),
        (2, {1, 4}),
        (3, {0, 2, 4}),
        (5, {0, 1, 2, 3, 4}),
        (7, set(range(7))),
        (0, {2}),
        (9, set(range(7))),
    ],
)
def test_it_suggests_weekdays_spread_through_the_week(
    days_per_week: int, weekdays: set[int]
) -> None:
    assert suggest_weekdays(days_per_week) == weekdays


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Europe/London", True),
        ("America/New_York", True),
        ("UTC", True),
        ("Mars/Olympus", False),
        ("", False),
        ("../etc/passwd", False),
        ("europe/london", False),
    ],
)
def test_it_knows_real_time_zones_only(name: str, known: bool) -> None:
    assert is_time_zone(name) is known


@pytest.mark.parametrize(
    "change",
    [
        {"weekdays": frozenset()},
        {"weekdays": frozenset({7})},
        {"time_zone": "Nowhere/City"},
        {"at": time(18, 0, tzinfo=UTC)},
    ],
)
def test_it_refuses_a_schedule_it_cannot_keep(change: dict[str, object]) -> None:
    fields = {"weekdays": MON_WED_FRI, "at": time(18, 0), "time_zone": "Europe/London"} | change
    with pytest.raises(ValueError):
        WeeklySchedule(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zone", "day", "at", "instant"),
    [
        # London in winter is UTC, in summer UTC+1
        ("Europe/London", date(2026, 1, 12), time(18, 0), utc(2026, 1, 12, 18, 0)),
        ("Europe/London", date(2026, 7, 13), time(18, 0), utc(2026, 7, 13, 17, 0)),
        # New York is 5 h behind in winter, 4 h in summer
        ("America/New_York", date(2026, 1, 12), time(7, 30), utc(2026, 1, 12, 12, 30)),
        ("America/New_York", date(2026, 7, 13), time(7, 30), utc(2026, 7, 13, 11, 30)),
        # Auckland is ahead: Monday 07:00 there is Sunday evening in UTC
        ("Pacific/Auckland", date(2026, 1, 12), time(7, 0), utc(2026, 1, 11, 18, 0)),
        # 01:30 does not exist on 29 March 2026 in London: due at 02:30 BST, i.e. 01:30 UTC
        ("Europe/London", date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30)),
        # 01:30 happens twice on 25 October 2026 in London: the first, BST one
        ("Europe/London", date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),
    ],
)
def test_it_keeps_the_local_time_across_zones_and_clock_changes(
    zone: str, day: date, at: time, instant: datetime
) -> None:
    schedule = WeeklySchedule(frozenset(range(7)), at, zone)
    assert schedule.falls_due(day) == instant


def test_it_finds_the_sessions_due_in_a_window_by_the_local_weekday() -> None:
    schedule = WeeklySchedule(frozenset({0}), time(7, 0), "Pacific/Auckland")  # Mondays
    # Monday 07:00 in Auckland (UTC+13 in January) is Sunday 18:00 UTC
    due = schedule.due_between(utc(2026, 1, 11, 17, 0), utc(2026, 1, 11, 19, 0))
    assert due == ((date(2026, 1, 12), utc(2026, 1, 11, 18, 0)),)


@pytest.mark.parametrize(
    ("after", "until", "count"),
    [
        (utc(2026, 1, 12, 16, 0), utc(2026, 1, 12, 18, 0), 1),  # the end is included
        (utc(2026, 1, 12, 18, 0), utc(2026, 1, 12, 20, 0), 0),  # the start is not
        (utc(2026, 1, 12, 18, 1), utc(2026, 1, 14, 18, 0), 1),  # Tuesday is not scheduled
        (utc(2026, 1, 5, 0, 0), utc(2026, 1, 12, 0, 0), 3),  # a whole week
        (utc(2026, 1, 13, 0, 0), utc(2026, 1, 13, 23, 59), 0),
    ],
)
def test_it_counts_each_due_time_in_a_window_once(
    after: datetime, until: datetime, count: int
) -> None:
    schedule = WeeklySchedule(MON_WED_FRI, time(18, 0), "Europe/London")
    assert len(schedule.due_between(after, until)) == count


def test_it_counts_scheduled_days_between_two_dates() -> None:
    schedule = WeeklySchedule(MON_WED_FRI, time(18, 0), "Europe/London")
    assert schedule.days_between(date(2026, 1, 12), date(2026, 1, 18)) == 3
    assert schedule.days_between(date(2026, 1, 13), date(2026, 1, 13)) == 0
    assert schedule.days_between(date(2026, 1, 1), date(2026, 1, 28)) == 12


def test_it_reads_the_time_zone_database_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []

    def available_timezones() -> set[str]:
        reads.append(1)
        return {"Europe/London"}

    monkeypatch.setattr(schedule_module, "available_timezones", available_timezones)
    schedule_module._known_time_zones.cache_clear()
    try:
        assert [is_time_zone("Europe/London") for _ in range(3)] == [True, True, True]
        assert not is_time_zone("America/New_York")  # not in this fake database
        assert len(reads) == 1
    finally:
        schedule_module._known_time_zones.cache_clear()
