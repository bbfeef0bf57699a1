"""Fuzzing the JSON API with schemathesis, in-process, against its own OpenAPI document.

Every operation gets at least ``EXAMPLES`` generated requests (valid and invalid ones), sent to
the WSGI application in this process, and every built-in schemathesis check runs on each answer,
plus ours: no stack trace or debug page in any body, every 4xx an RFC 9457 problem. The `/me/`
operations run as a patient with an active programme and a logged session, the `/patients/`
ones as that patient's clinician, and all of them once anonymously.

Database: ``transactional_db``, not ``db``. The cases go through the real WSGI handler, whose
``request_finished`` signal closes a connection left inside a transaction — the one ``db``
wraps each test in — and with real commits each request runs as in production (its own atomic
blocks, PostgreSQL errors not hidden inside a test-wide transaction).

Generation is derandomized (a fixed seed per test, no example database) so CI runs the same
cases every time; there is no deadline, as a slow example is a benchmark's business.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session as DjangoSession
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import AuthContext, Case, CheckContext, HookContext, Response
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth

from backcare.accounts.models import User
from backcare.logbook.models import ExerciseLog
from backcare.logbook.services import ACHIEVED_FIELD, LIMITS, MAX_NOTES, SETS_APPLY_TO
from backcare.patients.models import Patient
from backcare.problems import CONTENT_TYPE, MAX_BODY_KEY
from backcare.testing import log_sessions, logged_in, make_patient
from backcare.wsgi import application

EXAMPLES = 100

RULE_BREAKING = ["2xx", "401", "403", "404", "409", "422"]
"""What a schema-valid upload may answer: a 422 names the broken rule the schema cannot say
(an item of the active programme, a day not in the future, a motion profile for the exercise)."""

CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": RULE_BREAKING}},
            }
        ]
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # the personas are built once per operation and shared by its examples, on purpose
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"
"""A well-formed CSRF secret, sent as the cookie and the ``X-CSRFToken`` header."""


class SessionLogin:
    """A persona's Django session cookie and CSRF token, set on every case.

    schemathesis builds some cases (and their credentials) while collecting the tests, before
    any database exists, so the session key is fixed here and the fixture stores that session.
    """

    session_key = ""

    def get(self, case: Case[Any], ctx: AuthContext) -> str:
        return self.session_key

    def set(self, case: Case[Any], data: str, ctx: AuthContext) -> None:
        log_case_in(case, data)


def log_case_in(case: Case[Any], session_key: str) -> None:
    case.cookies.update(sessionid=session_key, csrftoken=CSRF_TOKEN)
    case.headers["X-CSRFToken"] = CSRF_TOKEN


class PatientLogin(SessionLogin):
    session_key = "fuzzpatient0000000000000000000000"


class ClinicianLogin(SessionLogin):
    session_key = "fuzzclinician00000000000000000000"


def log_in(user: User | None, session_key: str) -> None:
    """Log ``user`` in under ``session_key``."""
    client = logged_in(user)
    DjangoSession.objects.filter(pk=client.session.session_key).update(session_key=session_key)


KNOWN: dict[str, list[Any]] = {}
"""Ids and values of the test's real data: the hooks below mix them into generated cases, so
the fuzzer reaches the code behind "no such patient" and "not an item of your programme"."""


@pytest.fixture
def known_data(
    transactional_db: Any, patient: Patient, other_patient: Patient, outsider: User
) -> Iterator[None]:
    assert outsider.clinic is not None
    stranger = make_patient(outsider.clinic, "sam")  # another clinic's: always 404
    programme = patient.programme_set.get()
    # the bridge first: of the three, only it has a motion profile
    items = sorted(programme.items.all(), key=lambda item: item.exercise.slug != "bridge")
    log_sessions(programme, timezone.localdate(), days=1, pain_from=3, pain_to=3)
    logs = ExerciseLog.objects.filter(session__patient=patient)
    KNOWN.update(
        patient_id=[patient.pk, other_patient.pk, stranger.pk],
        session_id=sorted({log.session_id for log in logs}),
        item_id=[item.pk for item in items],
        dose_type=[item.dose_type for item in items],
        performed_on=[timezone.localdate().isoformat()],
    )
    yield
    KNOWN.clear()


def _real_ids(path_parameters: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Each id either one of the real ones or as generated."""
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([*KNOWN.get(name, []), value])
            for name, value in path_parameters.items()
        }
    )


