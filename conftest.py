"""Personas built in code for every permission test, and the loaded exercise library.

- ``clinician`` of ``clinic``, and their ``patient`` (with a login and an assigned programme);
- ``other_patient``: another patient of the same clinic (must not see ``patient``'s data);
- ``outsider``: a clinician of another clinic (gets 404 for ``patient``'s data);
- anonymous: Django's test ``client`` before logging in.
"""

from __future__ import annotations

from typing import Any

import pytest

from backcare.accounts.models import Clinic, User
from backcare.library.models import Exercise
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, make_patient, make_programme

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
        "alice", "alice@riverside.example", PASSWORD, role=User.Role.CLINICIAN, clinic=clinic,
        first_name="Alice", last_name="Physio",
    )  # fmt: skip


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
