"""Every page and PDF a clinician or a patient reads is words in the reader's language: no code
from the library or the engines (``swiss_ball``, ``extension_intolerant``, ``not_fired``,
``week_1_highest_resting_pain``, an exercise's slug), no English reason on a Spanish page, and
the patient reads the patient's wording, the clinician the clinician's.

The patient has what brings codes out: a Swiss ball, a caution (back pain worse bending
backwards), a position they cannot take, a preferred aerobic activity, high risk; a programme
proposed by the engine and assigned; three weeks of logs; and the engine's review.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from backcare.accounts.models import User
from backcare.library.models import Exercise
from backcare.patients.models import Patient
from backcare.programmes import services as programmes
from backcare.reviews import services as reviews
from backcare.reviews.models import Review
from backcare.testing import log_sessions, logged_in
from tests.test_i18n import english_sentences

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
CODE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
"""A snake_case word: equipment, caution, position, category, rule, status or figure code."""
SQUASHED = ("Notfired", "Notmet", "Notapplicable")
"""Status codes as the review page used to print them (``not_fired|cut:"_"|capfirst``)."""

ENGLISH_REASONS = (
    "for the intermediate stage",
    "The patient's preferred activity",
    "the activity you chose",
    "Left out",
    "min a week",
    "(WHO 2020)",
    "sessions done in the last",
    "Resting pain",
    "Average resting pain",
    "days since the last session",
    "lighter start for high risk",
    "Weekly average",
    "progression needs",
    "Pain on waking",
    "First score",
    "prescribed sessions",
    "a session counts",
    "as health guidelines advise",
)
"""Pieces of the English reasons, notes and timeline sentences: none may show in Spanish."""


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(datetime(2026, 3, 20, 18, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def reader(clinic: Any, clinician: User, library: dict[str, Exercise]) -> Patient:
    """A patient whose programme and review the engines wrote, with three weeks of logs."""
    patient = Patient.objects.create(
        clinic=clinic,
        first_name="Rosa",
        last_name="Example",
        email="rosa@example.org",
        baseline_pain_0_10=6,
        stage="intermediate",
        risk_group="high",
        equipment=["wall", "chair", "swiss_ball", "bike"],
        excluded_positions=["prone"],
        conditions=["extension_intolerant"],
        preferred_aerobic="cycling",
        user=User.objects.create_user("rosa", "rosa@example.org", "pw-rosa-123", role="patient"),
    )
    programme = programmes.draft_programme(clinician, patient)
    programmes.assign(clinician, programme)
    programme.refresh_from_db()
    log_sessions(programme, TODAY - timedelta(days=20), 20, 5, 3, every=2)
    assessed = reviews.assess(patient, TODAY)
    assert assessed is not None
    _, proposal = assessed
    Review.objects.create(
        patient=patient,
        programme=programme,
        computed_on=TODAY,
        decision=proposal.decision,
        from_stage=proposal.stage,
        to_stage=proposal.to_stage or "",
        summary=reviews.summary_json(proposal),
        reasons=reviews.reasons_json(proposal),
    )
    return patient


def _visible(response: Any) -> str:
    """What a reader meets: a page's text without tags, scripts and styles, or a PDF's text."""
    assert response.status_code == 200, response.status_code
    content = b"".join(response) if response.streaming else response.content
    if content.startswith(b"%PDF-"):
        pages = PdfReader(io.BytesIO(content)).pages
        return " ".join(" ".join(page.extract_text().split()) for page in pages)
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", content.decode(), flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _pages(patient: Patient) -> dict[str, tuple[str, str]]:
    """Each page or PDF: who reads it and its address."""
    review = Review.objects.get(patient=patient)
    programme = patient.programme_set.get(status="active")
    return {
        "patient record": ("clinician", reverse("patient_detail", args=[patient.pk])),
        "programme": ("clinician", reverse("programme_detail", args=[programme.pk])),
        "review list": ("clinician", reverse("review_list")),
        "review": ("clinician", reverse("review_detail", args=[review.pk])),
        "timeline": ("clinician", reverse("patient_timeline", args=[patient.pk])),
        "handout PDF": ("clinician", reverse("programme_pdf", args=[patient.pk])),
        "progress report PDF": ("clinician", reverse("progress_pdf", args=[patient.pk])),
        "today": ("patient", reverse("today")),
        "guided session": ("patient", reverse("guided_session")),
        "my progress": ("patient", reverse("my_progress")),
        "my handout PDF": ("patient", reverse("my_programme_pdf")),
    }


PAGES = (
    "patient record",
    "programme",
    "review list",
    "review",
    "timeline",
    "handout PDF",
    "progress report PDF",
    "today",
    "guided session",
    "my progress",
    "my handout PDF",
)


def _read(patient: Patient, clinician: User, page: str, language: str) -> str:
    who, url = _pages(patient)[page]
    user = clinician if who == "clinician" else patient.user
    assert user is not None
    user.language = language
    user.save(update_fields=["language"])
    return _visible(logged_in(user).get(url))


def _slugs_shown(text: str) -> list[str]:
    """Exercise slugs in ``text`` that are not part of an exercise's name (``bird-dog`` is)."""
    names = " ".join(
        name.lower()
        for e in Exercise.objects.all()
        for name in (e.text("en").name, e.text("es").name)
    )
    shown = text.lower()
    return [
        slug
        for slug in Exercise.objects.values_list("slug", flat=True)
        if "-" in slug
        and re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", shown)
        and slug not in names
    ]


