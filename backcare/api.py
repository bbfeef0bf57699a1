"""The JSON API (django-ninja), with its OpenAPI schema at /api/v1/openapi.json.

Every error answers an RFC 9457 problem (``application/problem+json``, see ``backcare.problems``):
ninja's own errors (bad JSON, failed validation, not logged in, CSRF) are turned into problems
here, so a client handles one error shape.

The API reads JSON bodies only, and only up to a limit: every operation refuses a body that is
not ``application/json`` (415) or is over its limit (413) from the request's headers, before
anything reads the body — the login's CSRF check included, which would otherwise parse a form
body, leaving ninja a stream it can no longer read (a 500).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from backcare.logbook.api import router as logbook_router
from backcare.motion.api import router as motion_router
from backcare.problems import CONTENT_TYPE, MAX_BODY_KEY, ApiProblem, problem_response

AUTH_PROBLEMS = {
    401: "Not logged in.",
    403: "The CSRF token is missing or wrong (unsafe methods).",
}
"""Answered by the session authentication before an endpoint runs, so no endpoint lists them."""
INVALID_INPUT = "A parameter or the body is invalid; ``errors`` names each field."
BODY_PROBLEMS = {
    413: "The body is over the operation's byte limit (refused before it is read).",
    415: "The body is not sent as application/json.",
}
"""Answered from the headers before an endpoint runs, so no endpoint lists them."""

JSON = "application/json"
# Body limits: an operation that reads its own body declares its limit (``MAX_BODY_KEY`` in its
# ``openapi_extra``); every other body is read by ninja through ``request.body``, whose limit is
# Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB, many times the largest logged session: 50
# exercises and 5,000 characters of notes). Both are checked from the headers first, so that a
# longer body answers a 413 problem rather than Django's bare 400.


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
                for status, description in BODY_PROBLEMS.items():
                    responses.setdefault(status, {"description": description})
                if operation.get("requestBody"):
                    operation.setdefault(MAX_BODY_KEY, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
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


def unreadable_body(request: HttpRequest, limit: int | None) -> ApiProblem | None:
    """A 415 problem for a body that is not JSON, a 413 for one over ``limit`` bytes, or None;
    told from ``Content-Type`` and ``Content-Length`` alone (Django reads no more than the
    declared length)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return None
    if request.content_type != JSON:
        return ApiProblem(
            415,
            gettext("The request body must be JSON, sent as Content-Type: %(type)s.")
            % {"type": JSON},
            kind="unsupported-media-type",
            errors=[("body", f"must be {JSON}")],
        )
    if limit is not None and length > limit:
        return ApiProblem(
            413,
            gettext("The request body is larger than %(bytes)s bytes.") % {"bytes": f"{limit:,}"},
            kind="too-large",
            errors=[("body", f"must be at most {limit} bytes")],
        )
    return None


def refuse_unreadable_bodies(
    run: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Wrap an operation (ninja's ``run``, before its login check) to refuse bodies it will not
    read; its limit is the one it declares (``MAX_BODY_KEY``) or ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    declared = getattr(run.__self__, "openapi_extra", None) or {}  # type: ignore[attr-defined]
    own_limit = declared.get(MAX_BODY_KEY)

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE if own_limit is None else own_limit
        problem = unreadable_body(request, limit)
        return run(request, *args, **kwargs) if problem is None else problem_response(problem)

    return guarded


api.add_decorator(refuse_unreadable_bodies, mode="view")
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
            400,
            gettext("The request body is not valid JSON."),
            kind="malformed-json",
            errors=[("body", "is not valid JSON")],
        )
        return problem_response(problem)
    detail = gettext("Log in first.") if exc.status_code == 401 else str(exc)
    return problem_response(ApiProblem(exc.status_code, detail))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(ApiProblem(404, gettext("Not found.")))


@api.exception_handler(ApiProblem)
def api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(exc)
