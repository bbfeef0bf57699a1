"""Migration 0002 turns a review stored with English sentences into facts that read as they did,
and in Spanish too; a summary or reason it does not recognise keeps its text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from backcare.patients.models import Patient
from backcare.reviews import words
from backcare.reviews.models import Review
from backcare.testing import migrate_to

BEFORE = [("reviews", "0001_initial")]
AFTER = [("reviews", "0002_reasons_as_facts")]
STORED = json.loads((Path(__file__).parent / "stored_before_facts.json").read_text())
"""A review as the nightly job stored it before reasons were facts (written by that version)."""

REWORDED = {
    "1 days since": "1 day since",  # plural now chosen by count
    "change: odi 30": "change: ODI 30",  # questionnaires by the names clinicians use
    "2026-03-18": "18 Mar 2026",  # dates as the reader writes them
    "2026-03-19": "19 Mar 2026",
}


def _old_review(apps: Any, patient: Patient, **changes: Any) -> Any:
    fields = {k: STORED[k] for k in ("summary", "decision", "from_stage", "to_stage", "reasons")}
    return apps.get_model("reviews", "Review").objects.create(
        patient_id=patient.pk,
        programme_id=patient.programme_set.get().pk,
        computed_on="2026-03-20",
        **fields | changes,
    )


@pytest.mark.django_db(transaction=True)
def test_a_stored_english_review_becomes_facts_that_read_as_before(patient: Patient) -> None:
    try:
        stored = _old_review(migrate_to(BEFORE), patient)
    finally:
        migrate_to(AFTER)
    review = Review.objects.get(pk=stored.pk)
    assert review.summary == {
        "code": "hold_and_review",
        "params": {"rules": ["pain_spike", "flare_up"], "stage": None},
    }
    assert not [r for r in review.reasons if "text" in r]
    adherence = next(r for r in review.reasons if r["rule"] == "adherence")
    assert (adherence["figures"]["sessions_done"], adherence["figures"]["window_days"]) == (13, 14)
    before = [r["text"] for r in STORED["reasons"]]
    for old, new in REWORDED.items():
        before = [text.replace(old, new) for text in before]
    assert [words.reason(r) for r in review.reasons] == before
    assert review.summary_text == STORED["summary"]
    with translation.override("es"):
        assert review.summary_text == "Mantener y revisar: un pico de dolor, una crisis."
        assert words.reason(review.reasons[-1]) == (
            "Peor al menos en el cambio clínicamente importante: ODI 30 → 44."
        )


@pytest.mark.django_db(transaction=True)
def test_a_summary_or_reason_it_cannot_read_keeps_its_text(patient: Patient) -> None:
    odd = {
        "rule": "a_rule_of_an_older_version",
        "status": "fired",
        "effect": "hold",
        "text": "Something an older version said.",
        "figures": {},
    }
    try:
        stored = _old_review(migrate_to(BEFORE), patient, summary="Hold: see notes.", reasons=[odd])
    finally:
        migrate_to(AFTER)
    review = Review.objects.get(pk=stored.pk)
    assert review.summary == "Hold: see notes."
    assert review.reasons == [odd]
    with translation.override("es"):
        assert [row.sentence for row in review.reason_rows] == ["Something an older version said."]