@pytest.mark.parametrize("language", ["en-gb", "es"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_or_pdf_shows_an_internal_code(
    reader: Patient, clinician: User, page: str, language: str
) -> None:
    text = _read(reader, clinician, page, language)
    assert CODE.findall(text) == []
    assert [word for word in SQUASHED if word in text] == []
    assert _slugs_shown(text) == []


@pytest.mark.parametrize("page", PAGES)
def test_no_page_or_pdf_in_spanish_shows_an_english_reason(
    reader: Patient, clinician: User, page: str
) -> None:
    text = _read(reader, clinician, page, "es")
    assert [phrase for phrase in ENGLISH_REASONS if phrase in text] == []
    assert [sentence for sentence in english_sentences() if sentence in text] == []


SPANISH = {
    "patient record": ["Pelota suiza", "Dolor de espalda que empeora al inclinarse hacia atrás"],
    "programme": ["para la fase intermedia", "Fuera del programa:", "La actividad que prefiere"],
    "review": ["Se cumple", "sesiones hechas en los últimos"],
    "today": ["Bicicleta, la actividad que elegiste", "como aconsejan las guías de salud"],
    "my handout PDF": ["Bicicleta, la actividad que elegiste"],
}


@pytest.mark.parametrize("page", SPANISH)
def test_spanish_pages_say_it_in_spanish(reader: Patient, clinician: User, page: str) -> None:
    text = _read(reader, clinician, page, "es")
    assert [words for words in SPANISH[page] if words not in text] == []


@pytest.mark.parametrize("page", ["today", "my handout PDF", "handout PDF"])
def test_the_patient_reads_the_patient_wording_of_the_aerobic_reason(
    reader: Patient, clinician: User, page: str
) -> None:
    text = _read(reader, clinician, page, "en-gb")
    assert "Cycling, the activity you chose: 10 minutes on 5 days a week" in text
    assert "as health guidelines advise" in text
    assert "The patient's preferred activity" not in text
    assert "(WHO 2020)" not in text


def test_the_clinician_reads_the_clinician_wording_with_its_source(
    reader: Patient, clinician: User
) -> None:
    text = _read(reader, clinician, "programme", "en-gb")
    assert "The patient's preferred activity; 10 min on 5 days a week (50 min)" in text
    assert "(WHO 2020)" in text
    assert "for the intermediate stage; lighter start for high risk" in text
