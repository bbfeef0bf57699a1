"""The access matrix: every route that takes an object id, requested by every persona.

The routes are read from Django's URL resolver (the JSON API's included), so a new route with an
id, a slug or a token fails ``test_it_covers_every_route_that_takes_an_id`` until it is added to
``ROUTES`` with a way to build a real object and the side it belongs to. Each route is then
requested (GET and/or POST, empty body: only the access decision matters) by

- ``clinician``: the owning clinician (clinic routes);
- ``outsider``: a clinician of another clinic — always 404, never 200, never a 403 that would
  confirm the object exists;
- ``patient``: the patient the object belongs to (patient routes);
- ``other_patient``: another patient of the same clinic — 404, or the login page for clinic pages;
- ``admin``: the owning clinic's administrator, who reads the audit trail but no patient record
  — refused like another patient (the login page for clinic pages, 404 elsewhere);
- ``anonymous``: the login page (pages) or a 401 problem (API).

A refused persona's answer never contains the patient's name. Every request that a view answers
for a patient-data route writes exactly one audit row (the read or write, or the refused probe,
recorded against the patient it aimed at, so their clinic sees it); a request turned away by the
login gate writes none, since it read nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backcare.accounts.models import Clinic, Invitation, User
from backcare.alerts.models import Alert
from backcare.audit.models import AuditEvent
from backcare.instruments.models import Assignment, Instrument
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.models import Patient
from backcare.reminders.services import issue_calendar_link
from backcare.reviews.models import Review
from backcare.testing import fill_route, logged_in, url_routes

Answer = Any
"""The test client's response (django-stubs types it apart from ``HttpResponse``)."""

PERSONAS = ("anonymous", "outsider", "other_patient", "admin", "clinician", "patient")
"""Refused personas first and the owners last: an owner's POST may change the object."""

NAME = ("Zebedee", "Quartermaine")
"""The owning patient's name: distinctive, so finding it in a refused answer is a real leak."""


@dataclass
class World:
    """Real objects owned by the ``clinic``/``patient`` personas, built once per route."""

    clinician: User
    outsider: User
    admin: User
    patient: Patient
    other_patient: Patient
    objects: dict[str, Any]


@dataclass(frozen=True)
class Route:
    """How to fill a route's ids, who owns it, and what it handles.

    ``side``: ``clinic`` (clinician pages and API: the clinician gets in), ``patient`` (the
    patient's own pages and API: the patient gets in), ``clinic_resource`` (the clinic's own,
    non-patient data: the clinician gets in), ``public`` (anyone logged in), ``token`` (a secret
    link: whoever holds it gets in, a wrong one is refused alike for everyone).
    """

    kwargs: Callable[[World], dict[str, Any]]
    side: str
    methods: tuple[str, ...] = ("GET",)
    patient_data: bool = True
    api: bool = False


def _patient(w: World) -> dict[str, Any]:
    return {"pk": w.patient.pk}


def _programme(w: World) -> dict[str, Any]:
    return {"pk": w.objects["programme"].pk}


def _review(w: World) -> dict[str, Any]:
    return {"pk": w.objects["review"].pk}


def _motion(w: World) -> dict[str, Any]:
    log = w.objects["log"]
    return {"session_id": log.session_id, "item_id": log.item_id}


GET_POST = ("GET", "POST")
ROUTES: dict[str, Route] = {
    # clinician pages
    "clinic/patients/<int:pk>/": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/screen/": Route(_patient, "clinic", GET_POST),
    "clinic/patients/<int:pk>/invite/": Route(_patient, "clinic", ("POST",)),
    "clinic/patients/<int:pk>/programmes/new/": Route(_patient, "clinic", ("POST",)),
    "clinic/programmes/<int:pk>/": Route(_programme, "clinic", GET_POST),
    "clinic/programmes/<int:pk>/discard/": Route(_programme, "clinic", ("POST",)),
    "clinic/alerts/<int:pk>/acknowledge/": Route(
        lambda w: {"pk": w.objects["alert"].pk}, "clinic", ("POST",)
    ),
    "clinic/reviews/<int:pk>/": Route(_review, "clinic"),
    "clinic/reviews/<int:pk>/approve/": Route(_review, "clinic", ("POST",)),
    "clinic/reviews/<int:pk>/refuse/": Route(_review, "clinic", ("POST",)),
    "clinic/patients/<int:pk>/checkins/": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/goals/": Route(_patient, "clinic", GET_POST),
    "clinic/patients/<int:pk>/instruments/": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/instruments/assign/": Route(_patient, "clinic", ("POST",)),
    "clinic/patients/<int:pk>/timeline/": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/motion/": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/programme.pdf": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/progress.pdf": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/reminders/": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/export.json": Route(_patient, "clinic"),
    "clinic/patients/<int:pk>/erase/": Route(_patient, "clinic", GET_POST),
    # the clinic's own data, not a patient's
    "clinic/instruments/<int:pk>/": Route(
        lambda w: {"pk": w.objects["instrument"].pk}, "clinic_resource", patient_data=False
    ),
    # the patient's own pages
    "me/questionnaires/<int:pk>/": Route(
        lambda w: {"pk": w.objects["assignment"].pk}, "patient", GET_POST
    ),
    "me/sessions/<int:session_id>/morning-pain/": Route(
        lambda w: {"session_id": w.objects["log"].session_id}, "patient", ("POST",)
    ),
    # the JSON API
    "api/v1/patients/<patient_id>/programme": Route(
        lambda w: {"patient_id": w.patient.pk}, "clinic", api=True
    ),
    "api/v1/patients/<patient_id>/sessions": Route(
        lambda w: {"patient_id": w.patient.pk}, "clinic", api=True
    ),
    "api/v1/patients/<patient_id>/motion": Route(
        lambda w: {"patient_id": w.patient.pk}, "clinic", api=True
    ),
    "api/v1/me/sessions/<session_id>/exercises/<item_id>/motion": Route(
        _motion, "patient", GET_POST, api=True
    ),
    # secret links
    "calendar/<str:token>.ics": Route(lambda w: {"token": w.objects["calendar_token"]}, "token"),
    "invite/<str:token>/": Route(
        lambda w: {"token": w.objects["invitation_token"]}, "token", GET_POST
    ),
    "password/reset/<uidb64>/<token>/": Route(
        lambda w: w.objects["reset"], "token", patient_data=False
    ),
    # the exercise library: not patient data
    "exercises/<slug:slug>/": Route(lambda w: {"slug": "bridge"}, "public", patient_data=False),
}


