"""Outcome test set-up: time frozen on Wednesday 12 March 2025, and four weeks of logs.

``improving`` logs a session every day from Monday 10 February to Sunday 9 March with pain
during exercise easing from 6 to 2 and next-morning pain one point lower (``log_sessions``);
the patient's intake pain is 6.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from backcare.accounts.models import Clinic
from backcare.checkins.models import Goal
from backcare.checkins.services import Answers, submit_checkin
from backcare.instruments.models import Assignment, Instrument, Response
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import log_sessions

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)
TODAY = NOW.date()
FIRST_DAY = date(2025, 2, 10)
ATTRIBUTION = "Placeholder attribution © Placeholder Owner Ltd."


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def programme_of(patient: Patient) -> Programme:
    programme = patient.programme_set.get(status=Programme.Status.ACTIVE)
    programme.items.update(days_per_week=7)
    return programme


@pytest.fixture
def improving(patient: Patient) -> Patient:
    log_sessions(programme_of(patient), FIRST_DAY, 28, 6, 2)
    return patient


def check_in(patient: Patient, on: datetime, average: int, ratings: dict[int, int]) -> None:
    """The patient's own check-in answered at ``on``."""
    answers = Answers(
        pain_now_0_10=average,
        pain_average_0_10=average,
        pain_worst_0_10=average + 1,
        interference_0_10=3,
        sleep_quality_0_10=6,
        confidence_0_10=7,
        flare_ups=0,
        goal_ratings=ratings,
    )
    submit_checkin(patient.user, patient, answers, now=on)


def make_goal(patient: Patient, activity: str, baseline: int) -> Goal:
    start = datetime(2025, 2, 10, 9, tzinfo=UTC)
    return Goal.objects.create(
        patient=patient, activity=activity, baseline_0_10=baseline, created_at=start
    )


def score(patient: Patient, code: str, value: float, on: datetime) -> Response:
    """A scored questionnaire answered at ``on`` (placeholder instrument, no item text)."""
    instrument, _ = Instrument.objects.get_or_create(
        clinic=patient.clinic,
        url=f"urn:test:{code}",
        version="1",
        defaults={
            "questionnaire": {},
            "title": f"Placeholder {code.upper()}",
            "status": "active",
            "rule_code": code,
            "owner": "Placeholder Owner Ltd",
            "licence": "Placeholder licence.",
            "attribution": ATTRIBUTION,
        },
    )
    assignment = Assignment.objects.create(
        patient=patient,
        instrument=instrument,
        context="check_in",
        assigned_at=on,
        completed_at=on,
    )
    return Response.objects.create(
        patient=patient,
        assignment=assignment,
        instrument=instrument,
        response={},
        rule_code=code,
        score=value,
        computed_at=on,
        answered_at=on,
    )


def set_change_rule(clinic: Clinic, **change: Any) -> None:
    clinic.rule_settings = {"change": change}
    clinic.save(update_fields=["rule_settings"])
