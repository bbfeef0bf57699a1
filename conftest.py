"""Personas built in code for every permission test, and the loaded exercise library.

- ``clinician`` of ``clinic``, and their ``patient`` (with a login and an assigned programme);
- ``other_patient``: another patient of the same clinic (must not see ``patient``'s data);
- ``outsider``: a clinician of another clinic (gets 404 for ``patient``'s data);
- anonymous: Django's test ``client`` before logging in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from backcare.accounts.models import Clinic, User
from backcare.library.models import Exercise
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, make_patient, make_programme


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test run gets its own SQLite file (WAL needs a file), so runs never collide."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    # no persistent connections: the live server's threads must let go of the test database
    database["CONN_MAX_AGE"] = 0
    # test databases are thrown away: flush may lift the audit table's append-only triggers to
    # empty it between transactional tests (backcare/audit/management/commands/flush.py)
    settings.AUDIT_FLUSH_ALLOWED = True
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Personas get passwords; a deliberately slow production hash would only cost test time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_data_folder(settings: Any, tmp_path: Path) -> None:
    """Files kept beside the database (the address ``serve`` records for links, backups) go to
    a folder of the test's own, so no test sees what another left."""
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(autouse=True)
def default_language_between_tests() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the test's thread (LocaleMiddleware does
    not reset it); code called directly in the next test must start in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache_between_tests() -> Iterator[None]:
    """The per-process cache counts wrong secret links per address (backcare.audit.probes);
    every test client is 127.0.0.1, so counts left by one test would throttle the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(db: Any) -> dict[str, Exercise]:
    refresh_library()
    return {row.slug: row for row in Exercise.objects.all()}


@pytest.fixture
def clinic(db: Any) -> Clinic:
    return Clinic.objects.create(name="Riverside Physio", phone="01234 567890")


@pytest.fixture
def clinician(clinic: Clinic) -> User:
    return User.objects.create_user(
        "alice",
        "alice@riverside.example",
        PASSWORD,
        role=User.Role.CLINICIAN,
        clinic=clinic,
        first_name="Alice",
        last_name="Physio",
    )


@pytest.fixture
def outsider(db: Any) -> User:
    other = Clinic.objects.create(name="Hilltop Clinic")
    return User.objects.create_user(
        "olga", "olga@hilltop.example", PASSWORD, role=User.Role.CLINICIAN, clinic=other
    )


@pytest.fixture
def patient(clinic: Clinic, library: dict[str, Exercise]) -> Patient:
    patient = make_patient(clinic, "pat")
    make_programme(patient, ["abdominal-bracing", "bridge", "walking"])
    return patient


@pytest.fixture
def other_patient(clinic: Clinic, library: dict[str, Exercise]) -> Patient:
    other = make_patient(clinic, "quinn")
    make_programme(other, ["pelvic-tilt", "heel-raises"])
    return other


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    """A Playwright page in Debian's chromium; CI treats a missing browser as a failure."""
    if not CHROMIUM.exists():
        message = "Debian's chromium is needed: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are ordinary blocking calls, so Django's async guard must stand down.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs get their own connection (Django keys
            # connections by context); close it here, or PostgreSQL cannot drop the test database
            connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
