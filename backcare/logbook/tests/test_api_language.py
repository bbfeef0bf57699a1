"""The API answers in the requester's language: problem titles and details, field messages and
the programme's reasons (the patient's wording for a patient, the clinician's for a clinician)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.logbook.tests.conftest import TODAY, items_of, session_json
from backcare.patients.models import Patient
from backcare.programmes import services as programmes
from backcare.programmes.models import Programme
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db


def in_spanish(user: User | None) -> Client:
    assert user is not None
    user.language = "es"
    user.save(update_fields=["language"])
    return logged_in(user)


def test_a_problem_is_titled_and_told_in_the_patients_language(patient: Patient) -> None:
    Programme.objects.filter(patient=patient).update(status=Programme.Status.SUPERSEDED)

    body = in_spanish(patient.user).get("/api/v1/me/programme").json()

    assert (body["title"], body["detail"]) == ("No encontrado", "No hay ningún programa activo.")
    assert body["type"] == "urn:backcare:problem:no-active-programme"


def test_field_messages_are_in_the_patients_language(patient: Patient) -> None:
    future = session_json(patient, performed_on=(TODAY + timedelta(days=2)).isoformat())

    response = in_spanish(patient.user).post(
        "/api/v1/me/sessions", json.dumps(future), content_type="application/json"
    )

    body = response.json()
    assert (response.status_code, body["title"]) == (422, "Contenido no procesable")
    assert body["detail"] == "La sesión no se ha guardado."
    assert {"field": "body.performed_on", "message": "no puede ser una fecha futura"} in body[
        "errors"
    ]


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v1/nowhere", "No encontrado."),
        ("/api/v1/me/programme", "Inicia sesión primero."),
    ],
)
def test_an_anonymous_problem_follows_the_browsers_language(
    db: Any, path: str, detail: str
) -> None:
    body = Client().get(path, HTTP_ACCEPT_LANGUAGE="es").json()

    assert body["detail"] == detail


def test_reasons_are_worded_for_who_asks_in_their_language(
    patient: Patient, clinician: User
) -> None:
    programme = programmes.draft_programme(clinician, patient)
    programmes.assign(clinician, programme)
    assert items_of(patient)

    mine = in_spanish(patient.user).get("/api/v1/me/programme").json()
    theirs = logged_in(clinician).get(f"/api/v1/patients/{patient.pk}/programme").json()

    assert "como aconsejan las guías de salud" in mine["aerobic"]["reason"]
    assert "(WHO 2020)" in theirs["aerobic"]["reason"]
    assert all(item["reason"] and "_" not in item["reason"] for item in mine["items"])
