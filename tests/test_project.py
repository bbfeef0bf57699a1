"""Project-wide promises: the pure core, the database set-up, documentation, commands."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Model
from django.test import Client

from backcare.accounts.models import Clinic, User
from backcare.checkins.models import CheckIn
from backcare.demo import seed_demo
from backcare.logbook.models import Session
from backcare.patients.models import Patient
from backcare.patients.scoping import ScopedManager
from backcare.reviews.models import Review

ROOT = Path(__file__).resolve().parent.parent
UNSCOPED_BY_DESIGN = {
    "Invitation": "found only by the hash of its secret token, before anyone is logged in",
}


def scoped_models() -> set[type[Model]]:
    return {m for m in apps.get_models() if isinstance(m._default_manager, ScopedManager)}


def test_every_model_linked_to_patient_data_uses_the_scoped_manager() -> None:
    scoped = scoped_models()
    unscoped = sorted(
        model.__name__
        for model in apps.get_models()
        if model not in scoped
        and model.__name__ not in UNSCOPED_BY_DESIGN
        and any(
            field.many_to_one or field.one_to_one
            for field in model._meta.get_fields()
            if getattr(field, "related_model", None) in scoped and not field.auto_created
        )
    )
    assert unscoped == []


def test_it_keeps_django_out_of_the_core() -> None:
    offenders = [
        path.relative_to(ROOT)
        for path in (ROOT / "backcare" / "core").rglob("*.py")
        if re.search(r"^\s*(import|from)\s+django\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_accounts_does_not_import_the_demo() -> None:
    """The demo seeds accounts; accounts importing the demo back would tie the two in a cycle."""
    offenders = [
        path.relative_to(ROOT)
        for path in (ROOT / "backcare" / "accounts").rglob("*.py")
        if re.search(r"^\s*(import|from)\s+backcare\.demo\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def request_facing_files() -> list[Path]:
    """Every module that answers a request: views, APIs and template tags."""
    package = ROOT / "backcare"
    files = [package / "api.py", *package.glob("*/api.py"), *package.glob("*/*views.py")]
    files += package.glob("*/templatetags/*.py")
    return sorted(set(files))


def test_it_reaches_patient_data_in_views_only_through_the_scoped_manager() -> None:
    names = sorted(model.__name__ for model in scoped_models())
    assert {"Patient", "Session", "Review", "Alert", "MotionAnalysis"} <= set(names)
    # patient_targeted: only the id of the patient a refused lookup aimed at, for its audit row
    pattern = re.compile(rf"\b({'|'.join(names)})\.objects\.(?!for_actor\b|patient_targeted\b)")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in request_facing_files()
        for match in pattern.finditer(path.read_text())
    ]
    assert len(request_facing_files()) > 15
    assert offenders == []


@pytest.mark.django_db
def test_it_runs_sqlite_in_wal_mode_with_full_sync() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas apply to the SQLite database only")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # 2 = FULL


def test_it_documents_every_configuration_variable_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in settings.CONFIG if f"`{name}`" not in readme]
    assert missing == []


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "BACKCARE_SECRET_KEY must be set"),
        ({"BACKCARE_SECRET_KEY": "x" * 49}, "BACKCARE_SECRET_KEY must be set"),
        ({"BACKCARE_SECRET_KEY": "abcd" * 20}, "BACKCARE_SECRET_KEY must be set"),
        ({"BACKCARE_SECRET_KEY": "x" * 40, "BACKCARE_DEBUG": "1"}, "BACKCARE_DEBUG must be off"),
        ({"BACKCARE_SECRET_KEY": "0123456789" * 5}, "BACKCARE_BASE_URL must be the public"),
        ({"BACKCARE_BASE_URL": "http://10.0.0.5:8000"}, "BACKCARE_BASE_URL must be the public"),
    ],
)
def test_it_refuses_to_start_in_production_with_an_insecure_setting(
    env: dict[str, str], problem: str
) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    environ |= {"BACKCARE_ENV": "production", "DJANGO_SETTINGS_MODULE": "backcare.settings"} | env
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert problem in result.stderr


def test_it_starts_in_production_with_secure_settings() -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    environ |= {
        "BACKCARE_ENV": "production",
        "BACKCARE_SECRET_KEY": "0123456789" * 5,
        "BACKCARE_BASE_URL": "https://backcare.example.org",
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_deployment_checklist_is_clean_under_production_settings(tmp_path: Path) -> None:
    """``manage.py check --deploy`` (HSTS, secure cookies, SSL redirect, secret key, DEBUG …) on
    SQLite: CI's PostgreSQL runs with fsync off, which the durability guard rightly refuses."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    environ.pop("DATABASE_URL", None)
    environ |= {
        "BACKCARE_ENV": "production",
        "BACKCARE_SECRET_KEY": secrets.token_urlsafe(50),
        "BACKCARE_BEHIND_PROXY": "on",
        "BACKCARE_ALLOWED_HOSTS": "backcare.example",
        "BACKCARE_BASE_URL": "https://backcare.example",
        "BACKCARE_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_it_seeds_the_demo_clinic_once_with_six_weeks_of_logs(library: Any) -> None:
    assert seed_demo()
    assert not seed_demo()
    clinic = Clinic.objects.get(is_demo=True)
    patients = Patient.objects.filter(clinic=clinic)
    assert sorted(patients.values_list("stage", flat=True)) == [
        "advanced",
        "initial",
        "intermediate",
    ]
    assert all(p.is_demo for p in patients)
    for patient in patients:
        sessions = Session.objects.filter(patient=patient)
        assert 20 <= sessions.count() <= 42
        days = {s.performed_on for s in sessions}
        assert (max(days) - min(days)).days >= 28
    assert all(CheckIn.objects.filter(patient=p).count() >= 4 for p in patients)
    # the engine reads the six weeks: the improving initial-stage patient is proposed to progress
    dana = patients.get(user__username="demo-dana")
    assert list(Review.objects.filter(patient=dana).values_list("decision", "status")) == [
        ("progress", "pending")
    ]


@pytest.mark.django_db
def test_it_prepares_and_prints_the_url_and_demo_logins() -> None:
    out = io.StringIO()
    call_command("serve", "--demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert "demo-clinician" in text and "demo-backcare" in text
    assert User.objects.filter(username="demo-dana").exists()
    key = re.search(r"add the key ([A-Z2-7 ]+) to an authenticator app", text)
    assert key, "the demo clinician's second factor is printed"
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    client = Client()
    client.post("/login/", {"username": "demo-clinician", "password": "demo-backcare"})
    answer = client.post("/account/two-factor/verify/", {"code": code.getvalue().split()[0]})
    assert answer.status_code == 302 and client.get("/clinic/patients/").status_code == 200


@pytest.mark.django_db
def test_the_demo_admin_signs_in_with_the_demo_code_and_reads_the_audit_log() -> None:
    out = io.StringIO()
    call_command("serve", "--demo", "--no-serve", stdout=out)
    assert "demo-admin" in out.getvalue()
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    client = Client()
    client.post("/login/", {"username": "demo-admin", "password": "demo-backcare"})
    answer = client.post("/account/two-factor/verify/", {"code": code.getvalue().split()[0]})
    assert answer.status_code == 302 and client.get("/clinic/audit/").status_code == 200


def test_the_demo_clinician_keeps_the_published_key_whatever_a_visitor_did(library: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from backcare.demo import DEMO_TOTP_KEY, demo_authenticator

    seed_demo()
    clinician = User.objects.get(username="demo-clinician")
    TOTPDevice.objects.filter(user=clinician).delete()
    TOTPDevice.objects.create(user=clinician, name="a visitor's phone")  # moved to their own app
    call_command("demo_code", stdout=io.StringIO())
    keys = list(TOTPDevice.objects.filter(user=clinician).values_list("key", "confirmed"))
    assert keys == [(DEMO_TOTP_KEY, True)]
    assert demo_authenticator() is not None


@pytest.mark.django_db
def test_the_demo_code_needs_a_demo_clinic() -> None:
    with pytest.raises(CommandError, match="no demo clinic"):
        call_command("demo_code")


@pytest.mark.django_db
def test_it_creates_a_clinic_and_its_first_clinician_from_the_shell() -> None:
    out = io.StringIO()
    call_command("create_clinic", "Riverside Physio", stdout=out)
    clinic = Clinic.objects.get(name="Riverside Physio")
    call_command("create_clinician", "--clinic", str(clinic.pk), "alice", "a@x.org", stdout=out)
    user = User.objects.get(username="alice")
    assert user.clinic == clinic and user.is_clinician
    assert "/password/reset/" in out.getvalue()


def test_it_documents_every_red_flag_with_its_action() -> None:
    from backcare.core.screening import RED_FLAGS

    doc = (ROOT / "docs" / "clinical-rules.md").read_text()
    for flag in RED_FLAGS:
        assert f"| `{flag.key}` |" in doc
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{flag.key}` |"))
        assert f"| {flag.action.replace('_', ' ')} |" in row
        assert flag.question in row and flag.condition in row and flag.source in row


def test_it_accepts_forms_from_the_public_https_address_behind_a_proxy() -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    environ |= {
        "BACKCARE_ENV": "production",
        "BACKCARE_SECRET_KEY": "0123456789" * 5,
        "BACKCARE_BASE_URL": "https://backcare.example.org/",
        "BACKCARE_BEHIND_PROXY": "on",
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CSRF_TRUSTED_ORIGINS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['https://backcare.example.org'] ('HTTP_X_FORWARDED_PROTO', 'https') True"
    )


@pytest.mark.parametrize("url", ["smtp:/missing-host", "mailto:me@example.org", "smpt://h:25"])
def test_it_refuses_an_email_url_it_cannot_use(url: str) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    environ |= {"BACKCARE_EMAIL_URL": url, "DJANGO_SETTINGS_MODULE": "backcare.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert "BACKCARE_EMAIL_URL must be" in result.stderr


def test_every_test_docs_security_names_as_proof_exists() -> None:
    """The promise table is only as good as the tests it names: a renamed or deleted test must
    fail here rather than leave a promise with no proof."""
    doc = (ROOT / "docs" / "security.md").read_text()
    sources = {
        path: path.read_text()
        for path in ROOT.glob("**/test_*.py")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    }
    missing = []
    for file, name in re.findall(r"`((?:tests|backcare)/[\w/]*test_\w+\.py)(?:::(\w+))?`", doc):
        text = sources.get(ROOT / file)
        if text is None or (name and f"def {name}(" not in text):
            missing.append(f"{file}::{name}" if name else file)
    for name in set(re.findall(r"`(test_\w+)`", doc)):
        if not any(f"def {name}(" in text for text in sources.values()):
            missing.append(name)
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"
