"""The patient's weekly check-in page and the prompt on their today page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.alerts.models import Alert
from backcare.audit.models import AuditEvent
from backcare.checkins.models import CheckIn, Goal, GoalRating
from backcare.checkins.tests.conftest import MONDAY, NOW, form_data
from backcare.patients.models import Patient, RedFlagScreen
from backcare.testing import logged_in

URL = "/me/checkin/"


def checked(page: str, name: str, value: str) -> bool:
    """True when the radio button ``name`` = ``value`` is selected on the page."""
    return re.search(rf'name="{name}" value="{value}"[^>]*\bchecked\b', page) is not None


def test_it_shows_the_questions_a_rating_per_goal_and_the_warning_signs(
    patient: Patient, goals: list[Goal]
) -> None:
    response = logged_in(patient.user).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "How much does your back hurt right now?" in page
    assert "0 = very poorly, 10 = very well" in page  # sleep: which end is good
    assert "Walk the dog for 30 minutes" in page and "Lift my grandson" in page
    assert page.count('name="redflag-flags"') == 12  # the same boxes as "I have a new symptom"
    assert "Week of Monday 10 March 2025" in page


def test_it_audits_the_patient_reading_their_checkin_page(patient: Patient) -> None:
    logged_in(patient.user).get(URL)

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.patient_id, event.outcome) == (
        patient.user,
        "checkins.checkin.view",
        patient.pk,
        "ok",
    )


def test_it_saves_the_answers_for_this_week_with_each_goal_rating(
    patient: Patient, goals: list[Goal]
) -> None:
    data = form_data(goals, **{f"goal-{goals[1].pk}": "2"})

    response = logged_in(patient.user).post(URL, data)

    assert response["Location"] == "/me/"
    checkin = CheckIn.objects.get()
    assert (checkin.patient, checkin.week_of, checkin.submitted_at) == (patient, MONDAY, NOW)
    assert (checkin.pain_now_0_10, checkin.pain_worst_0_10, checkin.flare_ups) == (4, 7, 1)
    assert (checkin.notes, checkin.red_flags) == ("Busy week.", [])
    ratings = GoalRating.objects.values_list("goal__activity", "rating_0_10")
    assert sorted(ratings) == [("Lift my grandson", 2), ("Walk the dog for 30 minutes", 5)]
    event = AuditEvent.objects.get(action="checkins.checkin.create")
    assert (event.actor, event.patient_id, event.object_id) == (
        patient.user,
        patient.pk,
        str(checkin.pk),
    )


def test_it_replaces_this_weeks_answers_when_the_patient_answers_again(
    patient: Patient, goals: list[Goal]
) -> None:
    client = logged_in(patient.user)
    client.post(URL, form_data(goals))

    page = client.get(URL).content.decode()
    client.post(URL, form_data(goals, pain_now_0_10="2", **{f"goal-{goals[0].pk}": "6"}))

    assert "saving again <strong>replaces</strong> them" in page
    assert checked(page, "pain_now_0_10", "4")  # the earlier answers are the starting values
    checkin = CheckIn.objects.get()
    assert checkin.pain_now_0_10 == 2
    assert checkin.ratings.get(goal=goals[0]).rating_0_10 == 6
    assert GoalRating.objects.count() == 2
    assert AuditEvent.objects.filter(action="checkins.checkin.update").count() == 1


def test_it_starts_a_new_checkin_the_following_monday(
    patient: Patient, goals: list[Goal], time_machine: Any
) -> None:
    client = logged_in(patient.user)
    client.post(URL, form_data(goals))
    time_machine.move_to(NOW + timedelta(days=5), tick=False)  # Monday 17 March

    assert "saving again" not in client.get(URL).content.decode()
    client.post(URL, form_data(goals))

    weeks = list(CheckIn.objects.order_by("week_of").values_list("week_of", flat=True))
    assert weeks == [MONDAY, MONDAY + timedelta(days=7)]


@pytest.mark.parametrize(
    ("fields", "name", "message"),
    [
        ({"pain_now_0_10": "11"}, "pain_now_0_10", "Choose a number from 0 to 10."),
        ({"flare_ups": "8"}, "flare_ups", "Choose a number from 0 to 7."),
        ({"sleep_quality_0_10": "-1"}, "sleep_quality_0_10", "Choose a number from 0 to 10."),
        ({"confidence_0_10": ""}, "confidence_0_10", "Choose a number from 0 to 10."),
        ({"pain_worst_0_10": "3"}, "pain_worst_0_10", "can&#x27;t be lower than your pain"),
        ({"notes": "x" * 2001}, "notes", "at most 2000 characters"),
    ],
)
def test_it_rejects_bad_answers_with_a_form_error_and_keeps_the_others(
    patient: Patient, goals: list[Goal], fields: dict[str, str], name: str, message: str
) -> None:
    data = form_data(goals, **fields)

    response = logged_in(patient.user).post(URL, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    assert checked(page, "interference_0_10", "3")
    assert checked(page, f"goal-{goals[0].pk}", "5")
    assert "Busy week." in page or name == "notes"
    assert not CheckIn.objects.exists()


def test_it_asks_for_every_answer_when_the_form_comes_back_empty(patient: Patient) -> None:
    response = logged_in(patient.user).post(URL, {})

    assert response.status_code == 200
    assert response.content.decode().count("Choose a number from 0 to") == 7
    assert not CheckIn.objects.exists()


def test_it_asks_for_a_rating_for_every_goal(patient: Patient, goals: list[Goal]) -> None:
    data = form_data(goals)
    del data[f"goal-{goals[1].pk}"]

    page = logged_in(patient.user).post(URL, data).content.decode()

    assert page.count("Choose a number from 0 to 10.") == 1
    assert not CheckIn.objects.exists()


def test_it_audits_a_rejected_checkin(patient: Patient, goals: list[Goal]) -> None:
    logged_in(patient.user).post(URL, form_data(goals, pain_worst_0_10="1"))

    event = AuditEvent.objects.get(action="checkins.checkin.submit")
    assert (event.outcome, event.patient_id) == ("invalid", patient.pk)
    assert "pain_worst_0_10" in event.detail["errors"][0]


def test_it_stops_the_programme_and_alerts_the_clinic_on_a_ticked_warning_sign(
    patient: Patient, goals: list[Goal], clinician: User
) -> None:
    client = logged_in(patient.user)

    response = client.post(URL, form_data(goals, **{"redflag-flags": ["fever"]}))

    assert response.status_code == 200
    assert "get seen by a doctor today" in response.content.decode()
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.urgency) == ("red_flag", "same_day")
    patient.refresh_from_db()
    assert patient.red_flag_open
    assert RedFlagScreen.objects.get().source == "weekly_checkin"
    assert CheckIn.objects.get().red_flags == ["fever"]  # the check-in itself is still saved
    today = client.get("/me/").content.decode()
    assert "Stop your exercises" in today
    assert "get seen by a doctor today" in today


def test_it_acts_on_a_warning_sign_even_when_other_answers_need_checking(
    patient: Patient, goals: list[Goal]
) -> None:
    data = form_data(goals, pain_now_0_10="12", **{"redflag-flags": ["saddle_numbness"]})

    response = logged_in(patient.user).post(URL, data)

    page = response.content.decode()
    assert "emergency department now" in page
    assert "Your other check-in answers were not saved" in page
    assert Alert.objects.filter(patient=patient, urgency="emergency_now").exists()
    assert not CheckIn.objects.exists()


def test_it_records_no_screen_when_no_warning_sign_is_ticked(
    patient: Patient, goals: list[Goal]
) -> None:
    logged_in(patient.user).post(URL, form_data(goals))

    assert not RedFlagScreen.objects.exists()
    assert not Alert.objects.exists()


def test_it_refuses_an_unknown_warning_sign_and_saves_nothing(
    patient: Patient, goals: list[Goal]
) -> None:
    response = logged_in(patient.user).post(URL, form_data(goals, **{"redflag-flags": ["itch"]}))

    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_asks_only_about_the_patients_own_goals(
    patient: Patient, goals: list[Goal], other_patient: Patient
) -> None:
    page = logged_in(other_patient.user).get(URL).content.decode()

    assert "Walk the dog" not in page
    assert "Your goals" not in page


def test_it_saves_another_patients_checkin_as_their_own(
    patient: Patient, goals: list[Goal], other_patient: Patient
) -> None:
    data = form_data([]) | {f"goal-{goals[0].pk}": "9"}  # tampered: names pat's goal

    response = logged_in(other_patient.user).post(URL, data)

    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.patient == other_patient
    assert not GoalRating.objects.exists()


@pytest.mark.parametrize("persona", ["clinician", "outsider"])
def test_it_answers_404_to_clinicians_on_the_checkin_page(
    request: Any, patient: Patient, persona: str
) -> None:
    user: User = request.getfixturevalue(persona)

    assert logged_in(user).get(URL).status_code == 404
    assert logged_in(user).post(URL, {}).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(db: Any) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# the prompt on the today page


def test_it_prompts_for_the_checkin_on_the_today_page_until_it_is_answered(
    patient: Patient, goals: list[Goal]
) -> None:
    client = logged_in(patient.user)

    before = client.get("/me/").content.decode()
    client.post(URL, form_data(goals))
    after = client.get("/me/").content.decode()

    assert "Your weekly check-in is due" in before
    assert 'href="/me/checkin/"' in before
    assert "Your weekly check-in is due" not in after


def test_it_prompts_again_in_a_new_week(
    patient: Patient, goals: list[Goal], time_machine: Any
) -> None:
    client = logged_in(patient.user)
    client.post(URL, form_data(goals))
    time_machine.move_to(NOW + timedelta(days=5), tick=False)

    assert "Your weekly check-in is due" in client.get("/me/").content.decode()


def test_it_does_not_count_another_patients_checkin_as_done(
    patient: Patient, goals: list[Goal], other_patient: Patient
) -> None:
    logged_in(other_patient.user).post(URL, form_data([]))

    assert "Your weekly check-in is due" in logged_in(patient.user).get("/me/").content.decode()
