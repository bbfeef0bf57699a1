"""The programme handout, read back from the PDF as text."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.utils import translation

from backcare.accounts.models import Clinic
from backcare.core.screening import PRINTED_ADVICE, RED_FLAGS
from backcare.documents.handout import figures
from backcare.documents.pdf import printable
from backcare.documents.services import programme_handout
from backcare.documents.tests.conftest import NOW, folded, pdf_pages, pdf_text
from backcare.library.models import Exercise
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem
from backcare.reminders.models import ReminderSchedule
from backcare.testing import make_programme

TODAY = NOW.date()
SEVEN = [
    "abdominal-bracing",
    "bridge",
    "bird-dog",
    "dead-bug",
    "hamstring-stretch",
    "pelvic-tilt",
    "walking",
]


def handout_of(patient: Patient) -> bytes:
    return programme_handout(patient.user, patient, TODAY)


def items_of(patient: Patient) -> list[ProgrammeItem]:
    programme = patient.programme_set.get(status=Programme.Status.ACTIVE)
    return list(programme.items.select_related("exercise"))


def test_it_heads_the_handout_with_the_clinic_the_patient_and_the_programme(
    patient: Patient,
) -> None:
    Clinic.objects.filter(pk=patient.clinic_id).update(
        email="desk@riverside.example", address="1 River Lane\nTownsville TN1 1AA"
    )
    patient.refresh_from_db()

    text = pdf_text(handout_of(patient))

    for words in (
        "Riverside Physio",
        "Phone: 01234 567890",
        "E-mail: desk@riverside.example",
        "1 River Lane, Townsville TN1 1AA",
        "Your exercise programme",
        "Pat Example",
        "Stage: Initial: calm symptoms, activate · Programme version 1 · 12 Mar 2025",
    ):
        assert words in text


def test_it_prints_every_exercise_with_its_dose_steps_cues_and_cautions(patient: Patient) -> None:
    text = pdf_text(handout_of(patient))

    for number, item in enumerate(items_of(patient), start=1):
        local = item.exercise.local
        assert f"{number}. {local.name}" in text
        assert item.dose_text() in text
        for line in (*local.steps, *local.cues, *local.cautions):
            assert folded(line) in text


def test_it_prints_the_dose_as_prescribed(patient: Patient) -> None:
    item = items_of(patient)[1]
    ProgrammeItem.objects.filter(pk=item.pk).update(sets=4, reps=12, rest_s=60, days_per_week=3)

    text = pdf_text(handout_of(patient))

    assert "4 × 12 reps, rest 60 s, 3 days a week" in text


def test_it_keeps_each_exercise_on_one_page(patient: Patient) -> None:
    Programme.objects.filter(patient=patient).update(status=Programme.Status.SUPERSEDED)
    make_programme(patient, SEVEN)  # long enough that page breaks must fall somewhere

    pages = pdf_pages(handout_of(patient))

    assert len(pages) >= 4

    for number, item in enumerate(items_of(patient), start=1):
        local = item.exercise.local
        (page,) = [p for p in pages if f"{number}. {local.name}" in p]
        assert folded(local.steps[-1]) in page
        assert folded((local.cautions or local.cues or local.steps)[-1]) in page


def test_it_draws_each_key_pose_of_an_exercise(library: dict[str, Exercise]) -> None:
    bridge = library["bridge"]

    drawings = figures(bridge, 120)

    assert len(drawings) == len(bridge.core.key_poses) >= 2
    for drawing in drawings:
        assert 0 < drawing.width <= 120
        assert drawing.contents  # the figure's shapes, not an empty box


def test_it_says_when_to_stop_and_get_help_with_the_clinic_phone(patient: Patient) -> None:
    text = pdf_text(handout_of(patient))

    assert "When to stop and get help" in text
    assert (
        "Stop an exercise if it causes sharp or spreading pain, and tell your physiotherapist."
        in text
    )
    for flag in RED_FLAGS:
        if flag.recheck:
            assert folded(flag.recheck) in text
    for action in ("emergency_now", "same_day", "doctor_this_week"):
        assert folded(PRINTED_ADVICE[action]) in text
    # on paper nobody has been alerted yet: never say the physiotherapist knows
    assert "has been told" not in text
    assert "Your clinic: Riverside Physio, phone 01234 567890." in text


def test_it_prints_the_aerobic_prescription(patient: Patient, library: dict[str, Exercise]) -> None:
    Programme.objects.filter(patient=patient).update(
        aerobic_exercise=library["cycling"],
        aerobic_minutes=25,
        aerobic_days_per_week=4,
        aerobic_reason="Easy on the back and builds stamina.",
    )

    text = pdf_text(handout_of(patient))

    assert f"Aerobic activity: {library['cycling'].local.name}" in text
    assert "25 min, 4 days a week" in text
    assert "Easy on the back and builds stamina." in text
    assert f"{library['cycling'].local.name}: 25 minutes on 4 days a week." in text


def test_it_gives_one_schedule_line_when_every_exercise_has_the_same_days(
    patient: Patient,
) -> None:
    ProgrammeItem.objects.filter(programme__patient=patient).update(days_per_week=6)

    assert "Do all your exercises on 6 days a week." in pdf_text(handout_of(patient))


def test_it_lists_which_exercises_go_on_fewer_days(patient: Patient) -> None:
    bracing, bridge, walking = items_of(patient)
    ProgrammeItem.objects.filter(programme__patient=patient).update(days_per_week=7)
    ProgrammeItem.objects.filter(pk=walking.pk).update(days_per_week=3)

    text = pdf_text(handout_of(patient))

    names = (i.exercise.local.name for i in (bracing, bridge))
    assert f"7 days a week: {', '.join(names)}." in text
    assert f"3 days a week: {walking.exercise.local.name}." in text


def test_it_prints_the_days_and_time_the_patient_planned(patient: Patient) -> None:
    ReminderSchedule.objects.create(patient=patient, weekdays=[4, 0, 2], time_of_day=time(7, 30))

    text = pdf_text(handout_of(patient))

    assert "Your planned days: Monday, Wednesday, Friday, at 07:30." in text


def test_it_leaves_out_planned_days_the_patient_has_not_set(patient: Patient) -> None:
    assert "Your planned days" not in pdf_text(handout_of(patient))


def test_it_numbers_every_page(patient: Patient) -> None:
    pages = pdf_pages(handout_of(patient))

    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Riverside Physio · programme for Pat Example · 12/03/2025" in page


def test_it_prints_spanish_and_typographic_characters_as_text(patient: Patient) -> None:
    Clinic.objects.filter(pk=patient.clinic_id).update(name="Clínica Peña – ‘Sí’ × 2 ¿vale?")
    Patient.objects.filter(pk=patient.pk).update(first_name="Zoë", last_name="Núñez")
    patient.refresh_from_db()

    text = pdf_text(handout_of(patient))

    assert "Clínica Peña – ‘Sí’ × 2 ¿vale?" in text
    assert "Zoë Núñez" in text


def test_it_escapes_markup_in_what_people_typed(patient: Patient) -> None:
    Patient.objects.filter(pk=patient.pk).update(first_name="<b>Al</b> & <font")
    patient.refresh_from_db()

    assert "<b>Al</b> & <font Example" in pdf_text(handout_of(patient))


@pytest.mark.parametrize(("text", "shown"), [("6 → 3", "6 -> 3"), ("á ñ ¿ – ’ ×", "á ñ ¿ – ’ ×")])
def test_it_swaps_only_the_characters_the_font_lacks(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_it_makes_the_handout_in_spanish(patient: Patient, settings: Any) -> None:
    with translation.override("es"):
        content = handout_of(patient)
        names = [item.exercise.local.name for item in items_of(patient)]

    text = pdf_text(content)
    assert "Pat Example" in text
    assert "01234 567890" in text
    for name in names:  # the library's Spanish where it has it, else English
        assert name in text
