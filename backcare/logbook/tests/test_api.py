from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.logbook.models import Session
from backcare.logbook.services import log_session
from backcare.logbook.tests.conftest import (
    TODAY,
    YESTERDAY,
    entry_json,
    items_of,
    payload_of,
    raise_red_flag,
    session_json,
)
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import logged_in

PROBLEM = "application/problem+json"


def post_session(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/v1/me/sessions", data, content_type="application/json")


def fields_of(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


def test_it_gives_the_patient_their_active_programme(patient: Patient) -> None:
    response = logged_in(patient.user).get("/api/v1/me/programme")

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert [i["slug"] for i in body["items"]] == ["abdominal-bracing", "bridge", "walking"]
    bridge = body["items"][1]
    assert (bridge["dose_type"], bridge["sets"], bridge["reps"], bridge["reason"]) == (
        "reps",
        3,
        10,
        "test",
    )
    assert bridge["dose_text"].startswith("3 × 10 reps")
    assert body["aerobic"] is None


def test_it_includes_the_aerobic_prescription(patient: Patient, library: Any) -> None:
    Programme.objects.filter(patient=patient).update(
        aerobic_exercise=library["walking"],
        aerobic_minutes=15,
        aerobic_days_per_week=5,
        aerobic_reason="Walking is easy to start.",
    )

    aerobic = logged_in(patient.user).get("/api/v1/me/programme").json()["aerobic"]

    assert aerobic == {
        "slug": "walking",
        "name": "Walking",
        "minutes": 15,
        "days_per_week": 5,
        "reason": "Walking is easy to start.",
    }


def test_it_audits_reading_the_programme(patient: Patient) -> None:
    logged_in(patient.user).get("/api/v1/me/programme")

    event = AuditEvent.objects.get()
    programme = patient.programme_set.get()
    assert (event.actor, event.action, event.patient_id, event.outcome) == (
        patient.user,
        "api.programme.view",
        patient.pk,
        "ok",
    )
    assert (event.object_type, event.object_id) == ("programmes.Programme", str(programme.pk))


def test_it_gives_another_patient_only_their_own_programme(
    patient: Patient, other_patient: Patient
) -> None:
    body = logged_in(other_patient.user).get("/api/v1/me/programme").json()

    assert [i["slug"] for i in body["items"]] == ["pelvic-tilt", "heel-raises"]


def test_it_answers_404_on_me_for_a_clinician(patient: Patient, clinician: User) -> None:
    response = logged_in(clinician).get("/api/v1/me/programme")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert AuditEvent.objects.get().outcome == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me/programme"),
        ("get", "/api/v1/me/sessions"),
        ("post", "/api/v1/me/sessions"),
        ("get", "/api/v1/patients/1/programme"),
        ("get", "/api/v1/patients/1/sessions"),
    ],
)
def test_it_answers_401_to_anonymous_requests(db: Any, method: str, path: str) -> None:
    client = Client()
    if method == "post":  # a JSON body: the API refuses any other before the login check (415)
        response = client.post(path, {}, content_type="application/json")
    else:
        response = client.get(path)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 401


def test_it_shows_advice_instead_of_the_programme_while_a_red_flag_is_open(
    patient: Patient,
) -> None:
    raise_red_flag(patient, "emergency_now")

    response = logged_in(patient.user).get("/api/v1/me/programme")

    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:backcare:problem:red-flag"
    assert "emergency department now" in body["detail"]
    assert body["action"] == "emergency_now"
    assert "items" not in body


def test_it_answers_404_when_there_is_no_active_programme(patient: Patient) -> None:
    Programme.objects.filter(patient=patient).update(status="draft")

    response = logged_in(patient.user).get("/api/v1/me/programme")

    assert response.status_code == 404
    assert response.json()["type"] == "urn:backcare:problem:no-active-programme"


def test_it_stores_a_posted_session(patient: Patient) -> None:
    body = session_json(patient)

    response = post_session(logged_in(patient.user), body)

    assert response.status_code == 201
    stored = response.json()
    assert stored["client_id"] == body["client_id"]
    assert stored["performed_on"] == TODAY.isoformat()
    assert [e["slug"] for e in stored["exercises"]] == ["abdominal-bracing", "bridge", "walking"]
    assert stored["exercises"][1]["reps_done"] == 10
    assert Session.objects.get().pk == stored["id"]


