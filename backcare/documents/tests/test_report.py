"""The progress report, read back from the PDF as text: the timeline's numbers and words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from backcare.audit.models import AuditEvent
from backcare.documents.services import progress_report
from backcare.documents.tests.conftest import NOW, pdf_pages, pdf_text
from backcare.outcomes.services import Audience
from backcare.outcomes.tests.conftest import check_in, make_goal, score
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import log_sessions, make_programme

TODAY = NOW.date()
FIRST_DAY = date(2025, 2, 10)


@pytest.fixture
def improving(patient: Patient) -> Patient:
    """Intake on 10 Feb (pain 6), a session every day for four weeks, pain easing 6 → 2 (the
    morning after one lower), an ODI of 40 then 20, and a goal rated 3 then 7."""
    Patient.objects.filter(pk=patient.pk).update(created_at=datetime(2025, 2, 10, 9, tzinfo=UTC))
    patient.refresh_from_db()
    programme = patient.programme_set.get(status=Programme.Status.ACTIVE)
    Programme.objects.filter(pk=programme.pk).update(
        assigned_at=datetime(2025, 2, 10, 9, tzinfo=UTC)
    )
    programme.items.update(days_per_week=7)
    log_sessions(programme, FIRST_DAY, 28, 6, 2)
    goal = make_goal(patient, "Walk the dog for 30 minutes", 3)
    check_in(patient, datetime(2025, 3, 9, 18, tzinfo=UTC), 2, {goal.pk: 7})
    score(patient, "odi", 40, datetime(2025, 2, 10, 10, tzinfo=UTC))
    score(patient, "odi", 20, datetime(2025, 3, 10, 10, tzinfo=UTC))
    return patient


def report_for(patient: Patient, audience: Audience = "clinician") -> str:
    actor = patient.user if audience == "patient" else patient.clinic.user_set.get()
    return pdf_text(progress_report(actor, patient, TODAY, audience))


def test_it_heads_the_report_with_the_patient_and_the_period(
    clinician: object, improving: Patient
) -> None:
    text = report_for(improving)

    assert "Riverside Physio" in text
    assert "Progress report" in text
    assert "Pat Example" in text
    assert "From 10 Feb 2025 to 12 Mar 2025" in text


def test_it_lists_the_stage_history(clinician: object, improving: Patient) -> None:
    Programme.objects.filter(patient=improving).update(status=Programme.Status.SUPERSEDED)
    Patient.objects.filter(pk=improving.pk).update(stage="intermediate")
    improving.refresh_from_db()
    later = make_programme(improving, ["bridge", "bird-dog"])
    Programme.objects.filter(pk=later.pk).update(assigned_at=datetime(2025, 3, 3, tzinfo=UTC))
    make_programme(improving, ["walking"], status="draft")  # never given: not history

    text = report_for(improving)

    assert "Stage history Version Stage From Status" in text
    assert "1 Initial: calm symptoms, activate 10 Feb 2025 replaced" in text
    assert "2 Intermediate: stabilise and load 3 Mar 2025 current" in text
    assert " 3 Initial" not in text and "3 Intermediate" not in text


def test_it_gives_the_clinician_the_pain_trend_with_its_numbers(
    clinician: object, improving: Patient
) -> None:
    text = report_for(improving)

    assert (
        "Resting pain 6/10 at intake -> 1/10 in the week of 10 Mar: important improvement" in text
    )
    assert "Latest change from the start: important improvement." in text
    assert "Pain 0–10, lower is better" in text  # the chart's own axis, drawn from its SVG
    assert "13 Feb 2025 4.7 no important change; week of 10 Feb, mean of 6 readings" in text


def test_it_gives_the_weekly_adherence_and_the_last_fortnight(
    clinician: object, improving: Patient
) -> None:
    text = report_for(improving)

    assert "Last 14 days: 11 of 14 prescribed sessions done (11 logged)" in text
    assert "Week of Sessions done / prescribed Share done" in text
    assert "17 Feb 2025 7/7 100 %" in text
    assert "10 Mar 2025 0/3 0 %" in text


def test_it_gives_questionnaire_scores_with_their_change(
    clinician: object, improving: Patient
) -> None:
    text = report_for(improving)

    assert "First score 40 % on 10 Feb 2025 -> 20 % on 10 Mar 2025: important improvement" in text
    assert "Placeholder attribution © Placeholder Owner Ltd." in text


def test_it_gives_each_goal_and_its_latest_rating(clinician: object, improving: Patient) -> None:
    text = report_for(improving)

    assert "Walk the dog for 30 minutes: 3 → 7" not in text  # the arrow prints as "->"
    assert "Walk the dog for 30 minutes: 3 -> 7 (9 Mar)." in text
    assert (
        "Walk the dog for 30 minutes 2 3 (10 Feb 2025) 7 (9 Mar 2025) important improvement" in text
    )


def test_it_words_the_patients_report_for_the_patient(improving: Patient) -> None:
    text = report_for(improving, "patient")

    assert "Your pain has come down from 6 to 1 (out of 10) since you started" in text
    assert "You did 11 of your 14 planned sessions in the last 14 days." in text
    assert "Resting pain 6/10" not in text


def test_it_writes_one_audit_row_for_the_report(clinician: object, improving: Patient) -> None:
    report_for(improving)

    (event,) = AuditEvent.objects.filter(patient_id=improving.pk).exclude(
        action="checkins.checkin.create"  # the fixture's own check-in
    )
    assert (event.action, event.detail["audience"]) == ("document.progress.read", "clinician")


def test_it_reports_a_patient_with_nothing_logged_yet(clinician: object, patient: Patient) -> None:
    text = report_for(patient)

    assert "No resting pain logged yet" in text
    assert len(pdf_pages(progress_report(patient.user, patient, TODAY, "patient"))) >= 1


def test_it_makes_the_report_in_spanish(improving: Patient) -> None:
    with translation.override("es"):
        content = progress_report(improving.user, improving, TODAY, "patient")

    assert "Pat Example" in pdf_text(content)
