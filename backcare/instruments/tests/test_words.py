"""Why a change counts as clinically important or not, worded in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from backcare.core.instruments import ChangeThresholds, classify_change
from backcare.instruments.words import change_reason

BOTH = ChangeThresholds(combine="both")


@pytest.mark.parametrize(
    ("baseline", "current", "thresholds", "reason"),
    [
        (
            6,
            3,
            BOTH,
            "improved by 3 points (50 %), reaching the 2 points needed (the larger of 2 points and "
            "30 % of the baseline's 6 points from the best score, 1.8 points)",
        ),
        (
            6,
            5,
            BOTH,
            "improved by 1 point (16.7 %), less than the 2 points needed (the larger of 2 points "
            "and "
            "30 % of the baseline's 6 points from the best score, 1.8 points)",
        ),
        (
            6,
            6,
            BOTH,
            "unchanged, less than the 2 points needed (the larger of 2 points and 30 % of the "
            "baseline's 6 points from the best score, 1.8 points)",
        ),
        (
            6,
            5,
            ChangeThresholds(),
            "improved by 1 point (16.7 %), less than the 1.8 points needed (the smaller of 2 "
            "points "
            "and 30 % of the baseline's 6 points from the best score, 1.8 points)",
        ),
        (
            3,
            6,
            BOTH,
            "worsened by 3 points (100 %), reaching the 2 points needed (2 points; the relative "
            "rule "
            "is for improvement only)",
        ),
        (
            0,
            1,
            ChangeThresholds(relative_percent=None),
            "worsened by 1 point, less than the 2 points needed (2 points; the relative rule is "
            "for "
            "improvement only)",
        ),
        (
            0,
            0,
            BOTH,
            "unchanged, less than the 2 points needed (2 points; the 30 % rule does not apply to a "
            "baseline that is already the best score)",
        ),
        (
            6,
            3,
            ChangeThresholds(relative_percent=None),
            "improved by 3 points (50 %), reaching the 2 points needed (2 points)",
        ),
    ],
)
def test_it_explains_the_classification_with_its_numbers(
    baseline: float, current: float, thresholds: ChangeThresholds, reason: str
) -> None:
    change = classify_change(baseline, current, outcome="pain", thresholds=thresholds)
    assert change_reason(change) == reason


def test_it_explains_it_in_spanish() -> None:
    change = classify_change(6, 3, outcome="pain", thresholds=BOTH)
    with translation.override("es"):
        assert change_reason(change) == (
            "mejoró 3 puntos (50 %), alcanzando los 2 puntos necesarios (el mayor entre 2 puntos "
            "y el 30 % de los 6 puntos que separan el valor inicial de la mejor puntuación, 1.8 "
            "puntos)"
        )
