"""Helpers for tests: personas and programmes built in code (no fixture dumps)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from backcare.accounts.models import Clinic, User
from backcare.library.models import Exercise
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem

PASSWORD = "correct horse battery staple"


def make_patient(clinic: Clinic, username: str, **fields: Any) -> Patient:
    """A patient with a login, as after accepting an invitation."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, role="patient")
    defaults = {"first_name": username.title(), "last_name": "Example", "baseline_pain_0_10": 6}
    return Patient.objects.create(clinic=clinic, user=user, email=user.email, **defaults | fields)


def make_programme(patient: Patient, slugs: list[str], status: str = "active") -> Programme:
    """An assigned programme built straight from library defaults."""
    programme = Programme.objects.create(
        patient=patient, version=patient.programme_set.count() + 1, stage=patient.stage,
        status=status,
    )  # fmt: skip
    for position, slug in enumerate(slugs):
        exercise = Exercise.objects.get(slug=slug)
        dose = exercise.core.dose
        ProgrammeItem.objects.create(
            programme=programme, position=position, exercise=exercise, dose_type=dose.dose_type,
            sets=dose.sets, reps=dose.reps, hold_s=dose.hold_s, duration_min=dose.duration_min,
            rest_s=dose.rest_s, days_per_week=dose.days_per_week, reason="test",
        )  # fmt: skip
    return programme


def logged_in(user: User | None) -> Client:
    """A test client logged in as ``user`` (a patient's login is optional on the model)."""
    assert user is not None, "this persona has no login"
    client = Client()
    client.force_login(user)
    return client


def log_sessions(
    programme: Programme,
    first_day: date,
    days: int,
    pain_from: int,
    pain_to: int,
    *,
    every: int = 1,
) -> None:
    """Sessions on every ``every``-th day, all exercises done, pain moving linearly from
    ``pain_from`` to ``pain_to`` during exercise and settling one point lower the next morning."""
    items = list(programme.items.all())
    for day in range(0, days, every):
        pain = round(pain_from + (pain_to - pain_from) * day / max(days - 1, 1))
        session = Session.objects.create(
            patient=programme.patient, programme=programme, client_id=uuid.uuid4(),
            body_hash="test", performed_on=first_day + timedelta(days=day),
            next_morning_pain_0_10=max(0, pain - 1),
        )  # fmt: skip
        ExerciseLog.objects.bulk_create(
            ExerciseLog(session=session, item=item, done=True, sets_done=item.sets,
                        pain_during_0_10=pain, effort_0_10=5)
            for item in items
        )  # fmt: skip


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that is down: every send fails, as SMTP does when unreachable."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server unreachable")