AWKWARD_TEXT = [
    "\x00",
    "before\x00after",
    "\ud83d",
    "\u202eright to left",
    "🙂" * 2500,
    "x" * MAX_NOTES,
]
"""Text that databases and encoders trip on (NUL, a lone surrogate, the notes' maximum length),
which random generation reaches too rarely to rely on."""


def _fitting(entry: dict[str, Any], item_id: Any) -> dict[str, Any]:
    """The entry for ``item_id``; for a real item, with only the numbers its dose type takes."""
    dose_type = (
        KNOWN["dose_type"][KNOWN["item_id"].index(item_id)] if item_id in KNOWN["item_id"] else None
    )
    if dose_type is None:
        return {**entry, "item_id": item_id}
    fits = {"pain_during_0_10", "effort_0_10", ACHIEVED_FIELD[dose_type]}
    fits |= {"sets_done"} if dose_type in SETS_APPLY_TO else set()
    return {
        name: None if name in LIMITS and (name not in fits or not entry.get("done")) else value
        for name, value in {**entry, "item_id": item_id}.items()
    }


def _real_session(body: Any) -> st.SearchStrategy[Any]:
    """A logged session's items and day either the patient's real ones or as generated."""
    if not isinstance(body, dict) or not isinstance(body.get("exercises"), list):
        return st.just(body)
    entries = [
        st.just(entry)
        if not isinstance(entry, dict)
        else st.builds(
            _fitting,
            st.just(entry),
            st.sampled_from([*KNOWN["item_id"], entry.get("item_id")]),
        )
        for entry in body["exercises"]
    ]
    return st.builds(
        lambda exercises, day, notes: (
            {**body, "exercises": exercises, "performed_on": day}
            | ({} if notes is None else {"notes": notes})
        ),
        st.tuples(*entries).map(list),
        st.sampled_from([*KNOWN["performed_on"], body.get("performed_on")]),
        st.sampled_from([body.get("notes"), *AWKWARD_TEXT]),
    )


JOINTS = {"blazepose33": 33, "kinect22": 22}
coordinate = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32)


def _frames(joints: int) -> st.SearchStrategy[list[list[list[float]]]]:
    """A short recording of the right shape: the engine gets numbers it has to cope with."""
    joint = st.tuples(coordinate, coordinate, coordinate, st.floats(0, 1)).map(list)
    return st.lists(st.lists(joint, min_size=joints, max_size=joints), min_size=1, max_size=40)


def _real_recording(body: Any) -> st.SearchStrategy[Any]:
    """A motion upload's frames either of the skeleton's size or as generated."""
    joints = JOINTS.get(str(body.get("skeleton"))) if isinstance(body, dict) else None
    if joints is None or "frames" not in body:
        return st.just(body)
    frames = st.one_of(_frames(joints), st.just(body["frames"]))
    return frames.map(lambda frames: {**body, "frames": frames})


@schema.hook
def flatmap_case(ctx: HookContext, case: Case[Any]) -> st.SearchStrategy[Case[Any]]:
    """Mix the real data into the valid parts of a case (an invalid part must stay invalid)."""
    if not KNOWN:
        return st.just(case)

    def negative(location: ParameterLocation) -> bool:
        return case.meta is not None and case.meta.is_negative_at(location)

    def with_real_data(path_parameters: Any, body: Any) -> Case[Any]:
        case.path_parameters, case.body = path_parameters, body
        return case

    path = case.path_parameters
    return st.builds(
        with_real_data,
        st.just(path) if negative(ParameterLocation.PATH) or not path else _real_ids(path),
        st.just(case.body)
        if negative(ParameterLocation.BODY)
        else _real_session(case.body).flatmap(_real_recording),
    )


