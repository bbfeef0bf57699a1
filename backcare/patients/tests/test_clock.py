"""The one clock: a patient's zone is their own, else their clinic's; their today follows it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from backcare.accounts.models import Clinic
from backcare.patients.clock import clinic_today, local_date, today_for, zone_name_of
from backcare.patients.forms import IntakeForm
from backcare.patients.models import Patient

# 10:30 UTC on Monday 16 March 2026 is already 00:30 on Tuesday on Kiritimati (UTC+14) and
# still 23:30 on Sunday in Pago Pago (UTC-11): three dates at one instant.
INSTANT = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("own", "clinics", "expected"),
    [
        ("Pacific/Kiritimati", "Europe/London", "Pacific/Kiritimati"),
        ("", "Pacific/Pago_Pago", "Pacific/Pago_Pago"),
        ("Nowhere/City", "Europe/Madrid", "Europe/Madrid"),  # a name tzdata no longer has
        ("", "Nowhere/City", "UTC"),  # then the server's TIME_ZONE
    ],
)
def test_it_takes_the_patients_zone_else_the_clinics_else_the_servers(
    patient: Patient, clinic: Clinic, own: str, clinics: str, expected: str
) -> None:
    clinic.time_zone, patient.time_zone = clinics, own

    assert zone_name_of(patient) == expected


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Pacific/Kiritimati", date(2026, 3, 17)),
        ("Pacific/Pago_Pago", date(2026, 3, 15)),
        ("UTC", date(2026, 3, 16)),
    ],
)
def test_it_gives_the_patients_date_on_either_side_of_the_date_line(
    patient: Patient, time_machine: Any, zone: str, day: date
) -> None:
    patient.time_zone = zone
    time_machine.move_to(INSTANT, tick=False)

    assert (today_for(patient), local_date(patient, INSTANT)) == (day, day)


def test_it_gives_the_clinics_date_for_an_intake(clinic: Clinic, time_machine: Any) -> None:
    clinic.time_zone = "Pacific/Kiritimati"
    time_machine.move_to(INSTANT, tick=False)

    assert clinic_today(clinic) == date(2026, 3, 17)


def test_it_finds_the_zone_without_a_query_once_the_clinic_is_loaded(
    patient: Patient, django_assert_num_queries: Any
) -> None:
    loaded = Patient.objects.select_related("clinic").get(pk=patient.pk)

    with django_assert_num_queries(0):
        today_for(loaded, INSTANT)


def test_a_new_clinic_starts_in_the_servers_zone(settings: Any, db: Any) -> None:
    settings.TIME_ZONE = "Europe/Lisbon"

    assert Clinic.objects.create(name="Lisbon Physio").time_zone == "Europe/Lisbon"


@pytest.mark.parametrize(
    ("born", "refused"), [(date(2026, 3, 17), False), (date(2026, 3, 18), True)]
)
def test_the_intake_reads_the_birth_date_against_the_clinics_day(
    clinic: Clinic, time_machine: Any, born: date, refused: bool
) -> None:
    clinic.time_zone = "Pacific/Kiritimati"  # already Tuesday 17th there; UTC is on the 16th
    time_machine.move_to(INSTANT, tick=False)

    form = IntakeForm({"date_of_birth": born.isoformat()}, clinic=clinic)

    assert ("date_of_birth" in form.errors) is refused
