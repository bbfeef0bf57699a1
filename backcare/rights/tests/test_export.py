"""The full export: everything held about one patient, for them and for their clinician."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backcare.accounts.models import Invitation, User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.reminders.models import CalendarFeed
from backcare.rights.registry import SECTIONS
from backcare.rights.services import SCHEMA_VERSION, export_patient
from backcare.rights.tests.conftest import fill_every_section
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db


def _download(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)  # type: ignore[no-any-return]


def _clinic_url(patient: Patient) -> str:
    return reverse("patient_data_export", args=[patient.pk])


def test_it_exports_a_row_in_every_section_and_each_belongs_to_the_patient(
    patient: Patient, clinician: User
) -> None:
    fill_every_section(patient, clinician)
    data = export_patient(clinician, patient)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["clinic"]["name"] == "Riverside Physio"
    assert data["patient"]["id"] == patient.pk and data["patient"]["email"] == patient.email
    assert data["login"]["username"] == patient.user.username  # type: ignore[union-attr]
    empty = [section.name for section in SECTIONS if not data[section.name]]
    assert empty == []
    assert {row["patient_id"] for row in data["sessions"] + data["alerts"]} == {patient.pk}
    assert {e["slug"] for e in data["exercises"]} >= {"bridge", "abdominal-bracing"}
    assert [i["title"] for i in data["instruments"]] == ["A scale"]


def test_it_leaves_out_the_password_and_token_hashes(patient: Patient, clinician: User) -> None:
    fill_every_section(patient, clinician)
    text = json.dumps(export_patient(clinician, patient), default=str)
    assert patient.user.password not in text  # type: ignore[union-attr]
    hashes = [feed.token_hash for feed in CalendarFeed.objects.all()]
    hashes += [invitation.token_hash for invitation in Invitation.objects.all()]
    assert len(hashes) == 2 and not any(value in text for value in hashes)
    assert "token_hash" not in text
    assert "password" not in text


def test_it_includes_the_audit_events_about_the_patient_and_audits_the_export(
    patient: Patient, clinician: User
) -> None:
    fill_every_section(patient, clinician)
    data = export_patient(clinician, patient)
    actions = [event["action"] for event in data["audit_events"]]
    assert "reminders.email.fail" in actions and "logbook.today.view" in actions
    assert actions[-1] == "patient.export"
    assert (
        AuditEvent.objects.filter(
            action="patient.export", patient_id=patient.pk, actor=clinician
        ).count()
        == 1
    )


def test_it_holds_nothing_of_another_patient(
    patient: Patient, other_patient: Patient, clinician: User
) -> None:
    fill_every_section(other_patient, clinician)
    data = export_patient(clinician, patient)
    assert other_patient.email not in json.dumps(data, default=str)
    assert data["alerts"] == [] and data["check_ins"] == []


def test_the_clinician_downloads_it_as_an_uncached_attachment(
    patient: Patient, clinician: User
) -> None:
    response = logged_in(clinician).get(_clinic_url(patient))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["patient"]["id"] == patient.pk


def test_another_clinics_clinician_gets_404_and_the_miss_is_audited(
    patient: Patient, outsider: User
) -> None:
    assert logged_in(outsider).get(_clinic_url(patient)).status_code == 404
    miss = AuditEvent.objects.get(action="patient.export", actor=outsider)
    assert miss.outcome == AuditEvent.Outcome.NOT_FOUND and miss.patient_id == patient.pk


def test_patients_and_anonymous_visitors_cannot_use_the_clinic_download(
    patient: Patient, other_patient: Patient
) -> None:
    for client in (logged_in(other_patient.user), logged_in(patient.user), Client()):
        response = client.get(_clinic_url(patient))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action="patient.export").exists()


def test_the_patient_downloads_their_own_data(patient: Patient) -> None:
    response = logged_in(patient.user).get(reverse("my_data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["patient"]["id"] == patient.pk
    assert (
        AuditEvent.objects.filter(
            action="patient.export", actor=patient.user, patient_id=patient.pk
        ).count()
        == 1
    )


def test_another_patient_downloads_only_their_own(
    patient: Patient, other_patient: Patient, clinician: User
) -> None:
    fill_every_section(patient, clinician)
    data = _download(logged_in(other_patient.user), reverse("my_data_export"))
    assert data["patient"]["id"] == other_patient.pk
    assert patient.email not in json.dumps(data)
    assert data["sessions"] == []


def test_clinicians_and_anonymous_visitors_have_no_own_download(clinician: User) -> None:
    assert logged_in(clinician).get(reverse("my_data_export")).status_code == 404
    response = Client().get(reverse("my_data_export"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_exports_the_same_data_with_spanish_active(patient: Patient) -> None:
    client = logged_in(patient.user)
    response = client.get(reverse("my_data_export"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert json.loads(response.content)["patient"]["stage"] == "initial"  # data, not words
