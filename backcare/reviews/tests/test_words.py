"""A proposal's reasons, results and figures in words, in the reader's language, never as codes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.utils import translation

from backcare.accounts.models import User
from backcare.core.progression import (
    CheckIn,
    InstrumentScore,
    ProgressionInput,
    Proposal,
    SessionSummary,
    assess_progression,
)
from backcare.patients.models import Patient
from backcare.reviews import words
from backcare.reviews.models import Review
from backcare.reviews.services import reasons_json, summary_json
from backcare.testing import logged_in

TODAY = date(2026, 3, 20)
CODE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
"""A snake_case word: a rule, status, figure or source code left in the text."""


def _sessions(days: int, during: int, morning: int) -> tuple[SessionSummary, ...]:
    return tuple(
        SessionSummary(TODAY - timedelta(days=i), 5, 5, during, morning) for i in range(1, days)
    )


SCENARIOS = {
    "first day": ProgressionInput(
        stage="initial",
        stage_started_on=TODAY,
        baseline_pain_0_10=6,
        sessions_per_week_prescribed=7,
        today=TODAY,
    ),
    "improving": ProgressionInput(
        stage="initial",
        stage_started_on=TODAY - timedelta(days=21),
        baseline_pain_0_10=6,
        sessions_per_week_prescribed=7,
        today=TODAY,
        sessions=_sessions(21, 3, 2),
    ),
    "spike, flare-up, worse function": ProgressionInput(
        stage="initial",
        stage_started_on=TODAY - timedelta(days=50),
        baseline_pain_0_10=5,
        sessions_per_week_prescribed=7,
        today=TODAY,
        sessions=_sessions(15, 4, 3),
        check_ins=(CheckIn(TODAY - timedelta(days=2), 8, 7, 8, 5, True),),
        instrument_scores=(
            InstrumentScore("odi", TODAY - timedelta(days=40), 30, True),
            InstrumentScore("odi", TODAY - timedelta(days=1), 44, True),
        ),
    ),
    "overload at the middle stage": ProgressionInput(
        stage="intermediate",
        stage_started_on=TODAY - timedelta(days=30),
        baseline_pain_0_10=3,
        sessions_per_week_prescribed=5,
        today=TODAY,
        sessions=_sessions(12, 6, 3),
    ),
    "red flag at the final stage": ProgressionInput(
        stage="advanced",
        stage_started_on=TODAY - timedelta(days=10),
        baseline_pain_0_10=4,
        sessions_per_week_prescribed=3,
        today=TODAY,
        red_flag_open=True,
    ),
}


def _rows(proposal: Proposal) -> list[dict[str, Any]]:
    return reasons_json(proposal)


@pytest.mark.parametrize("language", ["en-gb", "es"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_reason_summary_and_figure_reads_as_words_not_codes(
    scenario: str, language: str
) -> None:
    proposal = assess_progression(SCENARIOS[scenario])
    with translation.override(language):
        texts = [words.summary(summary_json(proposal))]
        for entry in _rows(proposal):
            texts += [words.reason(entry), words.rule_name(entry["rule"])]
            texts += [words.status_name(entry["status"])]
            texts += [f"{name}: {value}" for name, value in words.figures(entry)]
    assert all(texts)
    assert [t for t in texts if CODE.search(t)] == []


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_reason_is_left_in_english_in_spanish(scenario: str) -> None:
    proposal = assess_progression(SCENARIOS[scenario])
    rows = _rows(proposal)
    english = [words.reason(entry) for entry in rows]
    with translation.override("es"):
        spanish = [words.reason(entry) for entry in rows]
    assert [e for e, s in zip(english, spanish, strict=True) if e == s] == []


def test_each_rule_and_result_has_a_name() -> None:
    proposal = assess_progression(SCENARIOS["improving"])
    for entry in _rows(proposal):
        assert entry["rule"] in words.RULE_NAMES
        assert entry["status"] in words.STATUS_NAMES


def _visible(html: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.django_db
def test_the_review_page_in_spanish_shows_words_not_codes(
    patient: Patient, clinician: User
) -> None:
    proposal = assess_progression(SCENARIOS["overload at the middle stage"])
    review = Review.objects.create(
        patient=patient,
        programme=patient.programme_set.get(),
        computed_on=TODAY,
        decision=proposal.decision,
        from_stage=proposal.stage,
        to_stage=proposal.to_stage or "",
        summary=summary_json(proposal),
        reasons=reasons_json(proposal),
    )
    clinician.language = "es"
    clinician.save(update_fields=["language"])
    client = logged_in(clinician)

    page = _visible(client.get(f"/clinic/reviews/{review.pk}/").content.decode())
    listed = _visible(client.get("/clinic/reviews/").content.decode())

    assert "Retroceder a la fase inicial: el dolor sube demasiado durante el ejercicio" in page
    assert "No activada" in page and "Se cumple" in page
    for code in ("Notfired", "Notapplicable", "red_flag_open", "week_1_highest_resting_pain"):
        assert code not in page
    assert CODE.findall(page) == []
    assert "→ Inicial" in listed and "→ initial" not in listed
