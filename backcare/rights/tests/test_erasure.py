"""Erasure: the health data goes, the subject is pseudonymised, the audit trail stays."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import models
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from backcare.accounts.models import Invitation, User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.rights.registry import SECTIONS, paths_to_subjects, patient_linked_models
from backcare.rights.services import AlreadyErased, erase_patient, export_patient
from backcare.rights.tests.conftest import fill_every_section
from backcare.testing import PASSWORD, logged_in

pytestmark = pytest.mark.django_db
KEPT = {"patients.Patient", "accounts.User", "audit.AuditEvent"}


def _rows_about(patient: Patient, user: User | None) -> dict[str, int]:
    """Rows of every patient-linked model reaching ``patient`` or ``user`` by any path."""
    counts = {}
    for model in patient_linked_models():
        if model._meta.label in KEPT:
            continue
        query = models.Q(pk__in=[])
        for path in paths_to_subjects(model):
            target = _end_of(model, path)
            if target is Patient:
                query |= models.Q(**{path: patient})
            elif user is not None:
                query |= models.Q(**{path: user})
        counts[model._meta.label] = model._default_manager.filter(query).count()
    return counts


def _health_rows(patient: Patient) -> list[int]:
    """Row counts of the exported sections only (the excluded models hold nothing of theirs)."""
    counts = _rows_about(patient, patient.user)
    return [counts[section.model_label] for section in SECTIONS]


def _end_of(model: Any, path: str) -> Any:
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _erase_url(patient: Patient) -> str:
    return reverse("erase_patient", args=[patient.pk])


@pytest.fixture
def full(patient: Patient, clinician: User) -> Patient:
    fill_every_section(patient, clinician)
    return patient


def test_no_patient_linked_row_but_the_audit_trail_remains(full: Patient, clinician: User) -> None:
    user = full.user
    assert all(_health_rows(full))  # every kind was there before
    erase_patient(clinician, full, "Patient asked in writing")
    assert {label: n for label, n in _rows_about(full, user).items() if n} == {}


def test_the_audit_trail_is_kept_and_grows_by_one_erasure_row(
    full: Patient, clinician: User
) -> None:
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    erasure = erase_patient(clinician, full, "Patient asked in writing")
    after = AuditEvent.objects.values_list("pk", flat=True)
    assert before < set(after) and len(after) == len(before) + 1
    row = AuditEvent.objects.get(action="patient.erase")
    assert (row.actor, row.patient_id) == (clinician, full.pk)
    assert row.detail["reason"] == "Patient asked in writing"
    assert row.detail["deleted"]["sessions"] == 1 and erasure.deleted["invitations"] == 1


def test_it_pseudonymises_the_patient_and_their_login(full: Patient, clinician: User) -> None:
    user_pk = full.user_id
    assert user_pk is not None
    erase_patient(clinician, full, "Patient asked")
    patient = Patient.objects.get(pk=full.pk)
    assert patient.full_name == f"Erased patient {full.pk}"
    assert (patient.email, patient.date_of_birth, patient.goals, patient.conditions) == (
        "",
        None,
        "",
        [],
    )
    user = User.objects.get(pk=user_pk)
    assert user.username == f"erased-patient-{full.pk}"
    assert (user.email, user.first_name, user.is_active) == ("", "Erased patient", False)
    assert not user.has_usable_password()


def test_the_patient_can_no_longer_log_in_or_use_an_open_session(
    full: Patient, clinician: User
) -> None:
    old_username = full.user.username  # type: ignore[union-attr]
    browser = logged_in(full.user)
    assert browser.get(reverse("my_progress")).status_code == 200
    erase_patient(clinician, full, "Patient asked")
    # django-axes' backend needs the request a login comes with
    assert not Client().login(username=old_username, password=PASSWORD, request=HttpRequest())
    erased = f"erased-patient-{full.pk}"
    assert not Client().login(username=erased, password=PASSWORD, request=HttpRequest())
    response = browser.get(reverse("my_progress"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_audit_trail_never_held_the_persons_words_and_is_not_rewritten(
    full: Patient, clinician: User
) -> None:
    email, username = full.email, full.user.username  # type: ignore[union-attr]
    about = AuditEvent.objects.filter(patient_id=full.pk)
    before = list(about.order_by("pk").values())
    erase_patient(clinician, full, f"{full.first_name} {full.last_name} asked by phone")
    assert list(about.exclude(action="patient.erase").order_by("pk").values()) == before
    text = json.dumps(list(about.values("actor_label", "detail")))
    assert not re.search(rf"\b({re.escape(email)}|{re.escape(username)})\b", text)
    failure = about.get(action="reminders.email.fail")
    assert failure.detail["note"] == "550 mailbox [e-mail address] unavailable"
    own = about.get(action="logbook.today.view")
    assert own.actor_label == f"patient:{full.user_id}"
    reason = about.get(action="patient.erase").detail["reason"]
    assert reason == f"Erased patient {full.pk} asked by phone"


def test_a_second_erasure_is_refused_and_changes_nothing(full: Patient, clinician: User) -> None:
    erase_patient(clinician, full, "Patient asked")
    count = AuditEvent.objects.count()
    with pytest.raises(AlreadyErased):
        erase_patient(clinician, Patient.objects.get(pk=full.pk), "Again")
    assert AuditEvent.objects.count() == count


def test_only_a_clinician_of_the_patients_clinic_can_erase(full: Patient, outsider: User) -> None:
    with pytest.raises(Patient.DoesNotExist):
        erase_patient(outsider, full, "Not mine")
    with pytest.raises(Patient.DoesNotExist):
        erase_patient(full.user, full, "A patient cannot erase through the clinic's service")  # type: ignore[arg-type]
    assert Patient.objects.get(pk=full.pk).email == full.email


def test_other_patients_are_untouched(
    full: Patient, other_patient: Patient, clinician: User
) -> None:
    fill_every_section(other_patient, clinician)
    before = _rows_about(other_patient, other_patient.user)
    exported = export_patient(clinician, other_patient)
    erase_patient(clinician, full, "Patient asked")
    assert _rows_about(other_patient, other_patient.user) == before
    after = export_patient(clinician, other_patient)
    assert {k: v for k, v in after.items() if k not in {"generated_at", "audit_events"}} == {
        k: v for k, v in exported.items() if k not in {"generated_at", "audit_events"}
    }
    other = other_patient.user.username  # type: ignore[union-attr]
    assert Client().login(username=other, password=PASSWORD, request=HttpRequest())


# --- the page ---------------------------------------------------------------------------------


def test_the_clinician_sees_the_confirmation_form(full: Patient, clinician: User) -> None:
    response = logged_in(clinician).get(_erase_url(full))
    assert response.status_code == 200
    html = response.content.decode()
    assert full.full_name in html
    inline_script = re.search(r"<script(?![^>]*\bsrc=)", html)  # a script file is allowed
    assert "style=" not in html and not inline_script  # nothing the CSP would block
    assert AuditEvent.objects.filter(action="patient.erase.view", patient_id=full.pk).exists()


def test_the_page_answers_404_to_another_clinic_and_sends_others_to_log_in(
    full: Patient, outsider: User, other_patient: Patient
) -> None:
    assert logged_in(outsider).get(_erase_url(full)).status_code == 404
    assert logged_in(outsider).post(_erase_url(full), _valid(full)).status_code == 404
    for client in (logged_in(other_patient.user), logged_in(full.user), Client()):
        response = client.post(_erase_url(full), _valid(full))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert Patient.objects.get(pk=full.pk).email == full.email


def _valid(patient: Patient, **changes: str) -> dict[str, str]:
    return {"confirm_name": patient.full_name, "reason": "Asked in writing"} | changes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"confirm_name": "Someone Else"}, "confirm_name"),
        ({"confirm_name": ""}, "confirm_name"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_it_refuses_a_wrong_name_or_a_missing_reason_and_deletes_nothing(
    full: Patient, clinician: User, changes: dict[str, str], field: str
) -> None:
    response = logged_in(clinician).post(_erase_url(full), _valid(full, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert all(_health_rows(full))
    refused = AuditEvent.objects.get(action="patient.erase", patient_id=full.pk)
    assert refused.outcome == AuditEvent.Outcome.INVALID and refused.detail["fields"] == [field]


def test_it_accepts_the_name_in_another_case_and_spacing(full: Patient, clinician: User) -> None:
    typed = f"  {full.first_name.upper()}   {full.last_name.lower()} "
    response = logged_in(clinician).post(_erase_url(full), _valid(full, confirm_name=typed))
    assert response.status_code == 302
    assert Patient.objects.get(pk=full.pk).first_name == "Erased patient"


@pytest.mark.parametrize("language", ["en-gb", "es"])
def test_the_clinician_erases_from_the_page_in_either_language(
    full: Patient, clinician: User, language: str
) -> None:
    client = logged_in(clinician)
    page = client.get(_erase_url(full), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200 and f'lang="{language}"' in page.content.decode()
    response = client.post(_erase_url(full), _valid(full), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_detail", args=[full.pk])
    assert not any(_rows_about(full, None).values())
    again = client.post(_erase_url(full), _valid(full), HTTP_ACCEPT_LANGUAGE=language)
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="patient.erase", outcome="ok").count() == 1
    page = client.get(_erase_url(full))
    assert page.status_code == 200 and page.context["erased_at"] is not None
    assert '<form method="post" class="card"' not in page.content.decode()


def test_it_erases_a_patient_who_never_had_a_login(clinic: Any, clinician: User) -> None:
    patient = Patient.objects.create(
        clinic=clinic,
        first_name="Nora",
        last_name="Nologin",
        email="nora@example.org",
        baseline_pain_0_10=5,
    )
    Invitation.issue(patient, clinician)
    assert export_patient(clinician, patient)["login"] is None
    erase_patient(clinician, patient, "Asked before ever logging in")
    assert not any(_rows_about(patient, None).values())
    assert Patient.objects.get(pk=patient.pk).full_name == f"Erased patient {patient.pk}"