def routes_with_ids() -> list[str]:
    """Every route in the URL resolver that takes an object id, slug or token, once each."""
    return url_routes(with_ids=True)


def test_it_finds_routes_with_ids_in_pages_and_the_api() -> None:
    found = routes_with_ids()
    assert "clinic/patients/<int:pk>/" in found
    assert "api/v1/patients/<patient_id>/programme" in found
    assert "calendar/<str:token>.ics" in found
    assert "clinic/patients/" not in found


def test_it_covers_every_route_that_takes_an_id() -> None:
    found = set(routes_with_ids())
    missing = sorted(found - set(ROUTES))
    assert not missing, (
        f"routes with an id missing from the access matrix (add them to ROUTES): {missing}"
    )
    stale = sorted(set(ROUTES) - found)
    assert not stale, f"ROUTES lists routes the URL resolver no longer has: {stale}"


@pytest.fixture
def world(
    clinician: User, outsider: User, patient: Patient, other_patient: Patient, clinic: Clinic
) -> World:
    patient.first_name, patient.last_name = NAME
    patient.save()
    programme = patient.programme_set.get()
    item = programme.items.first()
    assert item is not None and patient.user is not None
    session = Session.objects.create(
        patient=patient,
        programme=programme,
        client_id=uuid.uuid4(),
        body_hash="x",
        performed_on=date.today(),
    )
    log = ExerciseLog.objects.create(session=session, item=item, done=True, pain_during_0_10=3)
    instrument = Instrument.objects.create(
        clinic=clinic,
        questionnaire={},
        url="https://example.org/q/1",
        title="A scale",
        status="active",
        owner="Example",
        licence="CC0",
        attribution="Example",
    )
    invited = Patient.objects.create(
        clinic=clinic,
        first_name=NAME[0],
        last_name=NAME[1],
        baseline_pain_0_10=5,
        email="zq@example.org",
    )
    objects = {
        "programme": programme,
        "log": log,
        "alert": Alert.objects.create(patient=patient, kind="pain_spike", key="k", message="8"),
        "review": Review.objects.create(
            patient=patient,
            programme=programme,
            computed_on=date.today(),
            decision="progress",
            from_stage="initial",
            to_stage="intermediate",
            summary="Progress",
        ),
        "instrument": instrument,
        "assignment": Assignment.objects.create(
            patient=patient, instrument=instrument, context="intake"
        ),
        "calendar_token": issue_calendar_link(patient.user, patient),
        "invitation_token": Invitation.issue(invited, clinician)[1],
        "reset": {
            "uidb64": urlsafe_base64_encode(force_bytes(patient.user.pk)),
            "token": default_token_generator.make_token(patient.user),
        },
    }
    admin = User.objects.create_user("ada", "", "x", role=User.Role.ADMIN, clinic=clinic)
    return World(clinician, outsider, admin, patient, other_patient, objects)


