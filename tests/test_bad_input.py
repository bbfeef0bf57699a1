"""Regressions from probing with bad input and database differences: a clear answer, never a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone

from backcare.alerts.models import Alert
from backcare.alerts.services import open_alerts
from backcare.instruments.models import Instrument
from backcare.logbook.models import Session
from backcare.patients.models import Patient
from backcare.testing import log_sessions, logged_in

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


def test_it_lists_open_alerts_before_seen_ones_on_every_database(
    patient: Patient, clinician: Any
) -> None:
    seen = Alert.objects.create(patient=patient, kind="pain_spike", key="a", message="seen")
    Alert.objects.filter(pk=seen.pk).update(acknowledged_at=timezone.now())
    open_ = Alert.objects.create(patient=patient, kind="red_flag", key="b", message="open")
    Alert.objects.filter(pk=open_.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert [a.pk for a in open_alerts(clinician)] == [open_.pk, seen.pk]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/patients/{HUGE}/programme",
        f"/api/v1/patients/{HUGE}/sessions",
        f"/api/v1/patients/{HUGE}/motion",
    ],
)
def test_it_answers_a_huge_patient_id_without_a_server_error(clinician: Any, path: str) -> None:
    assert logged_in(clinician).get(path).status_code in (404, 422)


@pytest.mark.parametrize("path", [f"/api/v1/me/sessions/{HUGE}/exercises/1/motion"])
def test_it_answers_a_huge_session_id_without_a_server_error(patient: Patient, path: str) -> None:
    assert logged_in(patient.user).get(path).status_code in (404, 422)


def test_it_refuses_a_huge_offset_with_a_named_field(patient: Patient) -> None:
    response = logged_in(patient.user).get(f"/api/v1/me/sessions?offset={HUGE}")
    assert response.status_code == 422
    assert "query.offset" in response.content.decode()


def test_it_refuses_an_edit_naming_an_item_of_another_programme(
    clinician: Any, patient: Patient, other_patient: Patient
) -> None:
    client = logged_in(clinician)
    client.post(f"/clinic/patients/{patient.pk}/programmes/new/")
    draft = patient.programme_set.get(status="draft")
    foreign = other_patient.programme_set.get().items.first()
    assert foreign is not None
    post: dict[str, Any] = {}
    for order, item in enumerate(draft.items.all(), start=1):
        p = f"item-{item.pk}-"
        post |= {
            p + "id": item.pk,
            p + "order": order,
            p + "sets": 2,
            p + "reps": 5,
            p + "hold_s": 5,
            p + "duration_min": 5,
            p + "rest_s": 30,
            p + "days_per_week": 5,
        }
    post[f"item-{draft.items.first().pk}-id"] = foreign.pk  # type: ignore[union-attr]
    response = client.post(f"/clinic/programmes/{draft.pk}/", post, follow=True)
    assert response.status_code == 200
    assert "changed while you were editing" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.sets != 2 or foreign.reps != 5


def test_it_refuses_deeply_nested_json_as_a_questionnaire(clinician: Any) -> None:
    response = logged_in(clinician).post(
        "/clinic/instruments/import/",
        {"questionnaire_json": "[" * 100_000, "owner": "o", "licence": "l", "attribution": "a"},
    )
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert not Instrument.objects.exists()


def test_it_takes_next_morning_pain_only_the_morning_after(patient: Patient) -> None:
    programme = patient.programme_set.get(status="active")
    log_sessions(programme, timezone.localdate() - timedelta(days=30), 1, 3, 3)
    session = Session.objects.get(patient=patient)
    session.next_morning_pain_0_10 = None
    session.save()
    logged_in(patient.user).post(f"/me/sessions/{session.pk}/morning-pain/", {"pain_0_10": 4})
    session.refresh_from_db()
    assert session.next_morning_pain_0_10 is None


def test_it_refuses_a_nul_character_in_session_notes(patient: Patient) -> None:
    programme = patient.programme_set.get(status="active")
    item = programme.items.first()
    assert item is not None
    body = {
        "client_id": "4f1c8a8e-2f7e-4f1e-9a53-0d8c4c1d2b7a",
        "performed_on": timezone.localdate().isoformat(),
        "notes": "a\u0000b",
        "exercises": [{"item_id": item.pk, "done": False}],
    }
    response = logged_in(patient.user).post(
        "/api/v1/me/sessions", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "body.notes" in response.content.decode()


TOO_BIG_FORMS = {
    "fields over the size limit": (
        "application/x-www-form-urlencoded",
        "notes=" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    ),
    "multipart fields over the size limit": (
        MULTIPART_CONTENT,
        {"notes": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    ),
    "too many fields": (
        "application/x-www-form-urlencoded",
        "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)),
    ),
}


@pytest.mark.parametrize("form", sorted(TOO_BIG_FORMS))
@pytest.mark.parametrize("path", ["/login/", "/account/"])
def test_a_page_answers_a_form_too_big_to_read_with_its_400_page(
    patient: Patient, form: str, path: str
) -> None:
    content_type, data = TOO_BIG_FORMS[form]
    token = "pagepagepagepagepagepagepagepage"  # CSRF checked, so the form is read
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_X_CSRFTOKEN=token)
    client.cookies["csrftoken"] = token
    assert patient.user is not None
    client.force_login(patient.user)

    response = client.post(path, data, content_type=content_type)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
