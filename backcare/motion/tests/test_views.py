"""Where people see stored analyses: the clinician's motion page and the patient's history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import Clinic, User
from backcare.audit.models import AuditEvent
from backcare.core.motion import BLAZEPOSE_33, Landmarks
from backcare.motion.models import MotionAnalysis
from backcare.motion.services import MotionUpload, analyse_log
from backcare.motion.tests.synthetic import FPS, log_of, squat_values, squatter
from backcare.patients.models import Patient
from backcare.testing import logged_in

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def sam(clinic: Clinic, library: Any) -> Patient:
    return squatter(clinic)


def upload(patient: Patient, reps: int, **shape: Any) -> MotionAnalysis:
    """Store an analysis of ``reps`` squats on the patient's logged squat, as the API would."""
    landmarks = Landmarks(squat_values(reps, **shape), FPS, BLAZEPOSE_33)
    log = log_of(patient, "bodyweight-squat")
    analysis, _ = analyse_log(patient.user, log, MotionUpload(uuid.uuid4(), landmarks))
    return analysis


def page_of(client: Client, patient: Patient) -> Any:
    return client.get(f"/clinic/patients/{patient.pk}/motion/")


def test_it_shows_the_clinician_reps_faults_quality_and_confidence(
    sam: Patient, clinician: User
) -> None:
    upload(sam, reps=3, lean=0.6)

    response = page_of(logged_in(clinician), sam)

    assert response.status_code == 200
    text = response.content.decode()
    assert "3 reps" in text
    assert "Keep your chest up and sit back" in text
    assert "trunk_lean; reps 1, 2, 3; frames 53–97 (1.8–3.2 s)" in text
    assert "80/100" in text
    assert "0.95" in text
    assert "<td>3 sets</td>" in text  # what the patient logged, beside what was counted


def test_it_shows_the_clinician_why_a_recording_was_not_judged(
    sam: Patient, clinician: User
) -> None:
    upload(sam, reps=3, visibility=0.3)

    text = page_of(logged_in(clinician), sam).content.decode()

    assert "Not judged: the body is seen too poorly to judge" in text


def test_it_links_the_motion_page_from_the_patient_record(sam: Patient, clinician: User) -> None:
    text = logged_in(clinician).get(f"/clinic/patients/{sam.pk}/").content.decode()

    assert f'href="/clinic/patients/{sam.pk}/motion/"' in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clinician", 200),
        ("outsider", 404),
        ("owner", 302),
        ("other patient", 302),
        ("anonymous", 302),
    ],
)
def test_only_the_patients_clinic_sees_the_motion_page(
    sam: Patient,
    other_patient: Patient,
    clinician: User,
    outsider: User,
    persona: str,
    status: int,
) -> None:
    users = {
        "owner": sam.user,
        "other patient": other_patient.user,
        "clinician": clinician,
        "outsider": outsider,
    }
    client = Client() if persona == "anonymous" else logged_in(users[persona])

    response = page_of(client, sam)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/login/")


def test_it_audits_the_motion_page(sam: Patient, clinician: User, outsider: User) -> None:
    upload(sam, reps=1)
    before = AuditEvent.objects.order_by("id").last()  # the trail is append-only: read past it

    page_of(logged_in(clinician), sam)
    page_of(logged_in(outsider), sam)

    later = AuditEvent.objects.filter(id__gt=before.pk if before else 0)
    events = later.order_by("id").values_list("action", "outcome", "patient_id")
    assert list(events) == [
        ("motion.patient.view", "ok", sam.pk),
        ("motion.patient.view", "not_found", sam.pk),  # on the targeted patient's trail
    ]


def test_it_shows_the_patient_their_results_in_their_history(sam: Patient) -> None:
    upload(sam, reps=2, lean=0.6)

    text = logged_in(sam.user).get("/me/history/").content.decode()

    assert "Motion check" in text
    assert "2 reps counted · form 80/100" in text
    assert "Keep your chest up and sit back" in text


def test_it_shows_no_motion_section_without_analyses(sam: Patient) -> None:
    text = logged_in(sam.user).get("/me/history/").content.decode()

    assert "Motion check" not in text


def test_it_shows_holds_with_their_time_in_position(sam: Patient, clinician: User) -> None:
    hold = {
        "start_frame": 30,
        "end_frame": 960,
        "within_tolerance_s": 30.5,
        "met_target": True,
        "faults": [],
    }
    MotionAnalysis.objects.create(
        exercise_log=log_of(sam, "bodyweight-squat"),
        client_id=uuid.uuid4(),
        body_hash="x",
        skeleton="blazepose33",
        fps=30.0,
        frame_count=990,
        profile_slug="wall-sit",
        profile_hash="x",
        judged=True,
        quality=100,
        confidence=0.9,
        result={"mode": "hold", "reps": [], "holds": [hold]},
    )

    clinic_text = page_of(logged_in(clinician), sam).content.decode()
    patient_text = logged_in(sam.user).get("/me/history/").content.decode()

    assert "Hold 1: 30.5 s in position (target met) at 1.0–32.0 s" in clinic_text
    assert "held 31 s in position (target met)" in patient_text
