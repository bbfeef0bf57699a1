"""A patient's questionnaire results are judged by their clinic's own change thresholds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from backcare.instruments.models import Assignment, Instrument, Response
from backcare.instruments.services import results_of
from backcare.patients.models import Patient

pytestmark = pytest.mark.django_db


def scored(patient: Patient, value: float, day: int) -> None:
    instrument = Instrument.objects.get_or_create(
        clinic=patient.clinic,
        url="urn:test:odi",
        version="1",
        defaults={
            "questionnaire": {},
            "name": "odi",
            "title": "ODI",
            "status": "active",
            "rule_code": "odi",
            "mapping": {},
            "owner": "t",
            "licence": "t",
            "attribution": "t",
        },
    )[0]
    assignment = Assignment.objects.create(patient=patient, instrument=instrument, context="intake")
    Response.objects.create(
        patient=patient,
        assignment=assignment,
        instrument=instrument,
        response={},
        rule_code="odi",
        score=value,
        answered_at=datetime(2026, 3, day, 12, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("rule_settings", "label"),
    [
        ({}, "important_improvement"),  # 8 points is 40 % of 20: either rule is enough
        ({"change": {"combine": "both"}}, "no_important_change"),  # needs 10 points too
    ],
)
def test_it_labels_change_with_the_clinics_thresholds(
    patient: Patient, clinician: Any, rule_settings: dict[str, Any], label: str
) -> None:
    patient.clinic.rule_settings = rule_settings
    patient.clinic.save()
    scored(patient, 20, 1)
    scored(patient, 12, 20)
    latest = results_of(clinician, patient)[0]
    assert latest.change is not None
    assert latest.change.label == label
