"""Password storage: Argon2 first, older hashes upgraded at the next login."""

from __future__ import annotations

from typing import Any

from django.conf import settings as project_settings
from django.contrib.auth.hashers import make_password

from backcare.accounts.models import User
from backcare.testing import PASSWORD, logged_in

PROJECT_HASHERS = list(project_settings.PASSWORD_HASHERS)  # before the tests' fast MD5 fixture


def test_new_passwords_are_stored_with_argon2id(settings: Any) -> None:
    settings.PASSWORD_HASHERS = PROJECT_HASHERS

    assert PROJECT_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password(PASSWORD).startswith("argon2$argon2id$")


def test_an_older_hash_is_upgraded_to_argon2_at_login(settings: Any, db: Any) -> None:
    settings.PASSWORD_HASHERS = PROJECT_HASHERS
    user = User.objects.create(
        username="old", password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )

    assert user.check_password(PASSWORD)

    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_a_new_password_ends_the_users_other_sessions(clinician: User) -> None:
    """Django ties each session to a hash of the password; a reset elsewhere logs this one out."""
    browser = logged_in(clinician)
    assert browser.get("/clinic/patients/").status_code == 200

    clinician.set_password("a-completely-new-passphrase")
    clinician.save()

    response = browser.get("/clinic/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_deactivating_a_user_ends_their_sessions(clinician: User) -> None:
    browser = logged_in(clinician)
    assert browser.get("/clinic/patients/").status_code == 200

    clinician.is_active = False
    clinician.save()

    response = browser.get("/clinic/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
