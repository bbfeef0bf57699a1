"""The crawl: every route in the URL resolver, requested by every persona, never answers 5xx,
and never lets a browser or proxy keep a copy (``Cache-Control: no-store, private``).

The routes are read from Django's URL resolver (the JSON API's included), as in the access
matrix, and their ids are real objects of the demo clinic (``serve --demo``), so the pages
render what a visitor of the demo sees. Each route is requested with GET and with an empty POST
(the test client's default form encoding) by

- ``anonymous``; ``patient`` (demo-dana, whose objects fill the patient routes);
- ``clinician`` (demo-clinician); ``admin`` (demo-admin, the clinic admin).

What the demo does not hold (an imported questionnaire, a calendar link, an invitation, a reset
link) is made here for a demo patient. A template error, a crash on an empty form or a missing
page template all show up as a 5xx, which is what this test catches; who may see what is the
access matrix's job (tests/test_access_matrix.py).

An empty POST to an API route stops at the API's refusal of a form body (415): the API's
operations themselves are run by the access matrix and by the fuzzing (tests/test_api_fuzz.py).

Every answer may carry patient data (a page, an export, a PDF, a problem naming an id), so every
one must say ``no-store, private``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backcare.accounts.models import Invitation, User
from backcare.alerts.models import Alert
from backcare.demo import seed_demo
from backcare.instruments.models import Assignment, Instrument
from backcare.logbook.models import ExerciseLog
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reminders.services import issue_calendar_link
from backcare.reviews.models import Review
from backcare.testing import fill_route, logged_in, url_routes

PERSONAS = ("anonymous", "patient", "clinician", "admin")


@pytest.fixture
def ids(library: Any) -> dict[tuple[str, str], Any]:
    """A value for each (segment before the id, id name) in the routes, from the demo clinic."""
    seed_demo()
    dana = Patient.objects.get(user__username="demo-dana")
    clinician = User.objects.get(username="demo-clinician")
    programme = Programme.objects.filter(patient=dana).latest("version")
    log = ExerciseLog.objects.filter(session__patient=dana).first()
    alert = Alert.objects.filter(patient__clinic=dana.clinic).first()
    review = Review.objects.filter(patient__clinic=dana.clinic).first()
    assert log is not None and alert is not None and review is not None and dana.user
    instrument = Instrument.objects.create(
        clinic=dana.clinic,
        questionnaire={},
        url="https://example.org/q/1",
        title="A scale",
        status="active",
        owner="Example",
        licence="CC0",
        attribution="Example",
    )
    assignment = Assignment.objects.create(patient=dana, instrument=instrument, context="intake")
    invited = Patient.objects.create(
        clinic=dana.clinic,
        first_name="Ivy",
        last_name="Invited",
        baseline_pain_0_10=4,
        email="ivy@backcare.invalid",
        is_demo=True,
    )
    return {
        ("patients", "pk"): dana.pk,
        ("patients", "patient_id"): dana.pk,
        ("programmes", "pk"): programme.pk,
        ("alerts", "pk"): alert.pk,
        ("reviews", "pk"): review.pk,
        ("instruments", "pk"): instrument.pk,
        ("questionnaires", "pk"): assignment.pk,
        ("sessions", "session_id"): log.session_id,
        ("exercises", "item_id"): log.item_id,
        ("exercises", "slug"): "bridge",
        ("calendar", "token"): issue_calendar_link(dana.user, dana),
        ("invite", "token"): Invitation.issue(invited, clinician)[1],
        ("reset", "uidb64"): urlsafe_base64_encode(force_bytes(dana.user.pk)),
        ("reset", "token"): default_token_generator.make_token(dana.user),
    }


def _kwargs(route: str, ids: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """Each id of ``route``, keyed by the nearest literal path segment before it."""
    kwargs: dict[str, Any] = {}
    segment = ""
    for part in route.replace(".", "/").split("/"):
        if part.startswith("<"):
            name = part.strip("<>").split(":")[-1]
            key = (segment, name)
            assert key in ids, f"{route}: the crawl has no value for {key}; add one to `ids`"
            kwargs[name] = ids[key]
        elif part:
            segment = part
    return kwargs


def _client(persona: str) -> Client:
    username = {"patient": "demo-dana", "clinician": "demo-clinician", "admin": "demo-admin"}
    client = (
        Client()
        if persona == "anonymous"
        else logged_in(User.objects.get(username=username[persona]))
    )
    client.raise_request_exception = False  # a crash is a 500 to report, not an exception
    return client


def test_it_crawls_every_route_of_the_resolver() -> None:
    routes = url_routes()
    assert "clinic/patients/<int:pk>/" in routes and "password/reset/sent/" in routes
    assert "api/v1/me/sessions" in routes and "me/" in routes


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_route_answers_a_server_error(ids: dict[tuple[str, str], Any], persona: str) -> None:
    failures = []
    for route in url_routes():
        url = fill_route(route, _kwargs(route, ids))
        for method in ("GET", "POST"):
            client = _client(persona)
            response = client.get(url) if method == "GET" else client.post(url, {})
            if response.status_code >= 500:
                failures.append(f"{method} {url} as {persona}: {response.status_code}")
            cache = set(response.get("Cache-Control", "").replace(" ", "").split(","))
            if not {"no-store", "private"} <= cache:  # any answer may carry patient data
                failures.append(f"{method} {url} as {persona}: Cache-Control {sorted(cache)}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_static_files_keep_their_cache() -> None:
    response = Client().get("/static/backcare/backcare.css")
    response.close()  # a file response: let go of the file
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
