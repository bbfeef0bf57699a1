"""The secret iCalendar feed, read back with the icalendar parser."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from icalendar import Calendar

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient, RedFlagScreen
from backcare.reminders.models import CalendarFeed
from backcare.reminders.services import issue_calendar_link, revoke_calendar_links
from backcare.reminders.tests.conftest import schedule


def fetch(token: str) -> Any:
    return Client().get(f"/calendar/{token}.ics")


def events(response: Any) -> list[Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.fixture
def token(patient: Patient) -> str:
    schedule(patient, {0, 2, 4}, time(18, 30), "America/New_York")
    return issue_calendar_link(patient.user, patient)


def test_it_repeats_a_session_weekly_on_each_chosen_day(token: str, settings: Any) -> None:
    settings.BASE_URL = "https://backcare.example.org"

    found = events(fetch(token))

    assert [e["RRULE"]["FREQ"] for e in found] == [["WEEKLY"]] * 3
    assert [e["RRULE"]["BYDAY"] for e in found] == [["MO"], ["WE"], ["FR"]]
    zone = ZoneInfo("America/New_York")
    # saved on Wednesday 14 January 2026: the first Monday is the 19th, Wednesday the 14th
    assert [e.decoded("DTSTART") for e in found] == [
        datetime(2026, 1, 19, 18, 30, tzinfo=zone),
        datetime(2026, 1, 14, 18, 30, tzinfo=zone),
        datetime(2026, 1, 16, 18, 30, tzinfo=zone),
    ]
    assert all(e["DTSTART"].params["TZID"] == "America/New_York" for e in found)
    assert all(e.decoded("DURATION") == timedelta(minutes=30) for e in found)
    assert all("https://backcare.example.org/me/session/" in e["DESCRIPTION"] for e in found)


def test_it_carries_the_time_zone_and_an_alarm(token: str) -> None:
    calendar = Calendar.from_ical(fetch(token).content)

    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    alarms = calendar.walk("VALARM")
    assert len(alarms) == 3 and all(a.decoded("TRIGGER") == timedelta(0) for a in alarms)
    assert all(e.decoded("DTSTAMP") for e in calendar.walk("VEVENT"))


def test_it_says_nothing_about_health(token: str, patient: Patient) -> None:
    body = fetch(token).content.decode()
    calendar = Calendar.from_ical(body)

    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Exercise session"}
    shown = [str(calendar["X-WR-CALNAME"])] + [
        str(c[key]) for c in calendar.walk() for key in ("SUMMARY", "DESCRIPTION") if key in c
    ]
    for word in ("back", "pain", "physio", "Riverside", "stage"):
        assert not [text for text in shown if word.lower() in text.lower()]
    for private in (patient.first_name, patient.last_name, patient.email, f"-{patient.pk}@"):
        assert private not in body


def test_it_keeps_the_uids_when_the_time_changes(token: str, patient: Patient) -> None:
    before = {str(e["UID"]) for e in events(fetch(token))}

    schedule(patient, {0, 2, 4}, time(7, 0), "America/New_York")

    after = events(fetch(token))
    assert {str(e["UID"]) for e in after} == before
    assert {e.decoded("DTSTART").time() for e in after} == {time(7, 0)}


def test_it_follows_daylight_saving_in_the_patients_zone(token: str) -> None:
    calendar = Calendar.from_ical(fetch(token).content)
    monday = calendar.walk("VEVENT")[0]
    tz = calendar.walk("VTIMEZONE")[0]
    offsets = {str(sub.name): sub.decoded("TZOFFSETTO") for sub in tz.subcomponents}

    assert offsets == {"STANDARD": timedelta(hours=-5), "DAYLIGHT": timedelta(hours=-4)}
    assert monday["DTSTART"].to_ical() == b"20260119T183000"


def test_it_records_each_fetch_without_an_actor(token: str, patient: Patient) -> None:
    fetch(token)

    event = AuditEvent.objects.get(action="reminders.calendar.fetch")
    assert (event.actor, event.actor_label, event.patient_id) == (None, "system", patient.pk)
    assert event.detail["via"] == "calendar feed"
    assert CalendarFeed.objects.get().last_fetched_at is not None


def test_it_stops_answering_a_revoked_link(token: str, patient: Patient) -> None:
    revoke_calendar_links(patient.user, patient)

    response = fetch(token)

    assert response.status_code == 404
    assert b"revoked" not in response.content.lower()
    assert AuditEvent.objects.filter(action="reminders.calendar.fetch").get().outcome == (
        "not_found"
    )


def test_it_stops_answering_once_the_login_is_deactivated(token: str, patient: Patient) -> None:
    User.objects.filter(patient=patient).update(is_active=False)

    assert fetch(token).status_code == 404


def test_it_stops_answering_the_old_link_once_renewed(token: str, patient: Patient) -> None:
    new = issue_calendar_link(patient.user, patient)

    assert fetch(token).status_code == 404
    assert len(events(fetch(new))) == 3


@pytest.mark.parametrize(
    "bad",
    ["x", "a" * 42, "a" * 44, "a" * 500, "%00" * 43, "..%2F..%2Fetc", "A" * 43, "é" * 43],
)
def test_it_answers_unknown_or_malformed_links_with_a_plain_404(token: str, bad: str) -> None:
    response = fetch(bad)

    assert response.status_code == 404
    # the site's not-found page: the forms' hidden CSRF inputs aside, it never speaks of tokens
    visible = re.sub(r"<input[^>]*>", "", response.content.decode().lower())
    assert "token" not in visible
    assert not AuditEvent.objects.filter(action="reminders.calendar.fetch", outcome="ok")


def test_it_records_a_fetch_of_an_unknown_link(db: None) -> None:
    assert fetch("b" * 43).status_code == 404

    event = AuditEvent.objects.get(action="reminders.calendar.fetch")
    assert (event.outcome, event.patient_id) == ("not_found", None)


def test_it_empties_the_calendar_while_the_programme_is_paused(
    token: str, patient: Patient
) -> None:
    RedFlagScreen.objects.create(patient=patient, positive_flags=["fever"], action="same_day")

    assert events(fetch(token)) == []


def test_it_empties_the_calendar_without_an_active_programme(token: str, patient: Patient) -> None:
    patient.programme_set.update(status="superseded")

    assert events(fetch(token)) == []
