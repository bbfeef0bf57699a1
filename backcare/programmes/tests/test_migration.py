"""Migration 0002 reads the English reasons and notes stored so far back into facts; a sentence it
does not recognise is kept as it was."""

from __future__ import annotations

import pytest
from django.utils import translation

from backcare.library.models import Exercise
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import latest_migrations, migrate_to

BEFORE = [("programmes", "0001_initial")]
AFTER = [("programmes", "0002_reasons_as_facts")]

AEROBIC = (
    "The patient's preferred activity; 10 min on 5 days a week (50 min) to start, building toward "
    "150 to 300 min a week of moderate activity (WHO 2020); shorter start for high risk"
)
REASONS = {
    "Motor control for the intermediate stage; floor-free option because the patient cannot lie "
    "down; uses the swiss ball the patient has": {
        "code": "exercise",
        "params": {
            "category": "motor_control",
            "stage": "intermediate",
            "from_stage": None,
            "preferred": False,
            "floor_free": True,
            "equipment": ["swiss_ball"],
            "high_risk": False,
        },
    },
    "Strength from the initial stage, as few intermediate-stage exercises fit; lighter start for "
    "high risk": {
        "code": "exercise",
        "params": {
            "category": "strength",
            "stage": "intermediate",
            "from_stage": "initial",
            "preferred": False,
            "floor_free": False,
            "equipment": [],
            "high_risk": True,
        },
    },
    "Added by the clinician.": {"code": "added", "params": {}},
    "Chosen after a long talk.": "Chosen after a long talk.",
    "": {},
}
NOTES = {
    "Left out back-extension, bird-dog: not suitable with back pain that is worse bending "
    "backwards.": {
        "code": "left_out",
        "params": {
            "rule": "contraindication",
            "slugs": ["back-extension", "bird-dog"],
            "detail": ["extension_intolerant"],
        },
    },
    "Left out swiss-ball-bridge: needs swiss ball, which the patient does not have.": {
        "code": "left_out",
        "params": {"rule": "equipment", "slugs": ["swiss-ball-bridge"], "detail": ["swiss_ball"]},
    },
    "Left out side-plank: the patient cannot take the side-lying position.": {
        "code": "left_out",
        "params": {"rule": "position", "slugs": ["side-plank"], "detail": ["side_lying"]},
    },
    "At most 2 stretches: stretching alone works no better than no treatment (Owen et al. 2020), "
    "so stretches are only adjuncts.": {"code": "stretch_cap", "params": {"max_stretches": 2}},
    "No mind-body exercise fits the patient's constraints, so that preference could not be met.": {
        "code": "preference_unmet",
        "params": {"category": "mind_body"},
    },
    "Preferred activity swimming not used: it is not an initial-stage activity.": {
        "code": "aerobic_preference_unused",
        "params": {"activity": "swimming", "stage": "initial", "detail": [], "why": "not_stage"},
    },
    "High risk: combine this programme with psychologically informed care, such as a cognitive "
    "behavioural approach (NICE NG59; Hill et al. 2011 STarT Back).": {
        "code": "high_risk_psychological_care",
        "params": {},
    },
    "Left out x: for a reason no version wrote.": "Left out x: for a reason no version wrote.",
    "Remember the knee.": "Remember the knee.",
}


@pytest.mark.django_db(transaction=True)
def test_old_english_reasons_become_facts_and_unknown_ones_stay_as_written(
    patient: Patient, library: dict[str, Exercise]
) -> None:
    try:
        old = migrate_to(BEFORE)
        programme = old.get_model("programmes", "Programme").objects.create(
            patient_id=patient.pk,
            version=7,
            stage="intermediate",
            aerobic_exercise_id=library["cycling"].pk,
            aerobic_minutes=10,
            aerobic_days_per_week=5,
            aerobic_reason=AEROBIC,
            notes=list(NOTES),
        )
        for position, text in enumerate(REASONS):
            old.get_model("programmes", "ProgrammeItem").objects.create(
                programme_id=programme.pk,
                position=position,
                exercise_id=library["bridge"].pk,
                dose_type="reps",
                reason=text,
            )
    finally:
        migrate_to(AFTER)
    migrated = Programme.objects.get(pk=programme.pk)
    assert migrated.aerobic_reason == {
        "code": "aerobic",
        "params": {
            "choice": "preferred",
            "activity": "cycling",
            "minutes": 10,
            "days": 5,
            "target_min": 150,
            "target_max": 300,
            "high_risk_shorter": True,
        },
    }
    assert [item.reason for item in migrated.items.all()] == list(REASONS.values())
    assert migrated.notes == list(NOTES.values())
    with translation.override("es"):
        assert migrated.aerobic_reason_for_patient.startswith(
            "Bicicleta, la actividad que elegiste"
        )
        assert "Remember the knee." in migrated.note_texts


@pytest.mark.django_db(transaction=True)
def test_going_back_is_refused_rather_than_blanking_stored_facts(patient: Patient) -> None:
    # the patient fixture's programme holds reasons; a fact among them cannot be put back as text
    item = patient.programme_set.get().items.first()
    assert item is not None
    item.reason = {"code": "added", "params": {}}
    item.save()
    try:
        with pytest.raises(RuntimeError, match="Restore the backup"):
            migrate_to(BEFORE)
    finally:
        migrate_to(latest_migrations())  # every app's latest
    item.refresh_from_db()
    assert item.reason == {"code": "added", "params": {}}
