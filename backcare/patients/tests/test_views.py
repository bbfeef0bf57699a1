"""Clinician patient pages: owner, other clinic, patient, anonymous; intake and red flags."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import Invitation
from backcare.audit.models import AuditEvent
from backcare.core.screening import RED_FLAGS
from backcare.patients.models import Patient
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db


def intake(**overrides: Any) -> dict[str, Any]:
    """A complete, valid intake form post with every red-flag question answered no."""
    data = {
        "intake-first_name": "Robin",
        "intake-last_name": "Reed",
        "intake-email": "robin@example.org",
        "intake-baseline_pain_0_10": "6",
        "intake-stage": "initial",
        "intake-risk_group": "medium",
        "intake-equipment": ["wall", "chair"],
        "intake-excluded_positions": ["prone"],
        "intake-goals": "Walk the dog",
    }
    data |= {f"screen-flag_{flag.key}": "no" for flag in RED_FLAGS}
    return data | overrides


@pytest.mark.parametrize("url", ["/clinic/patients/{pk}/", "/clinic/patients/{pk}/screen/"])
def test_it_shows_the_patient_to_their_clinician(
    clinician: Any, patient: Patient, url: str
) -> None:
    response = logged_in(clinician).get(url.format(pk=patient.pk))
    assert response.status_code == 200
    assert patient.full_name in response.content.decode()


@pytest.mark.parametrize("url", ["/clinic/patients/{pk}/", "/clinic/patients/{pk}/screen/"])
def test_it_hides_the_patient_from_another_clinic(
    outsider: Any, patient: Patient, url: str
) -> None:
    response = logged_in(outsider).get(url.format(pk=patient.pk))
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=outsider)
    assert event.outcome == "not_found"


@pytest.mark.parametrize(
    "url", ["/clinic/patients/{pk}/", "/clinic/patients/", "/clinic/patients/new/"]
)
def test_it_keeps_patients_out_of_clinician_pages(
    patient: Patient, other_patient: Patient, url: str
) -> None:
    response = logged_in(other_patient.user).get(url.format(pk=patient.pk))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "url", ["/clinic/patients/{pk}/", "/clinic/patients/", "/clinic/patients/new/"]
)
def test_it_sends_anonymous_visitors_to_log_in(patient: Patient, url: str) -> None:
    response = Client().get(url.format(pk=patient.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_lists_only_the_clinicians_own_patients(
    clinician: Any, outsider: Any, patient: Patient
) -> None:
    assert patient.full_name in logged_in(clinician).get("/clinic/patients/").content.decode()
    assert patient.full_name not in logged_in(outsider).get("/clinic/patients/").content.decode()
    assert AuditEvent.objects.filter(action="patient.list").count() == 2


def test_it_creates_a_patient_from_a_clean_intake(clinician: Any, library: Any) -> None:
    response = logged_in(clinician).post("/clinic/patients/new/", intake())
    patient = Patient.objects.get(last_name="Reed")
    assert response["Location"] == f"/clinic/patients/{patient.pk}/"
    assert patient.clinic == clinician.clinic
    assert patient.equipment == ["wall", "chair"]
    assert not patient.red_flag_open
    (row,) = AuditEvent.objects.filter(patient_id=patient.pk)  # one request, one row
    assert row.actions == ["patient.create", "redflag.screen"]


@pytest.mark.parametrize(
    ("flag", "where"),
    [
        ("saddle_numbness", "emergency department now"),
        ("fever", "seen by a doctor today"),
        ("weight_loss", "appointment with your doctor"),
    ],
)
def test_it_stops_the_programme_and_says_where_to_seek_care_on_a_red_flag(
    clinician: Any, library: Any, flag: str, where: str
) -> None:
    client = logged_in(clinician)
    client.post("/clinic/patients/new/", intake(**{f"screen-flag_{flag}": "yes"}))
    patient = Patient.objects.get(last_name="Reed")
    page = client.get(f"/clinic/patients/{patient.pk}/").content.decode()
    assert "Red flag" in page
    assert where in page
    response = client.post(f"/clinic/patients/{patient.pk}/programmes/new/")
    assert response.status_code == 302
    assert not patient.programme_set.exists()


def test_it_lifts_the_stop_after_a_clean_rescreen(clinician: Any, library: Any) -> None:
    client = logged_in(clinician)
    client.post("/clinic/patients/new/", intake(**{"screen-flag_fever": "yes"}))
    patient = Patient.objects.get(last_name="Reed")
    screen = {f"screen-flag_{f.key}": "no" for f in RED_FLAGS} | {"screen-note": "GP: viral, ok"}
    client.post(f"/clinic/patients/{patient.pk}/screen/", screen)
    assert not patient.red_flag_open
    client.post(f"/clinic/patients/{patient.pk}/programmes/new/")
    assert patient.programme_set.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"intake-baseline_pain_0_10": "11"}, "baseline_pain_0_10", "less than or equal to 10"),
        ({"intake-email": "not-an-email"}, "email", "valid email"),
        ({"intake-equipment": ["trampoline"]}, "equipment", "not one of the available choices"),
        ({"screen-flag_fever": ""}, "flag_fever", "Answer yes or no."),
        ({"intake-date_of_birth": "9999-12-31"}, "date_of_birth", "cannot be in the future"),
        ({"intake-date_of_birth": "0001-01-01"}, "date_of_birth", "older than 120"),
    ],
)
def test_it_rejects_bad_intake_with_a_form_error_and_keeps_the_answers(
    clinician: Any, library: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = logged_in(clinician).post("/clinic/patients/new/", intake(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Robin"' in page
    assert not Patient.objects.exists()


def test_it_invites_the_patient_by_email_with_a_working_link(
    clinician: Any, library: Any, mailoutbox: list[Any]
) -> None:
    client = logged_in(clinician)
    client.post("/clinic/patients/new/", intake())
    patient = Patient.objects.get(last_name="Reed")
    client.post(f"/clinic/patients/{patient.pk}/invite/")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["robin@example.org"]
    link = next(w for w in mailoutbox[0].body.split() if "/invite/" in w)
    path = link.split("8000", 1)[1]
    response = Client().post(
        path,
        {
            "username": "robin",
            "new_password1": "a-long pass phrase",
            "new_password2": "a-long pass phrase",
        },
    )
    assert response["Location"] == "/me/"
    patient.refresh_from_db()
    assert patient.user is not None and patient.user.username == "robin"
    assert Client().get(path).status_code == 404  # the link works once


def test_it_refuses_inviting_another_clinics_patient(outsider: Any, patient: Patient) -> None:
    assert logged_in(outsider).post(f"/clinic/patients/{patient.pk}/invite/").status_code == 404


def test_it_records_each_view_of_an_invitation_page(clinician: Any, patient: Patient) -> None:
    _, token = Invitation.issue(patient, clinician)
    before = AuditEvent.objects.count()
    assert Client().get(f"/invite/{token}/").status_code == 200
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.first()
    assert event is not None
    assert (event.action, event.patient_id, event.actor_label) == (
        "invitation.view",
        patient.pk,
        "anonymous",
    )


def test_it_records_a_screen_and_an_invitation_in_one_audit_row_each(
    clinician: Any, clinic: Any, library: Any
) -> None:
    patient = Patient.objects.create(
        clinic=clinic,
        first_name="Robin",
        last_name="Reed",
        baseline_pain_0_10=5,
        email="robin@example.org",
    )
    client = logged_in(clinician)
    for path, data, action in [
        ("screen/", {f"screen-flag_{flag.key}": "no" for flag in RED_FLAGS}, "redflag.screen"),
        ("invite/", {}, "invitation.issue"),
    ]:
        before = AuditEvent.objects.count()
        client.post(f"/clinic/patients/{patient.pk}/{path}", data)
        written = AuditEvent.objects.count() - before
        assert list(AuditEvent.objects.values_list("action", flat=True)[:written]) == [action]


@pytest.mark.parametrize(
    ("born", "accepted"),
    [("1906-03-10", True), ("1906-03-09", False), ("2026-03-10", True), ("2026-03-11", False)],
)
def test_a_birth_date_may_give_an_age_from_0_to_120(
    clinician: Any, library: Any, time_machine: Any, born: str, accepted: bool
) -> None:
    time_machine.move_to("2026-03-10 12:00", tick=False)
    logged_in(clinician).post("/clinic/patients/new/", intake(**{"intake-date_of_birth": born}))
    assert Patient.objects.exists() == accepted
