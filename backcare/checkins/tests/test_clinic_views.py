"""The clinician's pages: a patient's check-ins, their goals, and goals named at intake."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.checkins.models import Goal
from backcare.checkins.services import Answers, submit_checkin
from backcare.checkins.tests.conftest import SCORES
from backcare.core.screening import RED_FLAGS
from backcare.patients.models import Patient
from backcare.testing import logged_in

PAGES = ["/clinic/patients/{pk}/checkins/", "/clinic/patients/{pk}/goals/"]


def answer(patient: Patient, goals: list[Goal], rating: int = 5, **fields: Any) -> None:
    """The patient's own check-in for this week, every goal rated ``rating``."""
    ratings = {goal.pk: rating for goal in goals}
    submit_checkin(patient.user, patient, Answers(**SCORES | fields, goal_ratings=ratings))


def goal_post(goals: list[Goal], **fields: Any) -> dict[str, Any]:
    """The goals page as sent unchanged: each goal's wording, start rating and ticked state."""
    data: dict[str, Any] = {}
    for goal in goals:
        data |= {
            f"goal-{goal.pk}-activity": goal.activity,
            f"goal-{goal.pk}-baseline_0_10": str(goal.baseline_0_10),
        }
        if goal.active:
            data[f"goal-{goal.pk}-active"] = "on"
    return data | fields


# who may see the pages


