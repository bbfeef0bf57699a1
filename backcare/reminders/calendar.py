"""The iCalendar feed: one weekly repeating event per scheduled weekday, with an alarm.

The file may be read by a calendar service or shown on a shared screen, so it says nothing about
health: the event is an "Exercise session" with a link to the session page, nothing more.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from backcare.core.schedule import WeeklySchedule
from backcare.links import absolute_url, site_url

SESSION_LENGTH = timedelta(minutes=30)
"""How long the calendar blocks out: a typical home programme of 5-7 exercises takes 20-30 min."""

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

REFRESH = timedelta(hours=12)
"""How often calendar programs are asked to fetch the feed again (RFC 7986 REFRESH-INTERVAL)."""


def session_url() -> str:
    """The public address of the guided session page (``/me/session/``) the reminder opens."""
    return absolute_url(reverse("guided_session"))


def build_calendar(
    schedule: WeeklySchedule | None,
    *,
    patient_key: str,
    starts_on: date,
    updated_at: datetime,
    now: datetime,
) -> bytes:
    """The feed as bytes; no events when ``schedule`` is None (none set, or paused).

    UIDs are stable for a patient and weekday (an HMAC of the patient's id, so the id itself is
    not in the file), so a calendar program updates its events instead of duplicating them.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//backcare//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Exercise sessions"))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    if schedule is not None:
        key = salted_hmac("backcare.reminders.calendar-uid", patient_key).hexdigest()[:20]
        host = urlsplit(site_url()).hostname or "backcare"
        for weekday in sorted(schedule.weekdays):
            calendar.add_component(
                _event(
                    schedule, weekday, f"session-{weekday}-{key}@{host}", starts_on, updated_at, now
                )
            )
        calendar.add("x-wr-timezone", schedule.time_zone)
        calendar.add_missing_timezones(
            first_date=starts_on - timedelta(days=7), last_date=date(starts_on.year + 10, 1, 1)
        )
    ical: bytes = calendar.to_ical()
    return ical


def _event(
    schedule: WeeklySchedule,
    weekday: int,
    uid: str,
    starts_on: date,
    updated_at: datetime,
    now: datetime,
) -> Event:
    first = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)
    start = datetime.combine(first, schedule.at, tzinfo=schedule.zone)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("last-modified", updated_at)
    event.add("dtstart", start)
    event.add("duration", SESSION_LENGTH)
    event.add("rrule", {"freq": "weekly", "byday": BYDAY[weekday]})
    event.add("summary", _("Exercise session"))
    event.add("description", _("Open today's session: %(url)s") % {"url": session_url()})
    event.add("url", session_url())
    event.add("transp", "OPAQUE")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Exercise session"))
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event
