"""Red-flag alerts: raised by screens and by a patient's own report; the clinician's list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backcare.alerts.models import Alert
from backcare.alerts.services import raise_alert
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db


def report(patient: Patient, flags: list[str], note: str = "") -> Any:
    return logged_in(patient.user).post("/me/symptom/", {"flags": flags, "note": note})


def test_it_shows_every_question_to_the_patient(patient: Patient) -> None:
    page = logged_in(patient.user).get("/me/symptom/").content.decode()
    assert "saddle" in page and "fever" in page
    assert "Have you ever been treated for cancer" not in page  # asks what is new
    assert page.count('type="checkbox"') == 12  # all but the intake-only flag


def test_it_sends_a_saddle_numbness_report_to_the_emergency_department_and_pauses(
    patient: Patient, clinician: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = report(patient, ["saddle_numbness"])
    assert "emergency department now" in response.content.decode()
    patient.refresh_from_db()
    assert patient.red_flag_open
    today = logged_in(patient.user).get("/me/").content.decode()
    assert "Stop your exercises" in today
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.urgency) == ("red_flag", "emergency_now")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [clinician.email]
    assert "URGENT" in mailoutbox[0].subject
    assert patient.last_name not in mailoutbox[0].body  # no patient named in e-mail
    assert AuditEvent.objects.filter(action="redflag.screen", patient_id=patient.pk).exists()


def test_it_never_lets_a_patients_all_clear_lift_a_flag(patient: Patient) -> None:
    report(patient, ["fever"])
    response = report(patient, [])
    page = response.content.decode()
    assert "None of these are warning signs" in page
    assert "still paused" in page
    assert "carry on" not in page
    patient.refresh_from_db()
    assert patient.red_flag_open
    assert AuditEvent.objects.filter(action="redflag.self_report").count() == 1


def test_it_rejects_an_unknown_symptom_with_a_form_error(patient: Patient) -> None:
    response = report(patient, ["headache"])
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert not Alert.objects.exists()


@pytest.mark.parametrize("persona", ["clinician", "outsider"])
def test_it_keeps_clinicians_off_the_patients_symptom_page(persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    assert logged_in(user).get("/me/symptom/").status_code == 404


def test_it_sends_anonymous_visitors_to_log_in_to_report() -> None:
    response = Client().get("/me/symptom/")
    assert response["Location"].startswith("/login/")


def test_it_lists_alerts_to_the_patients_clinician_only(
    patient: Patient, clinician: Any, outsider: Any, other_patient: Patient
) -> None:
    report(patient, ["weight_loss"])
    page = logged_in(clinician).get("/clinic/alerts/").content.decode()
    assert patient.full_name in page and "Red flag" in page
    assert patient.full_name not in logged_in(outsider).get("/clinic/alerts/").content.decode()
    assert logged_in(other_patient.user).get("/clinic/alerts/").status_code == 302
    assert Client().get("/clinic/alerts/").status_code == 302


def test_it_acknowledges_an_alert_for_its_clinic_only(
    patient: Patient, clinician: Any, outsider: Any
) -> None:
    report(patient, ["fever"])
    alert = Alert.objects.get()
    assert logged_in(outsider).post(f"/clinic/alerts/{alert.pk}/acknowledge/").status_code == 404
    logged_in(clinician).post(f"/clinic/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert alert.acknowledged_by == clinician


def test_it_raises_the_same_alert_only_once(patient: Patient) -> None:
    assert raise_alert(patient, "pain_spike", "session-1", "Pain 8/10")[1]
    assert not raise_alert(patient, "pain_spike", "session-1", "Pain 8/10")[1]
    assert Alert.objects.count() == 1


def test_it_tells_a_clean_report_to_carry_on_when_nothing_is_paused(patient: Patient) -> None:
    page = report(patient, []).content.decode()
    assert "carry on with your programme" in page
    assert "still paused" not in page


def test_it_still_shows_the_advice_when_the_alert_email_cannot_be_sent(
    patient: Patient, clinician: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "backcare.testing.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = report(patient, ["saddle_numbness"])
    assert response.status_code == 200
    assert "emergency department now" in response.content.decode()
    assert Alert.objects.filter(patient=patient, kind="red_flag").exists()


def test_it_records_an_acknowledgement_in_one_audit_row(patient: Patient, clinician: Any) -> None:
    report(patient, ["fever"])
    alert = Alert.objects.get()
    before = AuditEvent.objects.count()
    logged_in(clinician).post(f"/clinic/alerts/{alert.pk}/acknowledge/")
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.first().action == "alert.acknowledge"  # type: ignore[union-attr]


WORDS = "Shivery since yesterday"


@pytest.mark.parametrize(
    "page", ["/clinic/alerts/", "/clinic/patients/{pk}/", "/clinic/patients/{pk}/screen/"]
)
def test_the_clinician_reads_what_the_patient_wrote_beside_the_flag(
    patient: Patient, clinician: Any, page: str
) -> None:
    report(patient, ["fever"], WORDS)
    text = logged_in(clinician).get(page.format(pk=patient.pk)).content.decode()
    assert "infection" in text and WORDS in text
    assert "In the patient's words:" in text


def test_the_patients_words_stay_out_of_the_alert_email(
    patient: Patient, clinician: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report(patient, ["fever"], WORDS)
    assert len(mailoutbox) == 1 and WORDS not in mailoutbox[0].body


def test_words_ticked_in_the_weekly_check_in_reach_the_clinician(
    patient: Patient, clinician: Any
) -> None:
    logged_in(patient.user).post("/me/checkin/", {"redflag-flags": ["fever"], "notes": WORDS})
    alert = Alert.objects.get(patient=patient, kind="red_flag")
    assert alert.patient_note == WORDS
    screen = patient.latest_screen()
    assert screen is not None and (screen.source, screen.note) == ("weekly_checkin", WORDS)
    text = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/").content.decode()
    assert WORDS in text and "Ticked by the patient in the weekly check-in" in text


def test_words_with_no_warning_sign_still_reach_the_clinic_without_lifting_a_stop(
    patient: Patient, clinician: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    report(patient, ["fever"])
    with django_capture_on_commit_callbacks(execute=True):
        page = report(patient, [], "A new ache in my left knee").content.decode()
    assert "Your clinic will see what you wrote" in page
    alert = Alert.objects.get(patient=patient, kind="new_symptom")
    assert alert.patient_note == "A new ache in my left knee" and mailoutbox == []
    patient.refresh_from_db()
    assert patient.red_flag_open  # still stopped: an all-clear is not a screen
    listing = logged_in(clinician).get("/clinic/alerts/").content.decode()
    assert "New symptom" in listing and "A new ache in my left knee" in listing


def test_a_report_with_no_sign_and_no_words_raises_nothing(patient: Patient) -> None:
    report(patient, [], "   ")
    assert not Alert.objects.exists()


def test_marking_an_alert_seen_on_the_record_returns_to_the_record(
    patient: Patient, clinician: Any
) -> None:
    report(patient, [], WORDS)
    alert = Alert.objects.get()
    response = logged_in(clinician).post(
        f"/clinic/alerts/{alert.pk}/acknowledge/", {"back": "record"}
    )
    assert response["Location"] == f"/clinic/patients/{patient.pk}/"
    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/").content.decode()
    assert WORDS not in page  # seen: no longer among the record's open alerts


def test_the_alert_reads_in_the_clinicians_language(patient: Patient, clinician: Any) -> None:
    clinician.language = "es"
    clinician.save()
    report(patient, [], WORDS)
    page = logged_in(clinician).get("/clinic/alerts/").content.decode()
    assert "Síntoma nuevo" in page and "con las palabras del paciente" in page.lower()


def test_a_nul_in_the_check_in_notes_never_costs_the_red_flag(patient: Patient) -> None:
    # PostgreSQL cannot store NUL: the words go without it, the stop and the alert stay
    logged_in(patient.user).post("/me/checkin/", {"redflag-flags": ["fever"], "notes": "a\x00b"})
    patient.refresh_from_db()
    assert patient.red_flag_open
    assert Alert.objects.get(patient=patient, kind="red_flag").patient_note == "ab"


def test_the_same_words_reported_twice_in_a_day_raise_one_alert(patient: Patient) -> None:
    report(patient, [], WORDS)
    report(patient, [], WORDS)  # a double tap
    report(patient, [], "Something else")
    assert Alert.objects.filter(patient=patient, kind="new_symptom").count() == 2