def test_it_answers_a_new_session_as_it_lists_it_whatever_the_order_sent(
    patient: Patient,
) -> None:
    client, body = logged_in(patient.user), session_json(patient)
    body["exercises"].reverse()

    answer = post_session(client, body).json()

    assert [e["slug"] for e in answer["exercises"]] == ["abdominal-bracing", "bridge", "walking"]
    assert client.get("/api/v1/me/sessions").json() == [answer]


def test_it_answers_a_replay_with_the_stored_session(patient: Patient) -> None:
    client, body = logged_in(patient.user), session_json(patient)
    first = post_session(client, body)

    again = post_session(client, body)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert Session.objects.count() == 1
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["logbook.session.create", "logbook.session.replay"]


def test_it_answers_422_to_the_same_client_id_with_another_body(patient: Patient) -> None:
    client, body = logged_in(patient.user), session_json(patient)
    post_session(client, body)

    response = post_session(client, body | {"notes": "Something else"})

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "urn:backcare:problem:session-conflict"
    assert fields_of(response) == ["body.client_id"]
    assert Session.objects.get().notes == "Felt fine."


def _edit(path: str, value: Any) -> Any:
    """A change to a valid session body: set ``path`` (dotted, list indexes as digits)."""

    def apply(body: dict[str, Any]) -> dict[str, Any]:
        *parents, last = path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
        return body

    return apply


def _drop(key: str) -> Any:
    return lambda body: {k: v for k, v in body.items() if k != key}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        (lambda body: "{not json", 400, "body"),
        (lambda body: "", 422, "body"),
        (lambda body: [body], 422, "body"),
        (_drop("client_id"), 422, "body.client_id"),
        (_edit("client_id", "not-a-uuid"), 422, "body.client_id"),
        (_edit("performed_on", "yesterday"), 422, "body.performed_on"),
        (_edit("performed_on", 20250312), 422, "body.performed_on"),
        (_edit("performed_on", "2025-03-13"), 422, "body.performed_on"),
        (_edit("performed_on", "2025-01-01"), 422, "body.performed_on"),
        (_edit("notes", 42), 422, "body.notes"),
        (_edit("exercises", []), 422, "body.exercises"),
        (_edit("exercises", "all of them"), 422, "body.exercises"),
        (_edit("unexpected", True), 422, "body.unexpected"),
        (_edit("exercises.0.item_id", "1"), 422, "body.exercises.0.item_id"),
        (_edit("exercises.0.item_id", 999_999), 422, "body.exercises.0.item_id"),
        (_edit("exercises.0.done", "yes"), 422, "body.exercises.0.done"),
        (_edit("exercises.0.pain_during_0_10", 11), 422, "body.exercises.0.pain_during_0_10"),
        (_edit("exercises.0.pain_during_0_10", 4.5), 422, "body.exercises.0.pain_during_0_10"),
        (_edit("exercises.0.pain_during_0_10", "4"), 422, "body.exercises.0.pain_during_0_10"),
        (_edit("exercises.1.effort_0_10", -1), 422, "body.exercises.1.effort_0_10"),
        (_edit("exercises.1.reps_done", 100_000), 422, "body.exercises.1.reps_done"),
        (_edit("exercises.1.hold_s_done", 30), 422, "body.exercises.1.hold_s_done"),
        (_edit("exercises.2.sets_done", 2), 422, "body.exercises.2.sets_done"),
        (_edit("exercises.2.pain", 3), 422, "body.exercises.2.pain"),
    ],
)
def test_it_answers_bad_input_with_a_problem_naming_the_field(
    patient: Patient, change: Any, status: int, field: str
) -> None:
    body = change(session_json(patient))

    response = post_session(logged_in(patient.user), body)

    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= problem.keys()
    assert problem["status"] == status
    assert field in fields_of(response), problem
    assert all(e["message"] for e in problem["errors"])
    assert Session.objects.count() == 0


def test_it_answers_409_to_a_session_without_an_active_programme(patient: Patient) -> None:
    body = session_json(patient)
    Programme.objects.filter(patient=patient).update(status="superseded")

    response = post_session(logged_in(patient.user), body)

    assert response.status_code == 409
    assert response.json()["type"] == "urn:backcare:problem:no-active-programme"


def test_it_lets_no_clinician_post_to_me(patient: Patient, clinician: User) -> None:
    response = post_session(logged_in(clinician), session_json(patient))

    assert response.status_code == 404
    assert Session.objects.count() == 0


