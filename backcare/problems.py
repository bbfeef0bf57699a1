"""RFC 9457 problem details: the one shape of every JSON API error.

An error answers ``application/problem+json`` with ``type``, ``title``, ``status`` and ``detail``,
and, for bad input, ``errors``: one ``{"field", "message"}`` per problem, the field as a dotted path
from the request part (``body.exercises.0.pain_during_0_10``, ``query.limit``).

``title`` and ``detail`` are in the requester's language (their saved choice, else
``Accept-Language``): code raising a problem passes ``gettext(...)`` text, and a title left out
is the status's own name from ``TITLES``. ``type``, field paths and extension members are codes
for programs and stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema

__all__ = [
    "CONTENT_TYPE",
    "ApiProblem",
    "FieldError",
    "FieldProblem",
    "Problem",
    "ProblemMiddleware",
    "problem_response",
]

CONTENT_TYPE = "application/problem+json"
MAX_BODY_KEY = "x-max-body-bytes"
"""An API operation's byte limit for its body, in its OpenAPI entry: declared by an operation
that reads its own body (``openapi_extra``), else Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
TYPE_PREFIX = "urn:backcare:problem:"
"""Problem types are URNs: stable identifiers clients can switch on (RFC 9457 §3.1.1)."""

TITLES = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    409: _("Conflict"),
    413: _("Request Entity Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Entity"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    503: _("Service Unavailable"),
}
"""A status's name (its HTTP reason phrase) as a problem's title, in the requester's language
(RFC 9457 §3.1.3: the title changes only with localisation); a status not listed keeps its
English phrase."""


def status_title(status: int) -> str:
    """The title of a problem with ``status``, in the active language."""
    return str(TITLES.get(status, HTTPStatus(status).phrase))


@dataclass(frozen=True)
class FieldError:
    """A problem with one field, as a service finds it: pages attach it to the form's field, the
    API answers it as one of a problem's ``errors``. ``field`` names the field (a dotted path such
    as ``exercises.0.reps_done``), or is empty for the whole form."""

    field: str
    message: str


class FieldProblem(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem details object."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []


class ApiProblem(Exception):
    """Raise from an endpoint to answer with a problem; the API turns it into the response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        errors: list[tuple[str, str]] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self.detail = detail
        self.type = f"{TYPE_PREFIX}{kind}" if kind else "about:blank"
        self.title = title or status_title(status)
        self.errors = errors or []
        self.extra = extra
        super().__init__(detail)


def problem_response(problem: ApiProblem) -> HttpResponse:
    """The problem as an ``application/problem+json`` response."""
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extra,
    }
    if problem.errors:
        body["errors"] = [{"field": f, "message": m} for f, m in problem.errors]
    return HttpResponse(json.dumps(body), status=problem.status, content_type=CONTENT_TYPE)


API_PATH = "/api/"
SERVER_FAILED = _("The server failed to answer; the error is logged.")
BODY_HEADERS = {"content-type", "content-length"}
"""Headers that describe the replaced answer's body; every other one (the ``Allow`` of a 405,
the security headers) is kept."""


class ProblemMiddleware:
    """Every error under ``/api/`` answers a problem, whoever answered it.

    The API's own handlers already do; this catches what answers before or around them: the URL
    resolver's 404 for a path no route matches, ninja's 405 for a method a path does not take,
    Django's 400 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and a 500 — whose body would
    otherwise be an HTML page (Django's debug page, with the traceback, when DEBUG is on).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PATH)
            or response.status_code < 400
            or response.get("Content-Type") == CONTENT_TYPE
        ):
            return response
        status = response.status_code
        detail = (
            str(SERVER_FAILED)
            if status >= 500
            else gettext("%(title)s.") % {"title": status_title(status)}
        )
        problem = problem_response(ApiProblem(status, detail))
        for header, value in response.items():
            if header.lower() not in BODY_HEADERS:
                problem[header] = value
        return problem
