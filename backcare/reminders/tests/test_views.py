"""The patient's reminders page, the clinician's read-only page, and who may see them."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient, RedFlagScreen
from backcare.reminders.models import CalendarFeed, ReminderSchedule
from backcare.reminders.tests.conftest import schedule, started
from backcare.testing import log_sessions, logged_in

TODAY = date(2026, 1, 14)  # Wednesday
FORM = {
    "weekdays": ["0", "3"],
    "time_of_day": "07:30",
    "time_zone": "America/New_York",
    "email_enabled": "on",
}


# the patient's page


def test_it_suggests_days_from_the_programme(patient: Patient) -> None:
    patient.programme_set.get().items.update(days_per_week=3)

    page = logged_in(patient.user).get("/me/reminders/").content.decode()

    assert "3 sessions a week" in page
    for day in (0, 2, 4):  # Monday, Wednesday, Friday
        assert f'value="{day}" id="id_weekdays_{day}" checked' in page
    assert 'value="1" id="id_weekdays_1" checked' not in page
    assert 'value="18:00"' in page and 'value="UTC"' in page


def test_it_saves_the_schedule(patient: Patient) -> None:
    response = logged_in(patient.user).post("/me/reminders/", FORM)

    assert response.status_code == 302
    saved = ReminderSchedule.objects.get(patient=patient)
    assert (saved.weekdays, saved.time_of_day, saved.time_zone, saved.email_enabled) == (
        [0, 3],
        time(7, 30),
        "America/New_York",
        True,
    )
    event = AuditEvent.objects.get(action="reminders.schedule.save")
    assert (event.patient_id, event.actor, event.detail["time_zone"]) == (
        patient.pk,
        patient.user,
        "America/New_York",
    )


def test_it_makes_the_zone_the_patients_own_for_every_date(patient: Patient) -> None:
    logged_in(patient.user).post("/me/reminders/", FORM)

    patient.refresh_from_db()
    assert patient.time_zone == "America/New_York"


def test_it_keeps_the_clinics_zone_as_blank_so_the_patient_follows_the_clinic(
    patient: Patient,
) -> None:
    logged_in(patient.user).post("/me/reminders/", FORM | {"time_zone": "UTC"})  # the clinic's

    patient.refresh_from_db()
    assert patient.time_zone == ""
    patient.clinic.time_zone = "Europe/Dublin"
    patient.clinic.save()
    assert ReminderSchedule.objects.get(patient=patient).time_zone == "Europe/Dublin"


def test_it_turns_email_reminders_off_when_unticked(patient: Patient) -> None:
    schedule(patient)
    data = {key: value for key, value in FORM.items() if key != "email_enabled"}

    logged_in(patient.user).post("/me/reminders/", data)

    assert ReminderSchedule.objects.get(patient=patient).email_enabled is False


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"weekdays": []}, "weekdays", "Choose at least one day."),
        ({"weekdays": ["7"]}, "weekdays", "Select a valid choice"),
        ({"weekdays": ["x"]}, "weekdays", "Select a valid choice"),
        ({"time_of_day": "25:00"}, "time_of_day", "Enter a time such as 18:00."),
        ({"time_of_day": ""}, "time_of_day", "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone we know"),
        ({"time_zone": "x" * 500}, "time_zone", "at most 64 characters"),
        ({"time_zone": "Europe/London\x00"}, "time_zone", "Null characters are not allowed"),
    ],
)
def test_it_explains_bad_answers_and_keeps_them(
    patient: Patient, change: dict[str, object], field: str, message: str
) -> None:
    response = logged_in(patient.user).post("/me/reminders/", FORM | change)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "need checking" in response.content.decode()
    assert not ReminderSchedule.objects.exists()
    assert AuditEvent.objects.get(action="reminders.schedule.save").outcome == "invalid"


def test_it_shows_adherence_and_streak_against_the_schedule(patient: Patient) -> None:
    started(patient, 60)
    schedule(patient)  # Monday, Wednesday, Friday
    log_sessions(patient.programme_set.get(), TODAY - timedelta(days=5), 6, 3, 3, every=2)

    page = logged_in(patient.user).get("/me/reminders/").content.decode()

    # sessions on Fri 9, Sun 11, Tue 13: 3 days done, at most the 2 planned this week (Friday,
    # Monday; Wednesday, today, is not over yet); 3 of 11 planned in 28 days; Friday kept, then
    # Monday 12 missed
    assert "Last 7 days" in page and "2 of 2 sessions" in page and "100 %" in page
    assert "3 of 11 sessions" in page and "27 %" in page
    assert "Every session counts" in page


def test_it_counts_a_new_patient_from_the_day_they_began(patient: Patient) -> None:
    started(patient, 2)  # on Monday
    schedule(patient)  # Monday, Wednesday, Friday
    log_sessions(patient.programme_set.get(), TODAY - timedelta(days=2), 1, 3, 3)

    page = logged_in(patient.user).get("/me/reminders/").content.decode()

    # Monday done of Monday planned, in both windows; Wednesday (today) not over yet
    assert page.count("1 of 1 session") == 2 and page.count("100 %") == 2


def test_it_counts_a_streak_of_planned_days(patient: Patient) -> None:
    schedule(patient)
    log_sessions(patient.programme_set.get(), TODAY - timedelta(days=9), 10, 3, 3)

    page = logged_in(patient.user).get("/me/").content.decode()

    # daily from Mon 5 to Wed 14: Mon, Wed, Fri, Mon, Wed kept
    assert "You have kept 5 planned days in a row" in page
    assert not AuditEvent.objects.filter(action__startswith="reminders.regularity").exists()
    assert (
        AuditEvent.objects.filter(action="logbook.today.view", patient_id=patient.pk).count() == 1
    )


def test_it_counts_against_days_a_week_without_a_schedule(patient: Patient) -> None:
    started(patient, 60)
    patient.programme_set.get().items.update(days_per_week=3)
    log_sessions(patient.programme_set.get(), TODAY - timedelta(days=2), 2, 3, 3)

    page = logged_in(patient.user).get("/me/").content.decode()

    # 3 a week over the 6 whole days before today: 2 planned; 27 days: 11 planned
    assert "2 of 2 sessions" in page and "100 %" in page
    assert "2 of 11 sessions" in page and "18 %" in page
    assert "Choose your exercise days" in page


# who may see the pages


def test_it_answers_clinicians_with_404_on_the_patient_page(clinician: User) -> None:
    assert logged_in(clinician).get("/me/reminders/").status_code == 404
    assert logged_in(clinician).post("/me/reminders/calendar/new/").status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(db: None) -> None:
    for url in ("/me/reminders/", "/me/reminders/calendar/new/", "/me/reminders/calendar/off/"):
        response = Client().post(url, FORM)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ReminderSchedule.objects.exists()


def test_it_shows_each_patient_only_their_own_schedule(
    patient: Patient, other_patient: Patient
) -> None:
    schedule(patient, zone="Asia/Tokyo")

    page = logged_in(other_patient.user).get("/me/reminders/").content.decode()

    assert "Asia/Tokyo" not in page
    logged_in(other_patient.user).post("/me/reminders/", FORM)
    assert ReminderSchedule.objects.get(patient=patient).time_zone == "Asia/Tokyo"


def test_it_shows_the_clinician_the_schedule_read_only(clinician: User, patient: Patient) -> None:
    schedule(patient, zone="Asia/Tokyo")

    response = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/reminders/")

    page = response.content.decode()
    assert "Monday, Wednesday, Friday" in page and "18:00 (Asia/Tokyo)" in page
    assert "<form" not in page.split('<main id="main">')[1].split("</main>")[0]
    event = AuditEvent.objects.get(action="reminders.clinic.view")
    assert (event.actor, event.patient_id) == (clinician, patient.pk)


def test_it_hides_the_clinic_page_from_another_clinic(outsider: User, patient: Patient) -> None:
    schedule(patient)

    assert logged_in(outsider).get(f"/clinic/patients/{patient.pk}/reminders/").status_code == 404
    event = AuditEvent.objects.get(action="reminders.clinic.view")
    assert (event.actor, event.outcome) == (outsider, "not_found")


def test_it_keeps_patients_and_anonymous_off_the_clinic_page(
    patient: Patient, other_patient: Patient
) -> None:
    url = f"/clinic/patients/{patient.pk}/reminders/"
    for client in (logged_in(patient.user), logged_in(other_patient.user), Client()):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# the calendar link


def test_it_shows_a_new_calendar_link_once(patient: Patient, settings: object) -> None:
    schedule(patient)
    client = logged_in(patient.user)

    posted = client.post("/me/reminders/calendar/new/")
    response = client.get(posted["Location"])

    assert posted.status_code == 302 and posted["Location"] == "/me/reminders/"
    page = response.content.decode()
    assert "shown only once" in page and "no-store" in response["Cache-Control"]
    token = page.split("/calendar/")[1].split(".ics")[0]
    feed = CalendarFeed.objects.get(patient=patient)
    assert (
        feed.token_hash != token
        and len(feed.token_hash) == 64
        and token not in str(list(CalendarFeed.objects.values()))
    )
    assert token not in client.get("/me/reminders/").content.decode()
    assert AuditEvent.objects.filter(action="reminders.calendar.issue").count() == 1


def test_it_keeps_the_new_link_working_when_the_page_is_reloaded(patient: Patient) -> None:
    schedule(patient)
    client = logged_in(patient.user)
    page = client.post("/me/reminders/calendar/new/", follow=True).content.decode()
    token = page.split("/calendar/")[1].split(".ics")[0]

    reloaded = client.get("/me/reminders/")

    assert "shown only once" not in reloaded.content.decode()
    assert CalendarFeed.objects.get().revoked_at is None
    assert Client().get(f"/calendar/{token}.ics").status_code == 200


def test_it_does_not_show_a_link_turned_off_before_the_page_was_seen(patient: Patient) -> None:
    schedule(patient)
    client = logged_in(patient.user)
    client.post("/me/reminders/calendar/new/")
    CalendarFeed.objects.update(revoked_at=timezone.now())  # turned off in another tab

    page = client.get("/me/reminders/").content.decode()

    assert "shown only once" not in page and ".ics" not in page


def test_it_asks_for_days_before_making_a_calendar_link(patient: Patient) -> None:
    response = logged_in(patient.user).post("/me/reminders/calendar/new/", follow=True)

    assert "Save your days and time first" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_it_makes_the_calendar_link_for_the_logged_in_patient_only(
    patient: Patient, other_patient: Patient
) -> None:
    schedule(other_patient)
    logged_in(other_patient.user).post("/me/reminders/calendar/new/")

    assert set(CalendarFeed.objects.values_list("patient_id", flat=True)) == {other_patient.pk}


def test_it_turns_the_calendar_link_off(patient: Patient) -> None:
    schedule(patient)
    client = logged_in(patient.user)
    client.post("/me/reminders/calendar/new/")

    response = client.post("/me/reminders/calendar/off/", follow=True)

    assert "turned off" in response.content.decode()
    assert CalendarFeed.objects.get().revoked_at is not None
    assert AuditEvent.objects.get(action="reminders.calendar.revoke").detail["revoked"] == 1


def test_it_shows_a_paused_patient_no_adherence_prompt_on_today(patient: Patient) -> None:
    RedFlagScreen.objects.create(patient=patient, positive_flags=["fever"], action="same_day")

    page = logged_in(patient.user).get("/me/").content.decode()

    assert "How regularly you exercise" not in page


def test_it_lets_a_patient_without_a_programme_set_days(patient: Patient) -> None:
    patient.programme_set.update(status="superseded")

    page = logged_in(patient.user).get("/me/reminders/").content.decode()

    assert "Your programme asks" not in page and "How regularly you exercise" not in page
    assert logged_in(patient.user).post("/me/reminders/", FORM).status_code == 302
