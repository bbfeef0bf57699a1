"""Every API error is an RFC 9457 problem, and the OpenAPI document says so (found by fuzzing)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from backcare.patients.models import Patient
from backcare.problems import CONTENT_TYPE
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == CONTENT_TYPE
    problem: dict[str, Any] = json.loads(response.content)
    assert problem.keys() >= {"type", "title", "status", "detail"}
    assert problem["status"] == status
    return problem


def test_it_documents_every_error_as_a_problem() -> None:
    for method, path, operation in operations():
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [CONTENT_TYPE], (method, path, status)


def test_it_documents_the_login_and_csrf_refusals_of_every_operation() -> None:
    for method, path, operation in operations():
        assert {"401", "403"} <= operation["responses"].keys(), (method, path)


def test_it_documents_the_validation_error_of_every_operation_with_parameters() -> None:
    for method, path, operation in operations():
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in operation["responses"], (method, path)


def test_it_answers_a_method_a_path_does_not_take_with_a_problem(patient: Patient) -> None:
    response = logged_in(patient.user).delete("/api/v1/me/programme")
    assert_problem(response, 405)
    assert response["Allow"] == "GET"


def test_it_answers_a_path_no_route_matches_with_a_problem(patient: Patient) -> None:
    assert_problem(logged_in(patient.user).get("/api/v1/me/nothing-here"), 404)


def test_it_leaves_errors_outside_the_api_alone(patient: Patient) -> None:
    response = logged_in(patient.user).get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_it_answers_a_body_over_the_upload_limit_with_a_problem(
    patient: Patient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"notes": "x" * 2000})
    response = logged_in(patient.user).post(
        "/api/v1/me/sessions", body, content_type="application/json"
    )
    assert_problem(response, 400)


def test_it_answers_a_server_error_with_a_problem_and_no_traceback(
    patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("backcare.logbook.api.sessions_of", broken)
    assert patient.user is not None
    client = Client(raise_request_exception=False)
    client.force_login(patient.user)
    response = client.get("/api/v1/me/sessions")
    problem = assert_problem(response, 500)
    assert "database on fire" not in response.content.decode()
    assert "Traceback" not in problem["detail"]
