"""Creating patients, screening them for red flags, and listing them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from backcare.accounts.models import User
from backcare.alerts.services import email_clinicians, raise_alert
from backcare.audit import trail
from backcare.checkins.services import GoalDraft, add_goals
from backcare.core.screening import ScreenResult, assess
from backcare.patients.clock import today_for
from backcare.patients.models import Patient, RedFlagScreen


@transaction.atomic
def create_patient(
    by: User,
    fields: dict[str, Any],
    positive_flags: list[str],
    note: str = "",
    goals: Sequence[GoalDraft] = (),
) -> tuple[Patient, ScreenResult]:
    """Create a patient from an intake with their activity goals, and store its red-flag screen."""
    assert by.clinic is not None, "only a clinician of a clinic creates patients"
    patient = Patient.objects.create(clinic=by.clinic, created_by=by, **fields)
    trail.note(by, "patient.create", patient_id=patient.pk, obj=patient)
    add_goals(by, patient, goals)
    return patient, screen_patient(by, patient, positive_flags, note)


@transaction.atomic
def screen_patient(
    by: User,
    patient: Patient,
    positive_flags: list[str],
    note: str = "",
    source: str = RedFlagScreen.Source.CLINICIAN,
) -> ScreenResult:
    """Store a red-flag screen; a clean re-screen clears an earlier flag.

    ``note`` is the clinician's note, or, from a patient's own report (``source``), what the
    patient wrote: their words go on the alert too, so the clinician reads them beside the flag.
    """
    result = assess(positive_flags)
    screen = RedFlagScreen.objects.create(
        patient=patient,
        positive_flags=[f.key for f in result.positive],
        action=result.action,
        source=source,
        note=note,
        screened_by=by,
    )
    trail.note(by, "redflag.screen", patient_id=patient.pk, obj=screen, action_taken=result.action)
    if result.blocks_programme:
        conditions = sorted({flag.condition for flag in result.positive})
        who = "The patient reported" if by.is_patient else f"{by.get_username()} recorded"
        alert, created = raise_alert(
            patient,
            "red_flag",
            f"screen-{screen.pk}",
            f"{who} a red flag ({', '.join(conditions)}): {result.action.replace('_', ' ')}.",
            urgency=result.action,
            actor=by,
            patient_note=note if screen.by_patient else "",
        )
        if created:
            transaction.on_commit(lambda: email_clinicians(alert))
    return result


@transaction.atomic
def report_symptom(
    by: User,
    patient: Patient,
    positive_flags: list[str],
    note: str,
    source: str = RedFlagScreen.Source.SYMPTOM_REPORT,
) -> ScreenResult:
    """A patient's own report: "I have a new symptom", or warning signs ticked in a check-in.

    Any red flag is stored as a screen (stopping the programme and alerting the clinic), with
    what the patient wrote. A report with no red flag never lifts a flag a clinician recorded,
    so it is no screen; but words the patient wrote still reach the clinic as a "new symptom"
    alert (no e-mail: nothing they ticked needs a doctor), never lost.
    """
    if positive_flags:
        return screen_patient(by, patient, positive_flags, note, source)
    trail.note(by, "redflag.self_report", patient_id=patient.pk, obj=patient, action_taken="none")
    if note.strip():
        raise_alert(
            patient,
            "new_symptom",
            _report_key(patient, note),
            gettext_noop("The patient reported a new symptom, with no warning sign."),
            actor=by,
            patient_note=note,
        )
    return assess([])


def _report_key(patient: Patient, note: str) -> str:
    """The same words reported twice on one day (a double tap, a reload) are one alert; the
    patient's day, so a report at 23:30 and its reload at 00:10 where they live are two days."""
    digest = hashlib.sha256(note.strip().encode()).hexdigest()[:16]
    return f"report-{today_for(patient).isoformat()}-{digest}"


def list_patients(by: User) -> list[Patient]:
    """The clinician's own clinic's patients (audited as one list read)."""
    patients = list(Patient.objects.for_actor(by).prefetch_related("redflagscreen_set"))
    trail.read(by, "patient.list", count=len(patients))
    return patients
