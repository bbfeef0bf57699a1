"""Helpers for tests: personas and programmes built in code (no fixture dumps)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import Clinic, User
from backcare.accounts.two_factor import authenticator_of, requires_two_factor
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.library.models import Exercise
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem

PASSWORD = "correct horse battery staple"


def make_patient(clinic: Clinic, username: str, **fields: Any) -> Patient:
    """A patient with a login, as after accepting an invitation."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, role="patient")
    defaults = {"first_name": username.title(), "last_name": "Example", "baseline_pain_0_10": 6}
    return Patient.objects.create(clinic=clinic, user=user, email=user.email, **defaults | fields)


def make_programme(patient: Patient, slugs: list[str], status: str = "active") -> Programme:
    """An assigned programme built straight from library defaults."""
    programme = Programme.objects.create(
        patient=patient,
        version=patient.programme_set.count() + 1,
        stage=patient.stage,
        status=status,
    )
    for position, slug in enumerate(slugs):
        exercise = Exercise.objects.get(slug=slug)
        dose = exercise.core.dose
        ProgrammeItem.objects.create(
            programme=programme,
            position=position,
            exercise=exercise,
            dose_type=dose.dose_type,
            sets=dose.sets,
            reps=dose.reps,
            hold_s=dose.hold_s,
            duration_min=dose.duration_min,
            rest_s=dose.rest_s,
            days_per_week=dose.days_per_week,
            reason="test",
        )
    return programme


def logged_in(user: User | None) -> Client:
    """A test client logged in as ``user`` (a patient's login is optional on the model).

    Staff are signed in as after both steps: password and a code from their authenticator app
    (one is set up for them if they have none). Tests of the second step itself log in with
    ``client.force_login`` and go through the code pages.
    """
    assert user is not None, "this persona has no login"
    client = Client()
    client.force_login(user)
    if requires_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for_tests(user).persistent_id
        session.save()
    return client


def authenticator_for_tests(user: User) -> TOTPDevice:
    """The staff member's confirmed authenticator app, set up now if they have none."""
    return authenticator_of(user) or TOTPDevice.objects.create(user=user, name="Test phone")


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app would show now (or a step later: a code is accepted only once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def unused_code(device: TOTPDevice) -> str:
    """A code the server will still accept: this step's, or the next one's (one step of clock
    drift is allowed) when this step's code was used by an earlier sign-in in the same test."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now.time = time.time()
    return current_code(device, max(0, device.last_t + 1 - now.t()))


def browser_log_in(page: Any, username: str) -> None:
    """Log in through the login page; staff also type a code from their (test) authenticator."""
    user = User.objects.get(username=username)
    staff = requires_two_factor(user)
    device = authenticator_for_tests(user) if staff else None  # set up before this sign-in
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    if device is not None:
        page.wait_for_url("**/account/two-factor/verify/**")
        page.fill("#id_code", unused_code(device))
        page.click("button:has-text('Continue')")
        page.wait_for_load_state()


def open_menu(page: Any) -> None:
    """Open the main navigation's "Menu", behind which a phone-width page keeps most links."""
    menu = page.locator("nav details.menu")
    if menu.locator("summary").is_visible() and not menu.evaluate("(details) => details.open"):
        menu.locator("summary").click()


def log_sessions(
    programme: Programme,
    first_day: date,
    days: int,
    pain_from: int,
    pain_to: int,
    *,
    every: int = 1,
) -> None:
    """Sessions on every ``every``-th day, all exercises done, pain moving linearly from
    ``pain_from`` to ``pain_to`` during exercise and settling one point lower the next morning."""
    items = list(programme.items.all())
    for day in range(0, days, every):
        pain = round(pain_from + (pain_to - pain_from) * day / max(days - 1, 1))
        session = Session.objects.create(
            patient=programme.patient,
            programme=programme,
            client_id=uuid.uuid4(),
            body_hash="test",
            performed_on=first_day + timedelta(days=day),
            next_morning_pain_0_10=max(0, pain - 1),
        )
        ExerciseLog.objects.bulk_create(
            ExerciseLog(
                session=session,
                item=item,
                done=True,
                sets_done=item.sets,
                pain_during_0_10=pain,
                effort_0_10=5,
            )
            for item in items
        )


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to ``targets`` (app, migration); the app registry as it was
    there, for building rows the way an older version stored them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest_migrations() -> list[tuple[str, str]]:
    """Every app's newest migration: where a migration test must leave the database."""
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def url_routes(*, with_ids: bool = False) -> list[str]:
    """Every route in Django's URL resolver (the JSON API's included), once each, sorted.

    ``with_ids``: only the routes that take an object id, a slug or a token.
    """
    return sorted(set(_walk(get_resolver(), "", False, with_ids)))


def _walk(resolver: URLResolver, prefix: str, has_id: bool, with_ids: bool) -> Iterator[str]:
    for entry in resolver.url_patterns:
        takes_id = has_id or _takes_id(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern), takes_id, with_ids)
        elif isinstance(entry, URLPattern) and (takes_id or not with_ids):
            yield prefix + str(entry.pattern)


def _takes_id(pattern: Any) -> bool:
    """A path converter (``<int:pk>``, ``<patient_id>``) or a regex group."""
    if getattr(pattern, "converters", None):
        return True
    regex = getattr(pattern, "regex", None)
    return bool(regex is not None and regex.groups)


def fill_route(route: str, kwargs: dict[str, Any]) -> str:
    """The route with its ids filled in (ninja's routes have no reversible names per method)."""
    url = "/" + route
    for key, value in kwargs.items():
        for converter in ("", "int:", "str:", "slug:"):
            url = url.replace(f"<{converter}{key}>", str(value))
    assert "<" not in url, f"{route}: no value for {url}"
    return url


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that is down: every send fails, as SMTP does when unreachable."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server unreachable")


def audit_row(actor: Any, action: str, **facts: Any) -> AuditEvent:
    """One audit row written at once (outside any request), as a job's or a command's would be."""
    row = trail.note(actor, action, **facts)
    assert row is not None, "trail.note writes at once only outside a request or a unit"
    return row
