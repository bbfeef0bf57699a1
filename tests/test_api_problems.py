"""Every API error is an RFC 9457 problem, and the OpenAPI document says so (found by fuzzing)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from backcare.patients.models import Patient
from backcare.problems import CONTENT_TYPE, MAX_BODY_KEY
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


CSRF_TOKEN = "problemsproblemsproblemsproblems"


def app_client(patient: Patient | None = None) -> Client:
    """A client as the phone app is one: CSRF checked, the token sent as cookie and header."""
    client = Client(
        enforce_csrf_checks=True, raise_request_exception=False, HTTP_X_CSRFTOKEN=CSRF_TOKEN
    )
    client.cookies["csrftoken"] = CSRF_TOKEN
    if patient is not None:
        assert patient.user is not None
        client.force_login(patient.user)
    return client


def requests() -> list[tuple[str, str]]:
    """Every operation of the API as (method, URL), every path id 1."""
    return [(method.upper(), re.sub(r"{\w+}", "1", path)) for method, path, _ in operations()]


def body_limit(method: str, url: str) -> int:
    """The operation's byte limit, as the OpenAPI document declares it."""
    limits = {
        (m.upper(), re.sub(r"{\w+}", "1", path)): operation.get(MAX_BODY_KEY)
        for m, path, operation in operations()
    }
    limit = limits[(method, url)]
    return int(limit if limit is not None else django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def json_of_size(size: int) -> bytes:
    return b"{}" + b" " * (size - 2)


def refused(answers: dict[tuple[str, str], Any], status: int, kind: str) -> dict[str, Any]:
    """The answers that are not a ``status`` problem of ``kind``, by request."""
    return {
        f"{method} {url}": (response.status_code, response.content[:100])
        for (method, url), response in answers.items()
        if response.status_code != status
        or response["Content-Type"] != CONTENT_TYPE
        or json.loads(response.content)["type"] != f"urn:backcare:problem:{kind}"
    }


def test_it_refuses_a_body_over_each_operations_limit_with_a_problem(patient: Patient) -> None:
    client = app_client(patient)
    answers = {
        (method, url): client.generic(
            method, url, json_of_size(body_limit(method, url) + 1), "application/json"
        )
        for method, url in requests()
    }
    assert refused(answers, 413, "too-large") == {}
    for (method, url), response in answers.items():
        assert f"{body_limit(method, url):,} bytes" in response.json()["detail"]


def test_it_reads_a_body_of_exactly_the_limit(patient: Patient) -> None:
    client = app_client(patient)
    for method, url in requests():
        body = json_of_size(body_limit(method, url))
        response = client.generic(method, url, body, "application/json")
        assert response.status_code not in (413, 415) and response.status_code < 500, (method, url)


NOT_JSON = {
    "multipart/form-data": (MULTIPART_CONTENT, encode_multipart(BOUNDARY, {"notes": "x"})),
    "a form": ("application/x-www-form-urlencoded", b"notes=x"),
    "text/plain": ("text/plain", b"{}"),
    "no content type": ("", b"{}"),
}


@pytest.mark.parametrize("kind", sorted(NOT_JSON))
def test_it_refuses_a_body_that_is_not_json_with_a_problem(patient: Patient, kind: str) -> None:
    content_type, body = NOT_JSON[kind]
    client = app_client(patient)
    answers = {
        (method, url): client.generic(method, url, body, content_type) for method, url in requests()
    }
    assert refused(answers, 415, "unsupported-media-type") == {}


def test_it_takes_json_with_a_charset(patient: Patient) -> None:
    response = app_client(patient).post(
        "/api/v1/me/sessions", b"{}", content_type="application/json; charset=utf-8"
    )
    assert_problem(response, 422)


def test_it_refuses_an_unreadable_body_before_the_login_check(db: Any) -> None:
    content_type, body = NOT_JSON["multipart/form-data"]
    response = app_client().generic("POST", "/api/v1/me/sessions", body, content_type)
    assert_problem(response, 415)


def test_it_documents_the_body_refusals_of_every_operation() -> None:
    for method, path, operation in operations():
        assert {"413", "415"} <= operation["responses"].keys(), (method, path)


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
