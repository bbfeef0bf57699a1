"""The nightly review and the clinician's queue: proposals with reasons, approve, refuse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from backcare.accounts.rules import thresholds_for
from backcare.alerts.models import Alert
from backcare.audit.models import AuditEvent
from backcare.core.progression import Rule
from backcare.instruments.models import Assignment, Instrument, Response
from backcare.patients.models import Patient, RedFlagScreen
from backcare.programmes.models import Programme
from backcare.programmes.tests.test_views import edit_post
from backcare.reviews.models import Review
from backcare.reviews.services import assess, run_nightly
from backcare.testing import log_sessions, logged_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    """The nightly job runs late on TODAY; records made by fixtures are made that day too."""
    time_machine.move_to(datetime(2026, 3, 20, 22, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def improving(patient: Patient) -> Patient:
    """Three weeks in the initial stage, six sessions a week, pain easing from 5 to 2."""
    programme = patient.programme_set.get(status="active")
    start = TODAY - timedelta(days=21)
    Programme.objects.filter(pk=programme.pk).update(
        assigned_at=datetime(start.year, start.month, start.day, 9, tzinfo=UTC)
    )
    log_sessions(programme, start + timedelta(days=1), 21, 5, 2)
    return patient


def test_it_proposes_progress_for_a_patient_whose_logs_improve(improving: Patient) -> None:
    report = run_nightly(TODAY)
    assert report.reviews_created == 1
    review = Review.objects.get(patient=improving)
    assert (review.decision, review.from_stage, review.to_stage) == (
        "progress",
        "initial",
        "intermediate",
    )
    adherence = next(r for r in review.reasons if r["rule"] == "adherence")
    assert adherence["status"] == "met"
    assert adherence["figures"]
    assert AuditEvent.objects.filter(action="review.propose", actor_label="system").count() == 1


def test_it_changes_nothing_when_run_twice(improving: Patient) -> None:
    run_nightly(TODAY)
    before = (Review.objects.count(), Alert.objects.count(), AuditEvent.objects.count())
    report = run_nightly(TODAY)
    assert (report.reviews_created, report.reviews_superseded, report.alerts_raised) == (0, 0, 0)
    assert (Review.objects.count(), Alert.objects.count(), AuditEvent.objects.count()) == before


def test_it_runs_from_the_command_line(improving: Patient, capsys: Any) -> None:
    call_command("nightly", "--date", TODAY.isoformat())
    assert "1 new proposals" in capsys.readouterr().out


def test_it_refers_a_patient_with_an_open_red_flag(improving: Patient) -> None:
    RedFlagScreen.objects.create(patient=improving, positive_flags=["fever"], action="same_day")
    run_nightly(TODAY)
    assert Review.objects.get(patient=improving).decision == "refer"


def test_it_supersedes_a_pending_proposal_when_the_picture_changes(improving: Patient) -> None:
    run_nightly(TODAY)
    RedFlagScreen.objects.create(patient=improving, positive_flags=["fever"], action="same_day")
    run_nightly(TODAY)
    statuses = sorted(Review.objects.values_list("decision", "status"))
    assert statuses == [("progress", "superseded"), ("refer", "pending")]


def test_it_alerts_once_on_a_pain_spike(patient: Patient) -> None:
    programme = patient.programme_set.get(status="active")
    log_sessions(programme, TODAY - timedelta(days=3), 3, 8, 8)
    run_nightly(TODAY)
    run_nightly(TODAY)
    assert Alert.objects.filter(patient=patient, kind="pain_spike").count() == 1


def test_it_approves_progress_by_drafting_the_next_stage(
    improving: Patient, clinician: Any
) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    client = logged_in(clinician)
    page = client.get(f"/clinic/reviews/{review.pk}/").content.decode()
    assert "Progress" in page and "intermediate" in page
    response = client.post(f"/clinic/reviews/{review.pk}/approve/")
    draft = improving.programme_set.get(status="draft")
    assert response["Location"] == f"/clinic/programmes/{draft.pk}/"
    assert draft.stage == "intermediate"
    client.post(f"/clinic/programmes/{draft.pk}/", edit_post(draft, assign="1"))
    improving.refresh_from_db()
    assert improving.stage == "intermediate"
    review.refresh_from_db()
    assert (review.status, review.decided_by) == ("approved", clinician)


def test_it_refuses_with_a_note_and_requires_one(improving: Patient, clinician: Any) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    client = logged_in(clinician)
    response = client.post(f"/clinic/reviews/{review.pk}/refuse/", {"note": ""})
    assert "Say why" in response.content.decode()
    client.post(f"/clinic/reviews/{review.pk}/refuse/", {"note": "Wants to stay a week more."})
    review.refresh_from_db()
    assert (review.status, review.note) == ("refused", "Wants to stay a week more.")
    assert not improving.programme_set.filter(status="draft").exists()


def test_it_lists_pending_proposals_for_the_clinic_only(
    improving: Patient, clinician: Any, outsider: Any
) -> None:
    run_nightly(TODAY)
    assert improving.full_name in logged_in(clinician).get("/clinic/reviews/").content.decode()
    assert improving.full_name not in logged_in(outsider).get("/clinic/reviews/").content.decode()


@pytest.mark.parametrize("suffix", ["", "approve/", "refuse/"])
def test_it_hides_a_review_from_another_clinic(
    improving: Patient, outsider: Any, suffix: str
) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    client = logged_in(outsider)
    url = f"/clinic/reviews/{review.pk}/{suffix}"
    response = client.post(url, {"note": "x"}) if suffix else client.get(url)
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == "pending"


def test_it_keeps_patients_and_anonymous_visitors_out_of_reviews(
    improving: Patient, other_patient: Patient
) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    for client in (logged_in(improving.user), logged_in(other_patient.user), Client()):
        response = client.get(f"/clinic/reviews/{review.pk}/")
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_it_applies_a_clinics_own_thresholds(improving: Patient) -> None:
    clinic = improving.clinic
    clinic.rule_settings = {"min_days_in_initial": 28, "change": {"combine": "both"}}
    clinic.save()
    thresholds = thresholds_for(clinic)
    assert thresholds.min_days_in_initial == 28
    assert thresholds.change.combine == "both"
    run_nightly(TODAY)
    assert not Review.objects.exists()  # 21 days in the stage no longer pass the gate


def score(patient: Patient, code: str, value: float, on: date) -> None:
    """A scored questionnaire response, as the instruments app stores one."""
    instrument = Instrument.objects.get_or_create(
        clinic=patient.clinic,
        url=f"urn:test:{code}",
        version="1",
        defaults={
            "questionnaire": {},
            "name": code,
            "title": code,
            "status": "active",
            "rule_code": code,
            "mapping": {},
            "owner": "t",
            "licence": "t",
            "attribution": "t",
        },
    )[0]
    assignment = Assignment.objects.create(patient=patient, instrument=instrument, context="intake")
    Response.objects.create(
        patient=patient,
        assignment=assignment,
        instrument=instrument,
        response={},
        rule_code=code,
        score=value,
        answered_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
    )


def test_it_holds_progress_when_a_questionnaire_shows_function_worse(improving: Patient) -> None:
    score(improving, "odi", 20, TODAY - timedelta(days=20))
    score(improving, "odi", 34, TODAY - timedelta(days=1))
    run_nightly(TODAY)
    assert not Review.objects.exists()
    _programme, proposal = assess(improving, TODAY)  # type: ignore[misc]
    assert proposal.decision == "hold"
    assert proposal.reason(Rule.FUNCTION_NOT_WORSE).status == "not_met"


def test_it_records_an_approval_and_its_draft_in_one_row(
    improving: Patient, clinician: Any
) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    before = AuditEvent.objects.count()
    logged_in(clinician).post(f"/clinic/reviews/{review.pk}/approve/")
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.all()[0].actions == ["review.approved", "programme.draft"]


def test_it_records_a_second_approval_as_one_refused_row(
    improving: Patient, clinician: Any
) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    client = logged_in(clinician)
    client.post(f"/clinic/reviews/{review.pk}/approve/")
    before = AuditEvent.objects.count()
    client.post(f"/clinic/reviews/{review.pk}/approve/")
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.first()
    assert event is not None and (event.action, event.outcome) == ("review.approved", "invalid")


def test_it_records_a_refusal_in_one_audit_row(improving: Patient, clinician: Any) -> None:
    run_nightly(TODAY)
    review = Review.objects.get()
    before = AuditEvent.objects.count()
    logged_in(clinician).post(f"/clinic/reviews/{review.pk}/refuse/", {"note": "Not yet"})
    written = AuditEvent.objects.count() - before
    assert list(AuditEvent.objects.values_list("action", flat=True)[:written]) == ["review.refused"]