@pytest.mark.parametrize("url", PAGES)
def test_it_shows_the_pages_to_the_patients_clinician(
    clinician: User, patient: Patient, goals: list[Goal], url: str
) -> None:
    response = logged_in(clinician).get(url.format(pk=patient.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert patient.full_name in page
    assert "Walk the dog for 30 minutes" in page


@pytest.mark.parametrize("url", PAGES)
def test_it_hides_the_pages_from_another_clinic(
    outsider: User, patient: Patient, goals: list[Goal], url: str
) -> None:
    assert logged_in(outsider).get(url.format(pk=patient.pk)).status_code == 404
    assert logged_in(outsider).post(url.format(pk=patient.pk), {}).status_code == 404

    events = AuditEvent.objects.filter(actor=outsider)
    assert {e.outcome for e in events} == {"not_found"}
    assert Goal.objects.count() == 2


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["patient", "other_patient"])
def test_it_keeps_patients_out_of_the_clinician_pages(
    request: Any, patient: Patient, url: str, persona: str
) -> None:
    user = request.getfixturevalue(persona).user

    response = logged_in(user).get(url.format(pk=patient.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_log_in(patient: Patient, url: str) -> None:
    response = Client().get(url.format(pk=patient.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_links_both_pages_from_the_patient_record(clinician: User, patient: Patient) -> None:
    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/").content.decode()

    assert f'href="/clinic/patients/{patient.pk}/checkins/"' in page
    assert f'href="/clinic/patients/{patient.pk}/goals/"' in page


# the check-in table


def test_it_tabulates_every_score_and_goal_rating_by_week(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    answer(patient, goals, rating=6, interference_0_10=9, notes="Moved house.")

    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/checkins/").content.decode()

    row = page[page.index("10 Mar 2025") :].split("</tr>")[0]
    cells = [cell.split("<")[0] for cell in row.split("<td>")[1:]]
    # now, typical, worst, daily life, sleep, confidence, flare-ups, goal 1, goal 2, signs
    assert cells[:10] == ["4", "5", "7", "9", "6", "8", "1", "6", "6", "none"]
    assert "Moved house." in row


def test_it_marks_the_warning_signs_ticked_in_a_checkin(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    answer(patient, goals, red_flags=("fever",))

    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/checkins/").content.decode()

    assert "possible spinal infection" in page


def test_it_audits_the_clinician_reading_the_checkins(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    answer(patient, goals)

    logged_in(clinician).get(f"/clinic/patients/{patient.pk}/checkins/")

    event = AuditEvent.objects.get(actor=clinician)
    assert (event.action, event.patient_id, event.detail) == (
        "checkins.list",
        patient.pk,
        {"count": 1},
    )


# the goals page


def test_it_audits_the_clinician_reading_the_goals(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    logged_in(clinician).get(f"/clinic/patients/{patient.pk}/goals/")

    event = AuditEvent.objects.get(actor=clinician)
    assert (event.action, event.patient_id, event.outcome) == (
        "checkins.goals.view",
        patient.pk,
        "ok",
    )


def test_it_adds_a_goal_and_changes_a_start_rating(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    new = {"new-1-activity": "Garden for an hour", "new-1-baseline_0_10": "4"}
    data = goal_post(goals, **{f"goal-{goals[1].pk}-baseline_0_10": "2"}, **new)

    response = logged_in(clinician).post(f"/clinic/patients/{patient.pk}/goals/", data)

    assert response["Location"] == f"/clinic/patients/{patient.pk}/goals/"
    rows = Goal.objects.values_list("activity", "baseline_0_10", "active")
    assert list(rows) == [
        ("Walk the dog for 30 minutes", 3, True),
        ("Lift my grandson", 2, True),
        ("Garden for an hour", 4, True),
    ]
    event = AuditEvent.objects.get(actor=clinician)  # one row for the request
    assert (event.action, event.outcome) == ("checkins.goals.update", "ok")
    added = Goal.objects.get(activity="Garden for an hour")
    assert event.detail == {
        "created": [added.pk],
        "changed": {str(goals[1].pk): ["baseline_0_10"]},
    }


def test_it_retires_a_goal_so_the_checkin_stops_asking_about_it(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    data = goal_post(goals)
    del data[f"goal-{goals[0].pk}-active"]

    logged_in(clinician).post(f"/clinic/patients/{patient.pk}/goals/", data)

    goals[0].refresh_from_db()
    assert not goals[0].active
    assert "Walk the dog" not in logged_in(patient.user).get("/me/checkin/").content.decode()


def test_it_refuses_a_sixth_active_goal(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    for n in range(3):
        Goal.objects.create(patient=patient, activity=f"Goal {n}", baseline_0_10=2, position=3 + n)
    data = goal_post(
        list(Goal.objects.all()), **{"new-1-activity": "Run 5 km", "new-1-baseline_0_10": "0"}
    )

    response = logged_in(clinician).post(f"/clinic/patients/{patient.pk}/goals/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 5 active goals" in page
    assert 'value="Run 5 km"' in page
    assert Goal.objects.count() == 5
    assert AuditEvent.objects.filter(action="checkins.goals.update", outcome="invalid").exists()


def test_it_keeps_the_wording_of_a_goal_that_has_ratings(
    clinician: User, patient: Patient, goals: list[Goal]
) -> None:
    answer(patient, goals)
    data = goal_post(goals, **{f"goal-{goals[0].pk}-activity": "Run a marathon"})

    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/goals/").content.decode()
    logged_in(clinician).post(f"/clinic/patients/{patient.pk}/goals/", data)

    assert "its wording stays" in page
    goals[0].refresh_from_db()
    assert goals[0].activity == "Walk the dog for 30 minutes"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new-1-activity": "Swim"}, "Rate it from 0 to 10."),
        ({"new-1-baseline_0_10": "4"}, "Name the activity, or clear the rating."),
        ({"new-1-activity": "Swim", "new-1-baseline_0_10": "11"}, "less than or equal to 10"),
    ],
)
def test_it_rejects_a_half_filled_goal_row_and_keeps_the_answers(
    clinician: User, patient: Patient, goals: list[Goal], fields: dict[str, str], message: str
) -> None:
    response = logged_in(clinician).post(
        f"/clinic/patients/{patient.pk}/goals/", goal_post(goals, **fields)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Swim"' in page or "Swim" not in str(fields)
    assert Goal.objects.count() == 2


# goals named at intake


def intake(**overrides: Any) -> dict[str, Any]:
    data = {
        "intake-first_name": "Robin",
        "intake-last_name": "Reed",
        "intake-email": "robin@example.org",
        "intake-baseline_pain_0_10": "6",
        "intake-stage": "initial",
        "intake-risk_group": "medium",
    }
    data |= {f"screen-flag_{flag.key}": "no" for flag in RED_FLAGS}
    return data | overrides


def test_it_shows_three_optional_goal_rows_at_intake(clinician: User) -> None:
    page = logged_in(clinician).get("/clinic/patients/new/").content.decode()

    for n in (1, 2, 3):
        assert f'name="goal-{n}-activity"' in page
    assert 'name="goal-4-activity"' not in page


def test_it_creates_the_goals_named_at_intake_with_the_patient(
    clinician: User, library: Any
) -> None:
    first = {"goal-1-activity": "Walk the dog", "goal-1-baseline_0_10": "3"}
    third = {"goal-3-activity": "Sit through a film", "goal-3-baseline_0_10": "0"}
    data = intake(**first, **third)

    logged_in(clinician).post("/clinic/patients/new/", data)

    patient = Patient.objects.get(last_name="Reed")
    rows = Goal.objects.filter(patient=patient).values_list("activity", "baseline_0_10", "active")
    assert list(rows) == [("Walk the dog", 3, True), ("Sit through a film", 0, True)]
    (intake_row,) = AuditEvent.objects.filter(patient_id=patient.pk)  # one request, one row
    assert "checkins.goals.create" in intake_row.actions
    assert len(intake_row.detail["created"]) == 2


def test_it_rejects_an_intake_goal_without_a_rating_and_creates_nothing(
    clinician: User, library: Any
) -> None:
    data = intake(**{"goal-2-activity": "Walk the dog"})

    response = logged_in(clinician).post("/clinic/patients/new/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rate it from 0 to 10." in page
    assert 'value="Walk the dog"' in page and 'value="Robin"' in page
    assert "Please correct the answers marked below." in page
    assert not Patient.objects.exists()
    assert not Goal.objects.exists()
