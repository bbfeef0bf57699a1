"""Creating patients, screening them for red flags, and listing them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from backcare.accounts.models import User
from backcare.audit.services import record
from backcare.core.screening import ScreenResult, assess
from backcare.patients.models import Patient, RedFlagScreen


@transaction.atomic
def create_patient(
    by: User, fields: dict[str, Any], positive_flags: list[str], note: str = ""
) -> tuple[Patient, ScreenResult]:
    """Create a patient from an intake and store its red-flag screen."""
    assert by.clinic is not None, "only a clinician of a clinic creates patients"
    patient = Patient.objects.create(clinic=by.clinic, created_by=by, **fields)
    record(by, "patient.create", patient_id=patient.pk, obj=patient)
    return patient, screen_patient(by, patient, positive_flags, note)


@transaction.atomic
def screen_patient(
    by: User, patient: Patient, positive_flags: list[str], note: str = ""
) -> ScreenResult:
    """Store a red-flag screen; a clean re-screen clears an earlier flag."""
    result = assess(positive_flags)
    screen = RedFlagScreen.objects.create(
        patient=patient, positive_flags=[f.key for f in result.positive], action=result.action,
        note=note, screened_by=by,
    )  # fmt: skip
    record(by, "redflag.screen", patient_id=patient.pk, obj=screen, action_taken=result.action)
    return result


def list_patients(by: User) -> list[Patient]:
    """The clinician's own clinic's patients (audited as one list read)."""
    patients = list(Patient.objects.for_actor(by).prefetch_related("redflagscreen_set"))
    record(by, "patient.list", count=len(patients))
    return patients
