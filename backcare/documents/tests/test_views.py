"""Downloading the handout and the report: who gets what, the headers, and the audit."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.documents.tests.conftest import pdf_text
from backcare.patients.models import Patient, RedFlagScreen
from backcare.programmes.models import Programme
from backcare.testing import logged_in

MINE = {"programme": "/me/documents/programme.pdf", "progress": "/me/documents/progress.pdf"}
CLINIC = {
    "programme": "/clinic/patients/{pk}/programme.pdf",
    "progress": "/clinic/patients/{pk}/progress.pdf",
}
ACTIONS = {"programme": "document.programme.read", "progress": "document.progress.read"}


@pytest.mark.parametrize("kind", ["programme", "progress"])
def test_it_gives_the_patient_their_own_document(patient: Patient, kind: str) -> None:
    response = logged_in(patient.user).get(MINE[kind])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{kind}-pat-example-2025-03-12.pdf"'
    )
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert "Pat Example" in pdf_text(response.content)
    event = AuditEvent.objects.get(action=ACTIONS[kind])
    assert (event.actor, event.patient_id, event.outcome) == (patient.user, patient.pk, "ok")


@pytest.mark.parametrize("kind", ["programme", "progress"])
def test_it_gives_the_clinician_their_patients_document(
    clinician: User, patient: Patient, kind: str
) -> None:
    response = logged_in(clinician).get(CLINIC[kind].format(pk=patient.pk))

    assert response.status_code == 200
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "Pat Example" in pdf_text(response.content)
    event = AuditEvent.objects.get(action=ACTIONS[kind])
    assert (event.actor, event.patient_id) == (clinician, patient.pk)


@pytest.mark.parametrize("kind", ["programme", "progress"])
def test_it_hides_documents_from_another_clinic(
    outsider: User, patient: Patient, kind: str
) -> None:
    response = logged_in(outsider).get(CLINIC[kind].format(pk=patient.pk))

    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=outsider)
    assert (event.action, event.outcome, event.patient_id) == (
        ACTIONS[kind],
        "not_found",
        patient.pk,
    )


@pytest.mark.parametrize("kind", ["programme", "progress"])
def test_it_gives_another_patient_only_their_own_document(
    patient: Patient, other_patient: Patient, kind: str
) -> None:
    response = logged_in(other_patient.user).get(MINE[kind])

    text = pdf_text(response.content)
    assert "Quinn Example" in text
    assert "Pat Example" not in text
    assert AuditEvent.objects.get(action=ACTIONS[kind]).patient_id == other_patient.pk


@pytest.mark.parametrize("kind", ["programme", "progress"])
@pytest.mark.parametrize("persona", ["patient", "other_patient"])
def test_it_keeps_patients_out_of_the_clinicians_documents(
    request: pytest.FixtureRequest, patient: Patient, persona: str, kind: str
) -> None:
    user = request.getfixturevalue(persona).user

    response = logged_in(user).get(CLINIC[kind].format(pk=patient.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not AuditEvent.objects.filter(action=ACTIONS[kind]).exists()


@pytest.mark.parametrize("url", [*MINE.values(), *(u.format(pk=1) for u in CLINIC.values())])
def test_it_sends_anonymous_visitors_to_log_in(client: Any, patient: Patient, url: str) -> None:
    response = client.get(url.replace("/1/", f"/{patient.pk}/"))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


@pytest.mark.parametrize("kind", ["programme", "progress"])
def test_it_answers_404_to_a_clinician_on_the_patients_own_urls(clinician: User, kind: str) -> None:
    assert logged_in(clinician).get(MINE[kind]).status_code == 404


def test_it_prints_no_handout_while_a_red_flag_stops_the_programme(patient: Patient) -> None:
    RedFlagScreen.objects.create(
        patient=patient, positive_flags=["saddle_numbness"], action="emergency_now"
    )

    response = logged_in(patient.user).get(MINE["programme"], follow=True)

    assert response.redirect_chain == [("/me/", 302)]
    assert "The programme is stopped because of a warning sign" in response.content.decode()
    event = AuditEvent.objects.get(action="document.programme.read")
    assert event.detail == {"refused": "red flag open"}


def test_it_sends_the_clinician_back_when_there_is_no_programme(
    clinician: User, patient: Patient
) -> None:
    Programme.objects.filter(patient=patient).update(status=Programme.Status.SUPERSEDED)

    response = logged_in(clinician).get(CLINIC["programme"].format(pk=patient.pk), follow=True)

    assert response.redirect_chain == [(f"/clinic/patients/{patient.pk}/", 302)]
    assert "There is no active programme to print yet." in response.content.decode()


def test_it_names_the_file_safely_whatever_the_patients_name(
    clinician: User, patient: Patient
) -> None:
    Patient.objects.filter(pk=patient.pk).update(first_name='Zoë "x"/..', last_name="Núñez;\r\n")

    response = logged_in(clinician).get(CLINIC["programme"].format(pk=patient.pk))

    assert response["Content-Disposition"] == (
        'attachment; filename="programme-zoe-x-nunez-2025-03-12.pdf"'
    )


def test_it_links_the_patients_documents_from_their_pages(patient: Patient) -> None:
    client = logged_in(patient.user)

    assert f'href="{MINE["programme"]}"' in client.get("/me/").content.decode()
    assert f'href="{MINE["progress"]}"' in client.get("/me/progress/").content.decode()


def test_it_links_the_documents_from_the_clinicians_pages(
    clinician: User, patient: Patient
) -> None:
    client = logged_in(clinician)
    record = client.get(f"/clinic/patients/{patient.pk}/").content.decode()
    timeline = client.get(f"/clinic/patients/{patient.pk}/timeline/").content.decode()

    for kind in ("programme", "progress"):
        assert f'href="{CLINIC[kind].format(pk=patient.pk)}"' in record
    assert f'href="{CLINIC["progress"].format(pk=patient.pk)}"' in timeline
