"""Migration 0002 moves the zone chosen on the reminders page to the patient, then drops it from
the schedule; reversed, the schedule gets the patient's zone back."""

from __future__ import annotations

from datetime import time

import pytest

from backcare.accounts.models import Clinic
from backcare.patients.models import Patient
from backcare.testing import latest_migrations, make_patient, migrate_to

BEFORE = [("reminders", "0001_initial")]
AFTER = [("reminders", "0002_time_zone_moves_to_the_patient")]


@pytest.mark.django_db(transaction=True)
def test_the_schedules_zone_becomes_the_patients_unless_it_is_the_clinics(
    patient: Patient, other_patient: Patient, clinic: Clinic
) -> None:
    unknown = make_patient(clinic, "rowan")
    chosen = {patient: "Asia/Tokyo", other_patient: "UTC", unknown: "Nowhere/City"}
    try:
        old = migrate_to(BEFORE).get_model("reminders", "ReminderSchedule")
        for someone, zone in chosen.items():
            old.objects.create(patient_id=someone.pk, time_of_day=time(18), time_zone=zone)
    finally:
        migrate_to(AFTER)
    zones = dict(Patient.objects.values_list("pk", "time_zone"))
    assert [zones[p.pk] for p in chosen] == ["Asia/Tokyo", "", ""]  # the clinic's is UTC


@pytest.mark.django_db(transaction=True)
def test_reversed_the_schedule_takes_the_patients_zone_else_the_clinics(
    patient: Patient, other_patient: Patient
) -> None:
    Patient.objects.filter(pk=patient.pk).update(time_zone="Asia/Tokyo")
    try:
        current = migrate_to(AFTER).get_model("reminders", "ReminderSchedule")
        for someone in (patient, other_patient):
            current.objects.create(patient_id=someone.pk, time_of_day=time(18))
        old = migrate_to(BEFORE).get_model("reminders", "ReminderSchedule")
        zones = dict(old.objects.values_list("patient_id", "time_zone"))
    finally:
        migrate_to(latest_migrations())
    assert zones == {patient.pk: "Asia/Tokyo", other_patient.pk: "UTC"}
