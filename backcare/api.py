"""The JSON API (django-ninja), with its OpenAPI schema at /api/v1/openapi.json.

Every error answers an RFC 9457 problem (``application/problem+json``, see ``backcare.problems``):
ninja's own errors (bad JSON, failed validation, not logged in, CSRF) are turned into problems
here, so a client handles one error shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from backcare.logbook.api import router as logbook_router
from backcare.motion.api import router as motion_router
from backcare.problems import CONTENT_TYPE, ApiProblem, problem_response

AUTH_PROBLEMS = {
    401: "Not logged in.",
    403: "The CSRF token is missing or wrong (unsafe methods).",
}
"""Answered by the session authentication before an endpoint runs, so no endpoint lists them."""
INVALID_INPUT = "A parameter or the body is invalid; ``errors`` names each field."


class BackcareAPI(NinjaAPI):
    """ninja's API with an OpenAPI document that tells the truth about errors."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every error documented as ``application/problem+json`` (ninja says ``application/json``),
        the authentication's 401 and 403 on every operation that needs a login, and the 422 of
        ninja's validation on every operation that takes parameters or a body."""
        schema = super().get_openapi_schema(**kwargs)
        problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                if operation.get("security"):
                    for status, description in AUTH_PROBLEMS.items():
                        responses.setdefault(status, {"description": description})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(422, {"description": INVALID_INPUT})
                for status, response in responses.items():
                    if int(status) >= 400:
                        response["content"] = {CONTENT_TYPE: problem}
        return schema


api = BackcareAPI(
    title="backcare API",
    version="1",
    description="A patient's programme, logbook and motion analyses, and the clinic's view of "
    "them. Authentication: the Django session cookie; unsafe methods need the CSRF token "
    "(X-CSRFToken header). Errors are RFC 9457 problem details.",
)
api.add_router("/", logbook_router)
api.add_router("/", motion_router)


def field_path(loc: Sequence[Any]) -> str:
    """ninja's error location as a dotted path: ``("body", "body", "notes")`` → ``body.notes``.

    ninja nests a schema body under its parameter name; every endpoint names that parameter
    ``body``, and clients only know the request part and their own field names, so it is dropped.
    """
    parts = [str(part) for part in loc]
    if parts[:2] == ["body", "body"]:
        del parts[1]
    return ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [(field_path(e.get("loc", ())), _message(e)) for e in exc.errors]
    detail = gettext("The request has invalid fields; see errors.")
    return problem_response(ApiProblem(422, detail, kind="invalid-input", errors=errors))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        problem = ApiProblem(
            400, gettext("The request body is not valid JSON."), kind="malformed-json",
            errors=[("body", "is not valid JSON")],
        )  # fmt: skip
        return problem_response(problem)
    detail = gettext("Log in first.") if exc.status_code == 401 else str(exc)
    return problem_response(ApiProblem(exc.status_code, detail))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(ApiProblem(404, gettext("Not found.")))


@api.exception_handler(ApiProblem)
def api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(exc)
