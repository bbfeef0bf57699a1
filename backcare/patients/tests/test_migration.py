"""Migration 0002 gives old red-flag screens their source, and drops the check-in's English
sentence that stood where the patient's words now go."""

from __future__ import annotations

import pytest

from backcare.accounts.models import User
from backcare.patients.models import Patient, RedFlagScreen
from backcare.testing import latest_migrations, migrate_to

BEFORE = [("patients", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_old_screens_get_their_source(patient: Patient, clinician: User) -> None:
    try:
        old = migrate_to(BEFORE).get_model("patients", "RedFlagScreen")
        made = {
            "checkin": old.objects.create(
                patient_id=patient.pk,
                action="same_day",
                screened_by_id=patient.user_id,
                note="Ticked in the weekly check-in for the week of 10 Mar 2025.",
            ),
            "report": old.objects.create(
                patient_id=patient.pk,
                action="same_day",
                screened_by_id=patient.user_id,
                note="Shivery since yesterday",
            ),
            "clinician": old.objects.create(
                patient_id=patient.pk,
                action="none",
                screened_by_id=clinician.pk,
                note="Clear.",
            ),
        }
    finally:
        migrate_to(latest_migrations())  # 0002, the one under test, and any later
    rows = {k: RedFlagScreen.objects.get(pk=v.pk) for k, v in made.items()}
    assert (rows["checkin"].source, rows["checkin"].note) == ("weekly_checkin", "")
    assert (rows["report"].source, rows["report"].note) == (
        "symptom_report",
        "Shivery since yesterday",
    )
    assert (rows["clinician"].source, rows["clinician"].note) == ("clinician", "Clear.")
