"""Stored reasons and notes worded in the reader's language, for the clinician or the patient."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from backcare.core.prescribing import Fact
from backcare.library.models import Exercise
from backcare.programmes.words import say

pytestmark = pytest.mark.django_db

BALL_WORK = Fact(
    "exercise",
    {
        "category": "motor_control",
        "stage": "intermediate",
        "from_stage": None,
        "preferred": True,
        "floor_free": True,
        "equipment": ("swiss_ball",),
        "high_risk": True,
    },
).to_json()
CYCLING = Fact(
    "aerobic",
    {
        "choice": "preferred",
        "activity": "cycling",
        "minutes": 10,
        "days": 5,
        "target_min": 150,
        "target_max": 300,
        "high_risk_shorter": True,
    },
).to_json()
LEFT_OUT = Fact(
    "left_out",
    {"rule": "contraindication", "slugs": ("back-extension",), "detail": ("extension_intolerant",)},
).to_json()

WORDINGS = [
    (
        BALL_WORK,
        "clinician",
        "en-gb",
        "Motor control for the intermediate stage; the patient prefers this kind of work; "
        "floor-free "
        "option because the patient cannot lie down; uses equipment the patient has: Swiss ball; "
        "lighter start for high risk",
    ),
    (
        BALL_WORK,
        "patient",
        "en-gb",
        "Trains the deep muscles that steady your back; the kind of exercise you prefer; done off "
        "the floor, as lying down is hard for you; uses equipment you have: Swiss ball; a gentle "
        "start that you will build on",
    ),
    (
        BALL_WORK,
        "clinician",
        "es",
        "Control motor para la fase intermedia; el paciente prefiere este tipo de trabajo; opción "
        "sin suelo porque el paciente no puede tumbarse; usa material que tiene el paciente: "
        "Pelota "
        "suiza; comienzo más ligero por riesgo alto",
    ),
    (
        CYCLING,
        "clinician",
        "en-gb",
        "The patient's preferred activity; 10 min on 5 days a week (50 min) to start, building "
        "toward 150 to 300 min a week of moderate activity (WHO 2020); shorter start for high risk",
    ),
    (
        CYCLING,
        "patient",
        "en-gb",
        "Cycling, the activity you chose: 10 minutes on 5 days a week to start (50 minutes), "
        "building up to 150 to 300 minutes a week, as health guidelines advise; a gentle start "
        "that "
        "you will build on",
    ),
    (
        CYCLING,
        "patient",
        "es",
        "Bicicleta, la actividad que elegiste: 10 minutos 5 días a la semana para empezar (50 "
        "minutos), hasta llegar poco a poco a entre 150 y 300 minutos a la semana, como aconsejan "
        "las guías de salud; un comienzo suave que irás aumentando",
    ),
    (
        LEFT_OUT,
        "clinician",
        "en-gb",
        "Left out Back extension (lying): unsuitable with a caution the patient has (Back pain "
        "that "
        "is worse bending backwards).",
    ),
    (
        LEFT_OUT,
        "clinician",
        "es",
        "Fuera del programa: Extensión de espalda (tumbado) (no es adecuado por una precaución que "
        "tiene el paciente: Dolor de espalda que empeora al inclinarse hacia atrás).",
    ),
]


@pytest.mark.parametrize(("stored", "who", "language", "expected"), WORDINGS)
def test_it_words_a_stored_fact_for_the_reader_in_their_language(
    library: dict[str, Exercise], stored: dict[str, Any], who: Any, language: str, expected: str
) -> None:
    with translation.override(language):
        assert say(stored, who) == expected


def test_a_reason_stored_as_text_before_facts_is_shown_as_it_was() -> None:
    with translation.override("es"):
        assert say("Chosen by hand after a long talk.", "patient") == (
            "Chosen by hand after a long talk."
        )


def test_an_exercise_no_longer_in_the_library_is_named_in_words_not_by_its_slug() -> None:
    note = Fact("stretches_need_company", {"slugs": ("old-side-stretch",)}).to_json()
    assert say(note).startswith("Left out Old side stretch: ")


NOTES = [
    Fact("left_out", {"rule": "equipment", "slugs": ("bridge",), "detail": ("swiss_ball",)}),
    Fact("left_out", {"rule": "position", "slugs": ("bridge",), "detail": ("side_lying",)}),
    Fact("left_out", {"rule": "excluded_by_request", "slugs": ("bridge",), "detail": ()}),
    Fact("stretch_cap", {"max_stretches": 2}),
    Fact("stretches_need_company", {"slugs": ("bridge",)}),
    Fact("earlier_stage_fill", {"stage": "advanced", "slugs": ("bridge",)}),
    Fact("too_few_candidates", {"count": 3, "min": 5, "max": 8}),
    Fact("preference_unmet", {"category": "mind_body"}),
    Fact("high_risk_lighter_dose"),
    Fact("high_risk_psychological_care"),
    Fact(
        "aerobic_preference_unused",
        {"activity": "swimming", "why": "equipment", "stage": "initial", "detail": ("pool",)},
    ),
    Fact(
        "aerobic_preference_unused",
        {"activity": "swimming", "why": "not_stage", "stage": "initial", "detail": ()},
    ),
    Fact(
        "aerobic_preference_unused",
        {"activity": "rowing", "why": "not_aerobic", "stage": "initial", "detail": ()},
    ),
    Fact("no_aerobic", {"target_min": 150, "target_max": 300}),
    Fact("added"),
]
CODES = ("swiss_ball", "side_lying", "mind_body", "bridge", "not_stage", "swimming", "rowing")


@pytest.mark.parametrize("note", NOTES, ids=lambda n: f"{n.code}-{n.params.get('why', '')}")
@pytest.mark.parametrize("language", ["en-gb", "es"])
def test_every_note_reads_as_words_without_a_code(
    library: dict[str, Exercise], note: Fact, language: str
) -> None:
    with translation.override(language):
        sentence = say(note.to_json())
    assert sentence
    assert not [code for code in CODES if code in sentence]
