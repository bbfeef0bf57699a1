"""A patient with a row in every export section, built straight in the database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from backcare.accounts.models import Invitation, User
from backcare.alerts.models import Alert
from backcare.checkins.models import CheckIn, Goal, GoalRating
from backcare.instruments.models import Assignment, Instrument, Response
from backcare.logbook.models import ExerciseLog, Session
from backcare.motion.models import MotionAnalysis
from backcare.patients.models import Patient, RedFlagScreen
from backcare.programmes.models import Programme
from backcare.reminders.models import CalendarFeed, ReminderDelivery, ReminderSchedule
from backcare.reviews.models import Review
from backcare.testing import audit_row

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def fill_every_section(patient: Patient, clinician: User) -> None:
    """One or more rows of every kind backcare keeps about ``patient`` (who has a programme)."""
    programme = Programme.objects.filter(patient=patient).get()
    item = programme.items.first()
    assert item is not None
    RedFlagScreen.objects.create(
        patient=patient, action="none", note="Screened at intake", screened_by=clinician
    )
    session = Session.objects.create(
        patient=patient,
        programme=programme,
        client_id=uuid.uuid4(),
        body_hash="x",
        performed_on=date(2026, 3, 1),
        notes="Felt stiff after the bridge",
    )
    log = ExerciseLog.objects.create(session=session, item=item, done=True, pain_during_0_10=3)
    MotionAnalysis.objects.create(
        exercise_log=log,
        client_id=uuid.uuid4(),
        body_hash="y",
        skeleton="blazepose33",
        fps=30,
        frame_count=90,
        profile_slug="bridge",
        profile_hash="z",
        judged=True,
        confidence=0.9,
        result={"reps": 5},
    )
    Review.objects.create(
        patient=patient,
        programme=programme,
        computed_on=date(2026, 3, 1),
        decision="hold",
        from_stage="initial",
        summary="Hold",
    )
    goal = Goal.objects.create(patient=patient, activity="Gardening", baseline_0_10=3)
    checkin = CheckIn.objects.create(
        patient=patient,
        week_of=date(2026, 2, 23),
        pain_now_0_10=4,
        pain_average_0_10=4,
        pain_worst_0_10=6,
        interference_0_10=5,
        sleep_quality_0_10=6,
        confidence_0_10=6,
        flare_ups=0,
    )
    GoalRating.objects.create(checkin=checkin, goal=goal, rating_0_10=5)
    instrument = Instrument.objects.create(
        clinic=patient.clinic,
        questionnaire={},
        url=f"https://example.org/q/{patient.pk}",
        title="A scale",
        status="active",
        owner="Example",
        licence="CC0",
        attribution="Example",
    )
    assignment = Assignment.objects.create(patient=patient, instrument=instrument, context="intake")
    Response.objects.create(
        patient=patient,
        assignment=assignment,
        instrument=instrument,
        response={"item": []},
        answered_by=patient.user,
    )
    Alert.objects.create(patient=patient, kind="pain_spike", key="2026-03-01", message="Pain 8")
    ReminderSchedule.objects.create(patient=patient, time_of_day=time(18, 0))
    CalendarFeed.objects.create(patient=patient, token_hash=f"{patient.pk:x}".rjust(64, "c"))
    delivery = ReminderDelivery.objects.create(
        patient=patient, local_date=date(2026, 3, 1), due_at=NOW, note=""
    )
    Invitation.issue(patient, clinician)
    # a mail server's refusal quotes the address: note() must keep it out of the trail
    audit_row(
        None,
        "reminders.email.fail",
        patient_id=patient.pk,
        obj=delivery,
        note=f"550 mailbox {patient.email} unavailable",
    )
    audit_row(patient.user, "logbook.today.view", patient_id=patient.pk)
