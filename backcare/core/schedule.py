"""A patient's weekly exercise schedule: which weekdays, at what local time, and when it falls due.

Weekdays are numbered as ``date.weekday()`` does: Monday 0 … Sunday 6. Times are wall-clock times
in the patient's own time zone (an IANA name such as ``Europe/Madrid``), so a reminder set for
18:00 stays at 18:00 local time across daylight-saving changes.

Clock changes, decided once here:

- a time the clock skips (01:30 on a spring-forward night in London) falls due that much later
  on the wall clock (02:30 local, the same instant as 01:30 before the change);
- a time the clock passes twice (01:30 on an autumn fall-back night) falls due the first time.

Both follow Python's ``fold=0`` rule (PEP 495), which is also how calendar programs read a
repeating event's local time, so the e-mail and the calendar agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS = tuple(range(7))
"""Monday 0 … Sunday 6, as ``date.weekday()``."""

SUGGESTED_WEEKDAYS: Mapping[int, frozenset[int]] = {
    1: frozenset({2}),
    2: frozenset({1, 4}),
    3: frozenset({0, 2, 4}),
    4: frozenset({0, 1, 3, 4}),
    5: frozenset({0, 1, 2, 3, 4}),
    6: frozenset({0, 1, 2, 3, 4, 5}),
    7: frozenset(WEEKDAYS),
}
"""Days suggested for a programme done ``n`` days a week: spread through the week, with rest
days between sessions where there is room. Reason: strength and motor-control loading is usually
spaced so muscles recover between sessions, and guidelines for adults ask that activity be spread
through the week rather than bunched (WHO 2020 guidelines on physical activity and sedentary
behaviour). Practice, not a rule: the patient picks the days that suit them."""


def suggest_weekdays(days_per_week: int) -> frozenset[int]:
    """The suggested weekdays for a prescription of ``days_per_week`` (clamped to 1-7)."""
    return SUGGESTED_WEEKDAYS[min(7, max(1, days_per_week))]


@cache
def _known_time_zones() -> frozenset[str]:
    """The IANA names this machine knows, read once per process: ``available_timezones()`` walks
    the whole time-zone database on disk (about 12 ms a call), and every schedule built checks
    its zone. Zones added by a tzdata upgrade are seen after a restart, as with any upgrade."""
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows (e.g. ``Europe/London``)."""
    if name not in _known_time_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class WeeklySchedule:
    """Exercise on ``weekdays`` at ``at`` (wall-clock time) in the time zone ``time_zone``."""

    weekdays: frozenset[int]
    at: time
    time_zone: str

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= set(WEEKDAYS):
            raise ValueError(f"weekdays must be some of 0-6, got {sorted(self.weekdays)!r}")
        if self.at.tzinfo is not None:
            raise ValueError("at is a wall-clock time in time_zone, without its own zone")
        if not is_time_zone(self.time_zone):
            raise ValueError(f"unknown time zone {self.time_zone!r}")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_scheduled(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    def falls_due(self, day: date) -> datetime:
        """The instant (in UTC) of ``day``'s session time, by the clock-change rules above."""
        local = datetime.combine(day, self.at, tzinfo=self.zone)  # fold=0
        return local.astimezone(UTC)

    def due_between(self, after: datetime, until: datetime) -> tuple[tuple[date, datetime], ...]:
        """Each scheduled local day whose session time is after ``after`` and at most ``until``.

        Both bounds are aware datetimes; the result pairs the patient's local date with the
        instant in UTC, oldest first.
        """
        first = after.astimezone(self.zone).date() - timedelta(days=1)
        last = until.astimezone(self.zone).date() + timedelta(days=1)
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        due = ((day, self.falls_due(day)) for day in days if self.is_scheduled(day))
        return tuple((day, instant) for day, instant in due if after < instant <= until)

    def days_between(self, first: date, last: date) -> int:
        """How many scheduled days fall from ``first`` to ``last``, both included."""
        return sum(
            1 for n in range((last - first).days + 1) if self.is_scheduled(first + timedelta(n))
        )


def weekdays_of(values: Iterable[int]) -> frozenset[int]:
    """Weekday numbers as a frozen set, refusing anything outside 0-6."""
    days = frozenset(values)
    if not days <= set(WEEKDAYS):
        raise ValueError(f"weekdays must be some of 0-6, got {sorted(days)!r}")
    return days
