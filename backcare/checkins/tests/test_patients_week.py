"""A check-in belongs to the patient's own week, wherever they are, not the server's (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from backcare.checkins.services import Answers, core_checkins_for, submit_checkin
from backcare.checkins.tests.conftest import SCORES
from backcare.patients.models import Patient
from backcare.testing import logged_in

SUNDAY_UTC = datetime(2026, 3, 15, 10, 30, tzinfo=UTC)  # Monday 16 March, 00:30 on Kiritimati
MONDAY_UTC = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)  # Sunday 15 March, 23:30 in Pago Pago
WEEK_OF_9, WEEK_OF_16 = date(2026, 3, 9), date(2026, 3, 16)


def lives_in(patient: Patient, zone: str) -> Patient:
    patient.time_zone = zone
    patient.save(update_fields=["time_zone"])
    return patient


@pytest.mark.parametrize(
    ("zone", "now", "week", "answered_on"),
    [
        ("Pacific/Kiritimati", SUNDAY_UTC, WEEK_OF_16, date(2026, 3, 16)),  # UTC: week of 9
        ("Pacific/Pago_Pago", MONDAY_UTC, WEEK_OF_9, date(2026, 3, 15)),  # UTC: week of 16
        ("UTC", MONDAY_UTC, WEEK_OF_16, date(2026, 3, 16)),
    ],
)
def test_it_files_the_check_in_under_the_patients_week_and_day(
    patient: Patient, time_machine: Any, zone: str, now: datetime, week: date, answered_on: date
) -> None:
    lives_in(patient, zone)
    time_machine.move_to(now, tick=False)

    checkin, _ = submit_checkin(patient.user, patient, Answers(**SCORES))

    assert checkin.week_of == week
    assert [c.on for c in core_checkins_for(patient.user, patient)] == [answered_on]


def test_it_asks_for_this_weeks_check_in_by_the_patients_week(
    patient: Patient, time_machine: Any
) -> None:
    lives_in(patient, "Pacific/Kiritimati")
    time_machine.move_to(SUNDAY_UTC, tick=False)  # Sunday in UTC, Monday on Kiritimati
    submit_checkin(patient.user, patient, Answers(**SCORES))

    time_machine.move_to(datetime(2026, 3, 15, 23, 0, tzinfo=UTC), tick=False)  # Monday 13:00
    page = logged_in(patient.user).get("/me/checkin/")

    assert page.context["week_of"] == WEEK_OF_16
    assert page.context["existing"] is not None  # this week's answers, to change
