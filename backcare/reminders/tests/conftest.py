"""Reminder test set-up: time frozen on Wednesday 14 January 2026, 10:00 UTC."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reminders.models import ReminderSchedule
from backcare.reminders.services import ScheduleChoice, save_schedule

NOW = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def schedule(
    patient: Patient,
    weekdays: set[int] | frozenset[int] = frozenset({0, 2, 4}),
    at: time = time(18, 0),
    zone: str = "Europe/London",
    email: bool = True,
) -> ReminderSchedule:
    """The patient's own schedule, saved as they would on their page."""
    choice = ScheduleChoice(frozenset(weekdays), at, zone, email)
    return save_schedule(patient.user, patient, choice)


def started(patient: Patient, days_ago: int) -> Patient:
    """The patient's programme as assigned ``days_ago`` days before now."""
    Programme.objects.filter(patient=patient).update(assigned_at=NOW - timedelta(days=days_ago))
    return patient