LEAKS = ("Traceback", 'File "', "django.")
"""Text of a stack trace or Django's debug page, which must never reach a client."""
PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def problem_details(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    """No stack trace in any answer, and every 4xx an RFC 9457 problem."""
    text = response.text or ""
    for leak in LEAKS:
        assert leak not in text, f"the response shows {leak!r}"
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type == CONTENT_TYPE, f"{response.status_code} answered {content_type!r}"
        problem = json.loads(text)
        assert problem.keys() >= PROBLEM_FIELDS, (
            f"a problem without {PROBLEM_FIELDS - problem.keys()}"
        )
        assert problem["status"] == response.status_code


def call(case: Case[Any]) -> None:
    case.call_and_validate(additional_checks=[problem_details])


@pytest.fixture
def as_patient(known_data: None, patient: Patient) -> None:
    log_in(patient.user, PatientLogin.session_key)


@pytest.fixture
def as_clinician(known_data: None, clinician: User) -> None:
    log_in(clinician, ClinicianLogin.session_key)


# exclude(), not include(): with [[operations]] in its config, schemathesis 4.32 ignores include()
@schema.auth.apply(PatientLogin, refresh_interval=None)
@schema.exclude(path_regex="^/api/v1/patients/").parametrize()
@FUZZ
def test_it_survives_fuzzing_as_a_patient(case: Case[Any], as_patient: None) -> None:
    call(case)


@schema.auth.apply(ClinicianLogin, refresh_interval=None)
@schema.exclude(path_regex="^/api/v1/me/").parametrize()
@FUZZ
def test_it_survives_fuzzing_as_a_clinician(case: Case[Any], as_clinician: None) -> None:
    call(case)


@schema.parametrize()
@FUZZ
def test_it_survives_fuzzing_anonymously(case: Case[Any], transactional_db: Any) -> None:
    call(case)


# ---- bodies the API will not read: explicit cases, as a phone app might send them -----------


def _body_limit(case: Case[Any]) -> int:
    """The operation's byte limit, as its OpenAPI entry declares it."""
    declared = case.operation.definition.raw.get(MAX_BODY_KEY)
    return int(declared if declared is not None else django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


UNREADABLE = {
    "JSON over the limit": (413, "application/json", None),
    "multipart/form-data": (415, "multipart/form-data", {"notes": "x"}),
    "a form": (415, "application/x-www-form-urlencoded", {"notes": "x"}),
    "text/plain": (415, "text/plain", "{}"),
}
"""What each operation must refuse, before reading it or checking the login: a JSON body one
byte over its limit (413) and bodies that are not JSON (415). Django read a large body, and the
CSRF check parsed a form, before ninja did; ninja then answered 500 (``RequestDataTooBig`` with
DEBUG on, ``RawPostDataException``)."""


def _refused_with(status: int) -> Any:
    def refused(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
        """The body refused with ``status``, whatever else the request had right."""
        assert response.status_code == status, f"{response.status_code}, not {status}"

    return refused


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_it_refuses_bodies_it_will_not_read(as_patient: None, kind: str) -> None:
    status, media_type, body = UNREADABLE[kind]
    for result in schema.get_all_operations():
        operation = result.ok()
        case = operation.Case(
            path_parameters={
                name: KNOWN[name][0] for name in re.findall(r"{(\w+)}", operation.path)
            },
            media_type=media_type,
            body=body,
        )
        if body is None:  # one byte over: '{"pad": "' and '"}' are 11 bytes
            case.body = {"pad": "x" * (_body_limit(case) - 10)}
        log_case_in(case, PatientLogin.session_key)
        case.call_and_validate(
            additional_checks=[_refused_with(status), problem_details],
            # the login is set by hand on these cases, which this check takes for generated
            # (so invalid) credentials; the fuzz tests above check it
            excluded_checks=[ignored_auth],
        )
