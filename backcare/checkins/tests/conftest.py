"""Check-in test set-up: time frozen on a Wednesday, so "this week" began on Monday 10 March."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from backcare.checkins.models import Goal
from backcare.patients.models import Patient

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)
MONDAY = date(2025, 3, 10)
SCORES: dict[str, Any] = {
    "pain_now_0_10": 4,
    "pain_average_0_10": 5,
    "pain_worst_0_10": 7,
    "interference_0_10": 3,
    "sleep_quality_0_10": 6,
    "confidence_0_10": 8,
    "flare_ups": 1,
}


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def goals(patient: Patient) -> list[Goal]:
    """Two active goals of ``patient``, named at intake."""
    return [
        Goal.objects.create(
            patient=patient, activity="Walk the dog for 30 minutes", baseline_0_10=3, position=1
        ),
        Goal.objects.create(
            patient=patient, activity="Lift my grandson", baseline_0_10=1, position=2
        ),
    ]


def form_data(goals: list[Goal], **fields: Any) -> dict[str, Any]:
    """The check-in form as a patient sends it: every question answered, each goal rated 5."""
    data: dict[str, Any] = {name: str(value) for name, value in SCORES.items()}
    data |= {f"goal-{goal.pk}": "5" for goal in goals} | {"notes": "Busy week."}
    return data | fields
