"""Check-in services: weeks, answer rules, scoping, the goal limit, and the core conversion."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.checkins.models import CheckIn, Goal
from backcare.checkins.services import (
    MAX_ACTIVE_GOALS,
    Answers,
    GoalDraft,
    InvalidCheckIn,
    InvalidGoals,
    add_goals,
    check_answers,
    checkins_for,
    core_checkins_for,
    submit_checkin,
    week_of,
)
from backcare.checkins.tests.conftest import MONDAY, SCORES
from backcare.core import progression
from backcare.patients.models import Patient
from backcare.problems import FieldError

ROOT = Path(__file__).resolve().parents[3]


def at(day: int) -> datetime:
    """An evening in March 2025 (the 10th and 17th are Mondays)."""
    return datetime(2025, 3, day, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2025, 3, 10), date(2025, 3, 10)),  # a Monday is its own week
        (date(2025, 3, 12), date(2025, 3, 10)),
        (date(2025, 3, 16), date(2025, 3, 10)),  # Sunday still belongs to that week
        (date(2025, 1, 1), date(2024, 12, 30)),  # across a year end
    ],
)
def test_it_files_a_day_under_the_monday_of_its_week(day: date, monday: date) -> None:
    assert week_of(day) == monday


GOALS = [Goal(pk=1, activity="Walk", baseline_0_10=3), Goal(pk=2, activity="Lift", baseline_0_10=1)]


RANGE_10, CHANGED = "Choose a number from 0 to 10.", "Your goals changed while you were answering."


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({}, []),
        ({"pain_now_0_10": 11}, [FieldError("pain_now_0_10", RANGE_10)]),
        ({"flare_ups": 8}, [FieldError("flare_ups", "Choose a number from 0 to 7.")]),
        ({"sleep_quality_0_10": True}, [FieldError("sleep_quality_0_10", RANGE_10)]),
        ({"goal_ratings": {1: 4}}, [FieldError("goal-2", RANGE_10)]),
        ({"goal_ratings": {1: 4, 2: 4, 3: 4}}, [FieldError("", CHANGED)]),
        ({"red_flags": ("itch",)}, [FieldError("red_flags", "Unknown warning signs: ['itch']")]),
    ],
)
def test_it_checks_each_answer(changes: dict[str, Any], errors: list[FieldError]) -> None:
    answers = Answers(**(SCORES | {"goal_ratings": {1: 4, 2: 6}} | changes))

    assert check_answers(answers, GOALS) == errors


@pytest.mark.parametrize(
    ("now", "average", "worst", "ok"),
    [(4, 5, 5, True), (4, 5, 4, False), (6, 2, 5, False), (0, 0, 0, True)],
)
def test_it_refuses_a_worst_pain_below_the_pain_now_or_on_a_typical_day(
    now: int, average: int, worst: int, ok: bool
) -> None:
    scores = SCORES | {"pain_now_0_10": now, "pain_average_0_10": average, "pain_worst_0_10": worst}

    errors = check_answers(Answers(**scores), [])

    assert (errors == []) is ok


@pytest.mark.django_db
def test_it_lists_check_ins_oldest_week_first_and_only_to_those_who_may_see_them(
    patient: Patient, clinician: User, outsider: User
) -> None:
    for day in (19, 5, 12):
        submit_checkin(patient.user, patient, Answers(**SCORES), now=at(day))

    weeks = [c.week_of for c in checkins_for(clinician, patient)]

    assert weeks == [date(2025, 3, 3), MONDAY, date(2025, 3, 17)]
    assert checkins_for(outsider, patient) == []
    reads = AuditEvent.objects.filter(action="checkins.list").values_list("actor", "detail")
    assert sorted(reads, key=lambda r: r[1]["count"]) == [
        (outsider.pk, {"count": 0}),
        (clinician.pk, {"count": 3}),
    ]


@pytest.mark.django_db
def test_it_refuses_a_check_in_for_someone_elses_patient(
    patient: Patient, other_patient: Patient, outsider: User
) -> None:
    for actor in (other_patient.user, outsider):
        with pytest.raises(PermissionDenied):
            submit_checkin(actor, patient, Answers(**SCORES))

    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_it_refuses_ratings_for_a_goal_retired_while_the_patient_answered(
    patient: Patient, goals: list[Goal]
) -> None:
    ratings = {goal.pk: 5 for goal in goals}
    Goal.objects.filter(pk=goals[0].pk).update(active=False)

    with pytest.raises(InvalidCheckIn) as caught:
        submit_checkin(patient.user, patient, Answers(**SCORES, goal_ratings=ratings))

    assert caught.value.errors == [FieldError("", CHANGED)]
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_it_refuses_more_than_the_active_goal_limit(patient: Patient, clinician: User) -> None:
    drafts = [GoalDraft(f"Goal {n}", 2) for n in range(MAX_ACTIVE_GOALS + 1)]

    with pytest.raises(InvalidGoals):
        add_goals(clinician, patient, drafts)

    add_goals(clinician, patient, drafts[:MAX_ACTIVE_GOALS])
    assert Goal.objects.filter(patient=patient, active=True).count() == MAX_ACTIVE_GOALS


@pytest.mark.django_db
def test_it_gives_the_progression_engine_each_check_in_dated_when_answered(
    patient: Patient, clinician: User
) -> None:
    submit_checkin(patient.user, patient, Answers(**SCORES | {"flare_ups": 0}), now=at(11))
    submit_checkin(patient.user, patient, Answers(**SCORES), now=at(20))

    assert core_checkins_for(clinician, patient) == (
        progression.CheckIn(
            on=date(2025, 3, 11),
            pain_now_0_10=4,
            pain_average_0_10=5,
            pain_worst_0_10=7,
            interference_0_10=3,
            flare_up=False,
        ),
        progression.CheckIn(
            on=date(2025, 3, 20),
            pain_now_0_10=4,
            pain_average_0_10=5,
            pain_worst_0_10=7,
            interference_0_10=3,
            flare_up=True,
        ),
    )


def test_it_documents_the_check_in_and_goals_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    patient_part = readme.split("**As a patient**")[1].split("**As an integrator**")[0]
    clinician_part = readme.split("**As a clinician**")[1].split("**As a patient**")[0]

    assert "**weekly check-in**" in patient_part and "/me/checkin/" in patient_part
    assert "replaces that week's answers" in patient_part
    assert "**activity goals**" in clinician_part and "**weekly check-ins**" in clinician_part