def _client(world: World, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    if persona == "clinician":
        return logged_in(world.clinician)
    if persona == "outsider":
        return logged_in(world.outsider)
    if persona == "admin":
        return logged_in(world.admin)
    if persona == "patient":
        return logged_in(world.patient.user)
    return logged_in(world.other_patient.user)


def _owner(route: Route) -> set[str]:
    """The personas that must get in."""
    if route.side in ("clinic", "clinic_resource"):
        return {"clinician"}
    if route.side == "patient":
        return {"patient"}
    return set(PERSONAS)  # public (anyone logged in, see below) and a valid token


def _is_login_redirect(response: Answer) -> bool:
    return bool(response.status_code == 302 and response["Location"].startswith("/login/"))


def _text(response: Answer) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return str(response.content.decode(errors="replace"))


AREAS = {"clinic": "/clinic/", "clinic_resource": "/clinic/", "patient": "/me/"}
"""Where an allowed persona's redirect must stay (a token link may lead anywhere but login)."""


def _check_allowed(label: str, route: Route, response: Answer) -> None:
    status = response.status_code
    assert status not in (401, 403, 404, 405) and status < 500, f"{label}: refused ({status})"
    if 300 <= status < 400:
        assert not _is_login_redirect(response), f"{label}: sent to the login page"
        area = AREAS.get(route.side, "/")
        assert response["Location"].startswith(area), f"{label}: left {area}"


def _check_refused(label: str, route: Route, persona: str, response: Answer) -> None:
    status = response.status_code
    if persona == "anonymous":
        if route.api:
            assert status == 401, f"{label}: {status}, not 401"
            assert response["Content-Type"] == "application/problem+json", label
        else:
            assert _is_login_redirect(response), f"{label}: {status}, not the login page"
    elif persona in ("patient", "other_patient", "admin") and route.side in (
        "clinic",
        "clinic_resource",
    ):
        # a patient on a clinician page: the login page (for staff) or a plain 404
        assert _is_login_redirect(response) or status == 404, f"{label}: {status}"
    else:
        assert status == 404, f"{label}: {status}, not 404"
    text = _text(response)
    assert NAME[0] not in text and NAME[1] not in text, f"{label}: the patient's name leaked"


def _expected_audit_rows(route_key: str, persona: str, method: str, response: Answer) -> int:
    """One row for every request a view answered about patient data; none for a request turned
    away at the gate (not logged in, or the wrong kind of user for the page), which read
    nothing: the login page, a 401, and staff on a patient's own pages (``own_patient_or_404``
    answers 404 before any lookup). The API checks roles in the endpoint, so there a wrong
    role's 404 is a refused probe and is recorded."""
    route = ROUTES[route_key]
    if not route.patient_data or _is_login_redirect(response) or response.status_code == 401:
        return 0
    staff = persona in ("clinician", "outsider", "admin")
    if route.side == "patient" and not route.api and staff:
        return 0
    return 1  # exactly one, however many writes the request made (docs/audit.md)


def test_the_owner_sees_the_name_the_refused_must_not(world: World) -> None:
    """The leak check below looks for a name the owner's pages really show."""
    page = logged_in(world.clinician).get(f"/clinic/patients/{world.patient.pk}/")
    assert page.status_code == 200 and f"{NAME[0]} {NAME[1]}" in page.content.decode()


def _request(client: Client, method: str, url: str, route: Route) -> Answer:
    """A GET, or an empty POST: a form's, or for the API a JSON body (it refuses others, 415)."""
    if method == "GET":
        return client.get(url)
    if route.api:
        return client.post(url, {}, content_type="application/json")
    return client.post(url, {})


@pytest.mark.parametrize("route_key", sorted(ROUTES))
def test_each_persona_gets_exactly_its_access(world: World, route_key: str) -> None:
    route = ROUTES[route_key]
    url = fill_route(route_key, route.kwargs(world))
    failures = []
    for persona in PERSONAS:
        client = _client(world, persona)
        for method in route.methods:
            label = f"{method} {url} as {persona}"
            before = AuditEvent.objects.count()
            response = _request(client, method, url, route)
            written = AuditEvent.objects.count() - before
            try:
                if route.side == "public" and persona == "anonymous":
                    assert _is_login_redirect(response) or response.status_code == 200, label
                elif persona in _owner(route):
                    _check_allowed(label, route, response)
                else:
                    _check_refused(label, route, persona, response)
            except AssertionError as error:
                failures.append(str(error).splitlines()[0])
            expected = _expected_audit_rows(route_key, persona, method, response)
            if written != expected:
                failures.append(
                    f"{label} ({response.status_code}): {written} audit rows, not {expected}"
                )
            refused = persona not in _owner(route) and route.side in ("clinic", "patient")
            if refused and written:  # the probe is on the targeted patient's own trail
                aimed_at = AuditEvent.objects.values_list("patient_id", flat=True).first()
                if aimed_at != world.patient.pk:
                    failures.append(f"{label}: refusal audited against patient {aimed_at}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "route_key", sorted(key for key, route in ROUTES.items() if route.side == "token")
)
def test_a_wrong_token_is_refused_without_naming_the_patient(world: World, route_key: str) -> None:
    route = ROUTES[route_key]
    kwargs = route.kwargs(world) | {"token": "not-a-real-token-" + "x" * 26}
    url = fill_route(route_key, kwargs)
    for persona in PERSONAS:
        response = _client(world, persona).get(url)
        label = f"GET {url} as {persona}"
        assert response.status_code in (200, 404), f"{label}: {response.status_code}"
        text = _text(response)
        assert NAME[0] not in text and NAME[1] not in text, f"{label}: the patient's name leaked"
        assert 'name="new_password1"' not in text, f"{label}: a wrong token got the form"
