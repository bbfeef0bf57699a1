"""The clinic's time zone: set on its settings page or when it is created, audited, its own."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from backcare.accounts.models import Clinic, User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db

URL = reverse("clinic_rules")


def test_it_shows_the_clinics_zone_on_its_settings_page(clinician: User) -> None:
    response = logged_in(clinician).get(URL)

    assert response.context["zone_form"]["time_zone"].value() == "UTC"
    assert "Save time zone" in response.content.decode()


def test_it_saves_the_zone_audited_and_lists_the_change(clinician: User, clinic: Clinic) -> None:
    client = logged_in(clinician)
    response = client.post(URL, {"time_zone": "Europe/London"}, follow=True)

    clinic.refresh_from_db()
    assert clinic.time_zone == "Europe/London"
    assert "Time zone saved." in response.content.decode()
    event = AuditEvent.objects.get(action="clinic.time_zone.update")
    assert (event.actor, event.patient_id, event.object_id) == (clinician, None, str(clinic.pk))
    assert event.detail == {"changed": {"time_zone": {"from": "UTC", "to": "Europe/London"}}}
    assert "Time zone: UTC → Europe/London" in client.get(URL).content.decode()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "Europe/London\x00"])
def test_it_refuses_a_name_that_is_no_time_zone_and_saves_nothing(
    clinician: User, clinic: Clinic, zone: str
) -> None:
    response = logged_in(clinician).post(URL, {"time_zone": zone})

    assert response.status_code == 200
    assert response.context["zone_form"].errors["time_zone"]
    clinic.refresh_from_db()
    assert clinic.time_zone == "UTC"
    assert not AuditEvent.objects.filter(action="clinic.time_zone.update").exists()


def test_it_changes_only_the_clinicians_own_clinic(
    clinician: User, clinic: Clinic, outsider: User
) -> None:
    logged_in(outsider).post(URL, {"time_zone": "Asia/Tokyo"})

    clinic.refresh_from_db()
    assert outsider.clinic is not None
    outsider.clinic.refresh_from_db()
    assert (clinic.time_zone, outsider.clinic.time_zone) == ("UTC", "Asia/Tokyo")


def test_it_keeps_patients_and_anonymous_visitors_out(patient: Patient, clinic: Clinic) -> None:
    for client in (logged_in(patient.user), Client()):
        response = client.post(URL, {"time_zone": "Asia/Tokyo"})
        assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.time_zone == "UTC"


def test_it_creates_a_clinic_in_the_zone_given(db: None) -> None:
    call_command(
        "create_clinic", "Auckland Physio", "--time-zone", "Pacific/Auckland", stdout=StringIO()
    )

    assert Clinic.objects.get(name="Auckland Physio").time_zone == "Pacific/Auckland"


def test_it_refuses_to_create_a_clinic_in_no_known_zone(db: None) -> None:
    with pytest.raises(CommandError, match="not a time zone we know"):
        call_command("create_clinic", "Nowhere Physio", "--time-zone", "Nowhere/City")

    assert not Clinic.objects.filter(name="Nowhere Physio").exists()