def test_it_enforces_csrf_on_posts(patient: Patient) -> None:
    client, user = Client(enforce_csrf_checks=True), patient.user
    assert user is not None
    client.force_login(user)

    refused = post_session(client, session_json(patient))
    client.get("/me/")  # a page with a form hands out the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/me/sessions",
        json.dumps(session_json(patient)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM
    assert accepted.status_code == 201


def test_it_lists_the_patients_own_sessions(patient: Patient, other_patient: Patient) -> None:
    log_session(
        patient.user, patient, payload_of(session_json(patient, performed_on=YESTERDAY.isoformat()))
    )
    log_session(patient.user, patient, payload_of(session_json(patient)))
    log_session(other_patient.user, other_patient, payload_of(session_json(other_patient)))

    response = logged_in(patient.user).get("/api/v1/me/sessions")

    assert response.status_code == 200
    sessions = response.json()
    assert [s["performed_on"] for s in sessions] == [TODAY.isoformat(), YESTERDAY.isoformat()]
    assert sessions[0]["exercises"][0]["pain_during_0_10"] == 2
    event = AuditEvent.objects.get(action="api.sessions.list")
    assert (event.actor, event.patient_id, event.detail["sessions"]) == (
        patient.user,
        patient.pk,
        2,
    )


def test_it_pages_the_sessions(patient: Patient) -> None:
    for day in (TODAY, YESTERDAY):
        log_session(
            patient.user, patient, payload_of(session_json(patient, performed_on=day.isoformat()))
        )

    sessions = logged_in(patient.user).get("/api/v1/me/sessions?limit=1&offset=1").json()

    assert [s["performed_on"] for s in sessions] == [YESTERDAY.isoformat()]


@pytest.mark.parametrize(
    ("query", "field"), [("limit=0", "query.limit"), ("offset=x", "query.offset")]
)
def test_it_answers_bad_paging_with_a_problem(patient: Patient, query: str, field: str) -> None:
    response = logged_in(patient.user).get(f"/api/v1/me/sessions?{query}")

    assert response.status_code == 422
    assert field in fields_of(response)


def test_it_gives_the_clinician_their_patients_programme_and_sessions(
    patient: Patient, clinician: User
) -> None:
    log_session(patient.user, patient, payload_of(session_json(patient)))
    client = logged_in(clinician)

    programme = client.get(f"/api/v1/patients/{patient.pk}/programme")
    sessions = client.get(f"/api/v1/patients/{patient.pk}/sessions")

    assert programme.status_code == sessions.status_code == 200
    assert [i["slug"] for i in programme.json()["items"]][:2] == ["abdominal-bracing", "bridge"]
    assert len(sessions.json()) == 1
    reads = AuditEvent.objects.filter(actor=clinician).values_list(
        "action", "patient_id", "outcome"
    )
    assert sorted(reads) == [
        ("api.programme.view", patient.pk, "ok"),
        ("api.sessions.list", patient.pk, "ok"),
    ]


@pytest.mark.parametrize("persona", ["outsider", "other_patient", "patient"])
@pytest.mark.parametrize("what", ["programme", "sessions"])
def test_it_hides_a_patient_from_anyone_but_their_clinic(
    request: Any, patient: Patient, other_patient: Patient, persona: str, what: str
) -> None:
    log_session(patient.user, patient, payload_of(session_json(patient)))
    found = request.getfixturevalue(persona)
    user = found if isinstance(found, User) else found.user

    response = logged_in(user).get(f"/api/v1/patients/{patient.pk}/{what}")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert "bridge" not in response.content.decode()
    event = AuditEvent.objects.get(actor=user, action__startswith="api.")
    assert (event.patient_id, event.outcome) == (patient.pk, "not_found")


def test_it_serves_the_openapi_schema_listing_the_paths(db: Any) -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/me/programme",
        "/api/v1/me/sessions",
        "/api/v1/patients/{patient_id}/programme",
        "/api/v1/patients/{patient_id}/sessions",
    } <= schema["paths"].keys()
    post = schema["paths"]["/api/v1/me/sessions"]["post"]
    assert {"200", "201", "422"} <= post["responses"].keys()


def test_it_serves_the_api_docs(db: Any) -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_it_names_items_by_position_in_the_request(patient: Patient) -> None:
    items = items_of(patient)
    body = session_json(
        patient, exercises=[entry_json(items[2]), entry_json(items[0], reps_done=5)]
    )

    response = post_session(logged_in(patient.user), body)

    assert fields_of(response) == ["body.exercises.1.reps_done"]
