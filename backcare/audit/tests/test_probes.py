"""Wrong secret links are audited, and limited per address so they cannot flood the trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import Clinic, Invitation, User
from backcare.audit.models import AuditEvent
from backcare.audit.probes import WRONG_LINK_LIMIT, WRONG_LINK_WINDOW_S
from backcare.patients.models import Patient
from backcare.reminders.services import issue_calendar_link

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROBER = "203.0.113.7"


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)


def client(address: str = PROBER) -> Client:
    return Client(REMOTE_ADDR=address)


def wrong_calendar(number: int) -> str:
    return f"/calendar/{str(number).zfill(43)}.ics"


def wrong_invitation(number: int) -> str:
    return f"/invite/{str(number).zfill(43)}/"


def rows(outcome: str) -> int:
    return AuditEvent.objects.filter(outcome=outcome).count()


def probe_up_to_the_limit(address: str = PROBER) -> None:
    for number in range(WRONG_LINK_LIMIT):
        assert client(address).get(wrong_calendar(number)).status_code == 404


def test_the_limit_is_30_wrong_links_in_15_minutes() -> None:
    assert (WRONG_LINK_LIMIT, WRONG_LINK_WINDOW_S) == (30, 15 * 60)


def test_it_audits_wrong_links_up_to_the_limit(db: None) -> None:
    probe_up_to_the_limit()

    assert rows("not_found") == WRONG_LINK_LIMIT
    event = AuditEvent.objects.filter(outcome="not_found").first()
    assert event is not None
    assert (event.action, event.actor_label, event.patient_id) == (
        "reminders.calendar.fetch",
        "system",
        None,
    )
    assert event.detail == {"via": "calendar feed"}


def test_the_first_link_over_the_limit_gets_429_and_one_throttled_row(db: None) -> None:
    probe_up_to_the_limit()

    response = client().get(wrong_calendar(999))

    assert response.status_code == 429
    assert response["Retry-After"] == str(WRONG_LINK_WINDOW_S)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert rows("not_found") == WRONG_LINK_LIMIT
    throttled = AuditEvent.objects.get(outcome="throttled")
    assert throttled.action == "reminders.calendar.fetch"
    assert throttled.detail == {"via": "calendar feed", "limit": 30, "window_s": 900}
    assert PROBER not in str(throttled.detail)  # an address is personal data; rows stay


def test_later_links_over_the_limit_write_no_row(db: None, time_machine: Any) -> None:
    probe_up_to_the_limit()
    client().get(wrong_calendar(999))
    before = AuditEvent.objects.count()
    time_machine.move_to(START + timedelta(minutes=5), tick=False)

    response = client().get(wrong_calendar(1000))

    assert response.status_code == 429
    assert response["Retry-After"] == str(10 * 60)  # the window opened with the first link
    assert AuditEvent.objects.count() == before


def test_a_valid_calendar_link_is_served_and_audited_from_a_throttled_address(
    patient: Patient,
) -> None:
    token = issue_calendar_link(patient.user, patient)
    probe_up_to_the_limit()
    assert client().get(wrong_calendar(999)).status_code == 429

    response = client().get(f"/calendar/{token}.ics")

    assert response.status_code == 200
    served = AuditEvent.objects.filter(action="reminders.calendar.fetch", outcome="ok")
    assert served.get().patient_id == patient.pk
    assert client().get(wrong_calendar(1000)).status_code == 429  # and it was not counted


def test_a_valid_invitation_is_served_from_a_throttled_address(
    clinician: User, clinic: Clinic
) -> None:
    invited = Patient.objects.create(
        clinic=clinic, first_name="Ines", last_name="Invited", baseline_pain_0_10=5
    )
    _, token = Invitation.issue(invited, clinician)
    probe_up_to_the_limit()

    response = client().get(f"/invite/{token}/")

    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()
    assert AuditEvent.objects.filter(action="invitation.view", outcome="ok").count() == 1


def test_invitation_and_calendar_links_share_the_count(db: None) -> None:
    for number in range(WRONG_LINK_LIMIT):
        url = wrong_invitation(number) if number % 2 else wrong_calendar(number)
        assert client().get(url).status_code == 404

    response = client().post(wrong_invitation(999), {"username": "x"})

    assert response.status_code == 429
    assert response["Retry-After"] == str(WRONG_LINK_WINDOW_S)
    assert response["Content-Type"].startswith("text/html")
    assert "Too many wrong links" in response.content.decode()
    assert AuditEvent.objects.filter(action="invitation.view", outcome="not_found").count() == 15
    assert AuditEvent.objects.get(outcome="throttled").action == "invitation.view"


def test_another_address_is_not_limited(db: None) -> None:
    probe_up_to_the_limit()

    assert client("198.51.100.20").get(wrong_calendar(999)).status_code == 404
    assert rows("not_found") == WRONG_LINK_LIMIT + 1


def test_the_address_is_counted_afresh_after_15_minutes(db: None, time_machine: Any) -> None:
    probe_up_to_the_limit()
    assert client().get(wrong_calendar(999)).status_code == 429
    time_machine.move_to(START + timedelta(minutes=15, seconds=1), tick=False)

    probe_up_to_the_limit()
    assert client().get(wrong_calendar(999)).status_code == 429

    assert rows("not_found") == 2 * WRONG_LINK_LIMIT
    assert rows("throttled") == 2
