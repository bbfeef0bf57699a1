"""Logbook test set-up: time frozen on a Wednesday morning, programmes assigned a month before."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from backcare.logbook.services import ExerciseEntry, SessionPayload
from backcare.patients.models import Patient, RedFlagScreen
from backcare.programmes.models import Programme, ProgrammeItem

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
ASSIGNED_AT = datetime(2025, 2, 10, 11, 0, tzinfo=UTC)
ACHIEVED = {"reps": "reps_done", "hold": "hold_s_done", "duration": "minutes_done"}
PRESCRIBED = {"reps": "reps", "hold": "hold_s", "duration": "duration_min"}


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def _assigned_a_month_ago(patient: Patient) -> Patient:
    Programme.objects.filter(patient=patient).update(assigned_at=ASSIGNED_AT)
    return patient


@pytest.fixture
def patient(patient: Patient) -> Patient:
    return _assigned_a_month_ago(patient)


@pytest.fixture
def other_patient(other_patient: Patient) -> Patient:
    return _assigned_a_month_ago(other_patient)


def items_of(patient: Patient) -> list[ProgrammeItem]:
    programme = patient.programme_set.get(status="active")
    return list(programme.items.select_related("exercise"))


def entry_json(item: ProgrammeItem, **fields: Any) -> dict[str, Any]:
    """One exercise done at the prescribed dose, pain 2 and effort 5, as the API takes it."""
    body: dict[str, Any] = {
        "item_id": item.pk,
        "done": True,
        "pain_during_0_10": 2,
        "effort_0_10": 5,
    }
    if item.dose_type != "duration":
        body["sets_done"] = item.sets
    body[ACHIEVED[item.dose_type]] = getattr(item, PRESCRIBED[item.dose_type])
    return body | fields


def session_json(patient: Patient, **fields: Any) -> dict[str, Any]:
    """A whole session, every item done, as the API takes it."""
    body = {
        "client_id": str(uuid.uuid4()),
        "performed_on": TODAY.isoformat(),
        "notes": "Felt fine.",
        "exercises": [entry_json(item) for item in items_of(patient)],
    }
    return body | fields


def payload_of(body: dict[str, Any]) -> SessionPayload:
    """The service payload for an API-shaped body."""
    return SessionPayload(
        client_id=uuid.UUID(body["client_id"]),
        performed_on=date.fromisoformat(body["performed_on"]),
        notes=body["notes"],
        exercises=tuple(ExerciseEntry(**e) for e in body["exercises"]),
    )


def raise_red_flag(patient: Patient, action: str = "same_day") -> RedFlagScreen:
    return RedFlagScreen.objects.create(
        patient=patient, positive_flags=["cancer_history"], action=action
    )
