"""Reminders in a real browser: the patient chooses their days, makes a calendar link, a calendar
program reads it (parsed back with icalendar), and turning it off makes the link answer 404."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from backcare.accounts.models import Clinic
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.reminders.models import CalendarFeed, ReminderSchedule
from backcare.testing import PASSWORD, make_patient, make_programme, open_menu

pytestmark = pytest.mark.browser


@pytest.fixture
def patient_with_programme(transactional_db: Any) -> Patient:
    refresh_library()
    clinic = Clinic.objects.create(name="Riverside Physio")
    patient = make_patient(clinic, "pat")
    make_programme(patient, ["abdominal-bracing", "bridge", "walking"])
    patient.programme_set.get().items.update(days_per_week=3)
    return patient


def test_it_sets_reminders_and_serves_the_calendar_feed(
    patient_with_programme: Patient, browser_page: Any, live_server: Any, settings: Any
) -> None:
    settings.BASE_URL = live_server.url
    page = browser_page
    page.goto("/login/")
    page.fill("#id_username", "pat")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    open_menu(page)
    page.click("nav >> text=Reminders")

    # suggested from the programme's three days a week: Monday, Wednesday, Friday
    assert page.is_checked("#id_weekdays_0") and page.is_checked("#id_weekdays_2")
    assert not page.is_checked("#id_weekdays_1")
    page.uncheck("#id_weekdays_0")
    page.check("#id_weekdays_1")
    page.fill("#id_time_of_day", "07:45")
    page.fill("#id_time_zone", "Nowhere/Special")
    page.click("button:has-text('Save')")
    assert "is not a time zone we know" in page.inner_text("main")

    # the page's own script (allowed by the Content-Security-Policy) offers this device's zone
    page.click("text=Use this device's time zone")
    device_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert page.input_value("#id_time_zone") == device_zone
    page.fill("#id_time_zone", "Europe/Madrid")
    page.click("button:has-text('Save')")
    assert "Your reminder days are saved" in page.inner_text("main")
    saved = ReminderSchedule.objects.get(patient=patient_with_programme)
    assert (saved.weekdays, saved.time_of_day, saved.time_zone) == (
        [1, 2, 4],
        time(7, 45),
        "Europe/Madrid",
    )

    page.click("button:has-text('Make my calendar link')")
    assert "shown only once" in page.inner_text("main")
    url = page.input_value("#calendar-url")
    assert url.startswith(live_server.url + "/calendar/") and url.endswith(".ics")

    response = page.request.get(url)
    assert response.status == 200
    calendar = Calendar.from_ical(response.body())
    events: list[Any] = calendar.walk("VEVENT")
    assert [e["RRULE"]["BYDAY"] for e in events] == [["TU"], ["WE"], ["FR"]]
    assert {e.decoded("DTSTART").time() for e in events} == {time(7, 45)}
    assert {str(e["DTSTART"].params["TZID"]) for e in events} == {"Europe/Madrid"}
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]
    assert all(a.decoded("TRIGGER") == timedelta(0) for a in calendar.walk("VALARM"))

    page.goto("/me/reminders/")
    assert url not in page.content()
    assert "Your calendar link is on" in page.inner_text("main")
    page.click("button:has-text('Turn the calendar link off')")
    assert "turned off" in page.inner_text("main")
    assert page.request.get(url).status == 404
    assert CalendarFeed.objects.get().revoked_at is not None

    open_menu(page)
    page.click("nav >> text=Today")
    assert "How regularly you exercise" in page.inner_text("main")
