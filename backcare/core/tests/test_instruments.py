"""Scoring and change tests. Items are generated keys ("item1") and link-ids ("q-1") only: no
instrument's wording belongs in this repository (DESIGN §6)."""

import math
import re

import pytest

from backcare.core.instruments import (
    CODES,
    HIGHER_IS_WORSE,
    MCID_DEFAULTS,
    OUTCOME_RANGES,
    OUTCOMES,
    RULES,
    URN_PREFIX,
    ChangeThresholds,
    Combine,
    Outcome,
    ScoringError,
    apply_mapping,
    classify_change,
    find_rule,
    start_back_risk,
)

BOTH = ChangeThresholds(combine="both")
"""The cautious reading a clinic may choose: a change must meet both the points and the 30 %
rule."""


def start_back(agree: set[int], item9: int) -> dict[str, object]:
    return {f"item{n}": n in agree for n in range(1, 9)} | {"item9": item9}


def sections(*values: float | None) -> dict[str, object]:
    return {f"item{n}": value for n, value in enumerate(values, start=1) if value is not None}


def yes_no(count: int, yes: int) -> dict[str, object]:
    return {f"item{n}": n <= yes for n in range(1, count + 1)}


TYPICAL: dict[str, dict[str, object]] = {
    "start_back": start_back({1, 2, 3}, 0),
    "odi": sections(2, 3, 1, 0, 4, 2, 1, 3, 2, 2),
    "rmdq": yes_no(24, 7),
    "peg": sections(3, 5, 7),
    "psfs": {"activity1": 4, "activity2": 6},
}


# --- the registry ----------------------------------------------------------------------------


def test_it_has_a_rule_for_every_code() -> None:
    assert set(RULES) == set(CODES) == {"start_back", "odi", "rmdq", "peg", "psfs"}


@pytest.mark.parametrize(
    ("code", "items", "unit", "scale", "higher_is_worse"),
    [
        ("start_back", 9, "points", (0, 9), True),
        ("odi", 10, "%", (0, 100), True),
        ("rmdq", 24, "points", (0, 24), True),
        ("peg", 3, "mean 0–10", (0, 10), True),
        ("psfs", 5, "mean 0–10", (0, 10), False),
    ],
)
def test_it_describes_each_instrument_by_structure_and_scale(
    code: str, items: int, unit: str, scale: tuple[int, int], higher_is_worse: bool
) -> None:
    rule = RULES[code]
    assert len(rule.items) == items
    score = rule.score(TYPICAL[code])
    assert (score.code, score.unit, score.range) == (code, unit, scale)
    assert score.higher_is_worse is higher_is_worse


def test_it_names_items_by_position_only() -> None:
    keys = [item.key for rule in RULES.values() for item in rule.items]
    assert all(re.fullmatch(r"(item|activity)\d+", key) for key in keys)


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("odi", "odi"),
        ("urn:backcare:instrument:start_back", "start_back"),
        ("urn:backcare:instrument:rmdq|1.0", "rmdq"),
        ("https://clinic.example/Questionnaire/back-function", "psfs"),
        ("https://clinic.example/Questionnaire/back-function|3", "psfs"),
    ],
)
def test_it_finds_a_rule_by_code_or_canonical_url(reference: str, code: str) -> None:
    clinic_urls = {"https://clinic.example/Questionnaire/back-function": "psfs"}
    assert find_rule(reference, clinic_urls=clinic_urls).code == code


def test_it_lists_its_own_canonical_url_for_every_rule() -> None:
    assert all(rule.canonical_urls == (URN_PREFIX + code,) for code, rule in RULES.items())


def test_it_refuses_an_unknown_instrument() -> None:
    with pytest.raises(LookupError, match="no scoring rule for 'phq9'"):
        find_rule("phq9")


# --- STarT Back ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agree", "item9", "total", "psychosocial", "risk"),
    [
        (set(), 0, 0, 0, "low"),
        ({1, 2, 3}, 0, 3, 0, "low"),
        ({5, 6, 7}, 0, 3, 3, "low"),
        ({1, 2, 5}, 2, 3, 1, "low"),
        ({1, 2, 5}, 3, 4, 2, "medium"),
        ({1, 2, 3, 4}, 2, 4, 0, "medium"),
        ({1, 2, 3, 4, 5, 6, 7}, 2, 7, 3, "medium"),
        ({5, 6, 7, 8}, 0, 4, 4, "high"),
        ({5, 6, 7}, 3, 4, 4, "high"),
        ({5, 6, 7}, 4, 4, 4, "high"),
        (set(range(1, 9)), 4, 9, 5, "high"),
    ],
)
def test_it_scores_start_back_and_its_risk_group_at_each_cut_off(
    agree: set[int], item9: int, total: int, psychosocial: int, risk: str
) -> None:
    score = RULES["start_back"].score(start_back(agree, item9))
    assert score.value == total
    assert score.subscales == {"psychosocial": psychosocial}
    assert score.interpretation == risk
    assert score.answered == 9


@pytest.mark.parametrize(
    ("total", "psychosocial", "risk"),
    [
        (0, 0, "low"),
        (3, 3, "low"),
        (4, 3, "medium"),
        (9, 3, "medium"),
        (4, 4, "high"),
        (9, 5, "high"),
    ],
)
def test_it_maps_start_back_total_and_subscale_to_a_risk_group(
    total: int, psychosocial: int, risk: str
) -> None:
    assert start_back_risk(total, psychosocial) == risk


def test_it_accepts_one_and_zero_for_yes_no_items() -> None:
    answers = {f"item{n}": 1 for n in range(1, 9)} | {"item9": 0}
    assert RULES["start_back"].score(answers).value == 8


# --- ODI -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "percent", "answered"),
    [
        (sections(*[0] * 10), 0.0, 10),
        (sections(*[5] * 10), 100.0, 10),
        (sections(2, 3, 1, 0, 4, 2, 1, 3, 2, 2), 40.0, 10),
        (sections(2, 3, 1, 0, 4, 2, 1, None, 2, 5), 20 / 45 * 100, 9),
        (sections(2, 3, None, 0, 4, 2, 1, None, 3, 5), 50.0, 8),
        (sections(2, 3, 1, 0, 4, 2, 1, 3, 2, 2) | {"item4": None, "item7": None}, 47.5, 8),
        (sections(*[3.0] * 10), 60.0, 10),
    ],
)
def test_it_scores_odi_as_a_percentage_of_the_sections_answered(
    answers: dict[str, object], percent: float, answered: int
) -> None:
    score = RULES["odi"].score(answers)
    assert score.value == pytest.approx(percent)
    assert score.answered == answered


def test_it_notes_which_odi_sections_were_left_out() -> None:
    score = RULES["odi"].score(sections(2, 3, None, 0, 4, 2, 1, None, 3, 5))
    assert score.notes == (
        "2 of 10 sections unanswered (item3, item8); the percentage is of the 8 answered.",
    )


def test_it_adds_no_note_to_a_complete_odi() -> None:
    assert RULES["odi"].score(TYPICAL["odi"]).notes == ()


# --- Roland-Morris, PEG, PSFS ----------------------------------------------------------------


@pytest.mark.parametrize("yes", [0, 7, 24])
def test_it_scores_roland_morris_as_the_count_of_yes(yes: int) -> None:
    score = RULES["rmdq"].score(yes_no(24, yes))
    assert score.value == yes
    assert score.interpretation is None


@pytest.mark.parametrize(
    ("ratings", "mean"),
    [((0, 0, 0), 0.0), ((3, 5, 7), 5.0), ((4, 5, 5), 14 / 3), ((10, 10, 10), 10.0)],
)
def test_it_scores_peg_as_the_mean_of_its_three_items(
    ratings: tuple[int, int, int], mean: float
) -> None:
    assert RULES["peg"].score(sections(*ratings)).value == pytest.approx(mean)


@pytest.mark.parametrize(
    ("answers", "mean", "answered"),
    [
        ({"activity1": 3}, 3.0, 1),
        ({"activity2": 4, "activity4": 7}, 5.5, 2),
        ({f"activity{n}": n * 2 for n in range(1, 6)}, 6.0, 5),
        ({"activity1": 0, "activity2": None}, 0.0, 1),
    ],
)
def test_it_scores_psfs_as_the_mean_of_the_activities_rated(
    answers: dict[str, object], mean: float, answered: int
) -> None:
    score = RULES["psfs"].score(answers)
    assert score.value == pytest.approx(mean)
    assert score.answered == answered


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "changes", "item", "problem"),
    [
        ("start_back", {"item3": None}, "item3", "required but not answered"),
        ("start_back", {"item9": 5}, "item9", "5 is out of range 0–4"),
        ("start_back", {"item1": 2}, "item1", "2 is out of range 0–1"),
        ("start_back", {"item2": "agree"}, "item2", "expected yes/no (true/false), got str"),
        ("start_back", {"item9": True}, "item9", "expected a whole number 0–4, got yes/no"),
        ("start_back", {"item10": True}, "item10", "not an item of STarT Back"),
        ("odi", {"item4": 6}, "item4", "6 is out of range 0–5"),
        ("odi", {"item4": -1}, "item4", "-1 is out of range 0–5"),
        ("odi", {"item4": 2.5}, "item4", "expected a whole number, got 2.5"),
        ("odi", {"item4": math.nan}, "item4", "expected a whole number, got nan"),
        ("odi", {"item4": "3"}, "item4", "expected a whole number, got str"),
        (
            "odi",
            {"item2": None, "item5": None, "item9": None},
            "item2",
            "not answered; Oswestry Disability Index 2.1a needs at least 8 of 10 items answered, "
            "got 7",
        ),
        ("rmdq", {"item24": None}, "item24", "required but not answered"),
        ("peg", {"item2": 11}, "item2", "11 is out of range 0–10"),
        ("psfs", {"activity3": 10.5}, "activity3", "expected a whole number, got 10.5"),
        (
            "psfs",
            {"activity1": None, "activity2": None},
            "activity1",
            "not answered; Patient-Specific Functional Scale needs at least 1 of 5 items "
            "answered, got 0",
        ),
    ],
)
def test_it_names_the_item_of_each_invalid_answer(
    code: str, changes: dict[str, object], item: str, problem: str
) -> None:
    with pytest.raises(ScoringError) as raised:
        RULES[code].score(TYPICAL[code] | changes)
    assert (raised.value.item, raised.value.problem) == (item, problem)
    assert str(raised.value) == f"{item}: {problem}"


def test_it_lists_every_invalid_answer_at_once() -> None:
    answers = start_back({1}, 7) | {"item4": None, "extra": 1}
    errors = RULES["start_back"].validate(answers)
    assert [error.item for error in errors] == ["extra", "item4", "item9"]


def test_it_finds_nothing_to_report_in_valid_answers() -> None:
    assert RULES["odi"].validate(TYPICAL["odi"]) == ()


# --- link-id mapping -------------------------------------------------------------------------

MAPPING = {f"q-{n}": f"item{n}" for n in range(1, 10)}


def test_it_scores_answers_keyed_by_the_clinics_link_ids_after_mapping() -> None:
    by_link_id = {f"q-{n}": n in {5, 6, 7} for n in range(1, 9)} | {"q-9": 4, "q-date": "x"}
    answers = apply_mapping(by_link_id, MAPPING)
    assert answers == start_back({5, 6, 7}, 4)
    assert RULES["start_back"].score(answers).interpretation == "high"


def test_it_names_the_item_when_two_link_ids_answer_it() -> None:
    with pytest.raises(ScoringError) as raised:
        apply_mapping({"q-1": True, "q-1b": False}, {"q-1": "item1", "q-1b": "item1"})
    assert raised.value.item == "item1"
    assert "'q-1' and 'q-1b'" in raised.value.problem


def test_it_drops_unanswered_link_ids_when_mapping() -> None:
    assert apply_mapping({"q-1": None, "q-1b": True}, {"q-1": "item1", "q-1b": "item1"}) == {
        "item1": True
    }


def test_it_names_the_item_of_an_answer_missing_after_mapping() -> None:
    by_link_id = {f"q-{n}": False for n in range(1, 9)}
    with pytest.raises(ScoringError, match="item9: required but not answered"):
        RULES["start_back"].score(apply_mapping(by_link_id, MAPPING))


# --- clinically important change -------------------------------------------------------------


def test_it_uses_the_ostelo_and_documented_defaults() -> None:
    assert MCID_DEFAULTS == {"pain": 2, "odi": 10, "rmdq": 5, "peg": 2, "psfs": 2}


@pytest.mark.parametrize("code", [code for code in OUTCOMES if code != "pain"])
def test_it_agrees_with_the_scoring_rule_on_direction_and_scale(code: Outcome) -> None:
    assert HIGHER_IS_WORSE[code] is RULES[code].higher_is_worse
    assert OUTCOME_RANGES[code] == RULES[code].range


@pytest.mark.parametrize(
    ("outcome", "baseline", "current", "label", "threshold"),
    [
        ("pain", 6, 4, "important_improvement", 2),
        ("pain", 6, 5, "no_important_change", 2),
        ("pain", 8, 6, "no_important_change", 2.4),
        ("pain", 8, 5, "important_improvement", 2.4),
        ("pain", 10, 7, "important_improvement", 3),
        ("pain", 7, 4.9, "important_improvement", 2.1),
        ("pain", 4, 6, "important_worsening", 2),
        ("pain", 4, 5, "no_important_change", 2),
        ("pain", 5, 5, "no_important_change", 2),
        ("odi", 20, 10, "important_improvement", 10),
        ("odi", 40, 30, "no_important_change", 12),
        ("odi", 40, 28, "important_improvement", 12),
        ("odi", 20, 30, "important_worsening", 10),
        ("odi", 20, 29, "no_important_change", 10),
        ("rmdq", 12, 7, "important_improvement", 5),
        ("rmdq", 12, 8, "no_important_change", 5),
        ("rmdq", 20, 15, "no_important_change", 6),
        ("rmdq", 20, 14, "important_improvement", 6),
        ("rmdq", 10, 15, "important_worsening", 5),
        ("peg", 5, 3, "important_improvement", 2),
        ("peg", 5, 10 / 3, "no_important_change", 2),
        ("peg", 3, 5, "important_worsening", 2),
        ("psfs", 4, 6, "important_improvement", 2),
        ("psfs", 4, 5, "no_important_change", 2),
        ("psfs", 8, 10, "important_improvement", 2),
        ("psfs", 2, 4, "no_important_change", 2.4),
        ("psfs", 2, 4.5, "important_improvement", 2.4),
        ("psfs", 6, 4, "important_worsening", 2),
        ("psfs", 0, 3, "important_improvement", 3),
        ("psfs", 0, 2, "no_important_change", 3),
    ],
)
def test_it_classifies_change_in_the_outcomes_direction_at_and_around_thresholds(
    outcome: Outcome, baseline: float, current: float, label: str, threshold: float
) -> None:
    change = classify_change(baseline, current, outcome=outcome, thresholds=BOTH)
    assert change.label == label
    assert change.threshold_used == pytest.approx(threshold)


@pytest.mark.parametrize(
    ("outcome", "baseline", "current", "absolute", "percent"),
    [
        ("pain", 6, 3, -3, -50),
        ("pain", 4, 6, 2, 50),
        ("odi", 40, 28, -12, -30),
        ("psfs", 4, 7, 3, 50),
        ("psfs", 8, 6, -2, -100),
    ],
)
def test_it_reports_the_change_in_points_and_percent_of_the_room_from_the_best_score(
    outcome: Outcome, baseline: float, current: float, absolute: float, percent: float
) -> None:
    change = classify_change(baseline, current, outcome=outcome)
    assert change.absolute == pytest.approx(absolute)
    assert change.percent == pytest.approx(percent)


@pytest.mark.parametrize(
    ("outcome", "baseline", "current", "both", "either"),
    [
        ("pain", 8, 6, "no_important_change", "important_improvement"),
        ("pain", 3, 2, "no_important_change", "important_improvement"),
        ("odi", 70, 60, "no_important_change", "important_improvement"),
        ("odi", 10, 14, "no_important_change", "no_important_change"),  # worsening: points only
        ("rmdq", 20, 15, "no_important_change", "important_improvement"),
        ("pain", 6, 6, "no_important_change", "no_important_change"),
    ],
)
def test_it_combines_the_absolute_and_percent_rules_as_the_clinic_chooses(
    outcome: Outcome, baseline: float, current: float, both: str, either: str
) -> None:
    choices: tuple[tuple[Combine, str], ...] = (("both", both), ("either", either))
    for combine, label in choices:
        thresholds = ChangeThresholds(combine=combine)
        change = classify_change(baseline, current, outcome=outcome, thresholds=thresholds)
        assert change.label == label, combine


def test_it_accepts_either_rule_by_default_as_the_design_says() -> None:
    assert classify_change(3, 2, outcome="pain") == classify_change(
        3, 2, outcome="pain", thresholds=ChangeThresholds(combine="either")
    )
    assert classify_change(3, 2, outcome="pain").label == "important_improvement"


def test_it_uses_the_absolute_rule_alone_when_the_percent_rule_is_off() -> None:
    change = classify_change(
        8, 6, outcome="pain", thresholds=ChangeThresholds(relative_percent=None)
    )
    assert (change.label, change.threshold_used) == ("important_improvement", 2)


def test_it_lets_a_clinic_override_one_outcomes_threshold() -> None:
    thresholds = ChangeThresholds(absolute={"odi": 8}, combine="both")
    assert classify_change(20, 12, outcome="odi", thresholds=thresholds).label == (
        "important_improvement"
    )
    assert classify_change(20, 12, outcome="odi", thresholds=BOTH).label == "no_important_change"
    assert thresholds.absolute_for("rmdq") == 5


@pytest.mark.parametrize(
    ("outcome", "baseline", "current", "label"),
    [
        ("pain", 0, 2, "important_worsening"),
        ("pain", 0, 1, "no_important_change"),
        ("pain", 0, 0, "no_important_change"),
        ("odi", 0, 10, "important_worsening"),
        ("rmdq", 0, 4, "no_important_change"),
        ("psfs", 10, 8, "important_worsening"),
    ],
)
def test_it_falls_back_to_the_absolute_rule_when_the_baseline_is_the_best_score(
    outcome: Outcome, baseline: float, current: float, label: str
) -> None:
    change = classify_change(baseline, current, outcome=outcome)
    assert change.label == label
    assert change.percent is None
    assert change.threshold_used == MCID_DEFAULTS[outcome]
    assert change.needed_by in ("best_baseline", "worsening")


@pytest.mark.parametrize(
    ("baseline", "current", "thresholds", "needed_by", "needed"),
    [
        (6, 3, BOTH, "larger", 2.0),
        (6, 5, ChangeThresholds(), "smaller", 1.8),
        (6, 6, ChangeThresholds(relative_percent=None), "points", 2.0),
        (6, 9, BOTH, "worsening", 2.0),
        (0, 0, BOTH, "best_baseline", 2.0),
    ],
)
def test_it_gives_the_rule_that_set_the_change_needed_with_its_numbers(
    baseline: float, current: float, thresholds: ChangeThresholds, needed_by: str, needed: float
) -> None:
    change = classify_change(baseline, current, outcome="pain", thresholds=thresholds)
    assert change.needed_by == needed_by
    assert change.threshold_used == pytest.approx(needed)
    assert (change.rule_points, change.room) == (2.0, baseline)
    assert change.better is (current < baseline)


@pytest.mark.parametrize(
    ("baseline", "current", "outcome", "message"),
    [
        (11, 5, "pain", "baseline 11 is outside the pain scale 0–10"),
        (5, -1, "pain", "current -1 is outside the pain scale 0–10"),
        (40, 101, "odi", "current 101 is outside the odi scale 0–100"),
        (math.nan, 5, "peg", "baseline nan is outside the peg scale 0–10"),
        (3, 5, "start_back", "unknown outcome 'start_back'"),
    ],
)
def test_it_refuses_scores_it_cannot_compare(
    baseline: float, current: float, outcome: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        classify_change(baseline, current, outcome=outcome)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"absolute": {"neck": 3}}, "unknown outcome 'neck'"),
        ({"absolute": {"odi": 0}}, "the odi threshold must be more than 0, got 0"),
        ({"relative_percent": 0}, "relative_percent must be in (0, 100], got 0"),
        ({"combine": "any"}, "combine must be 'both' or 'either', got 'any'"),
    ],
)
def test_it_refuses_a_meaningless_clinic_threshold(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        ChangeThresholds(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outcome", "baseline", "current", "label"),
    [
        ("rmdq", 2, 3, "no_important_change"),
        ("rmdq", 2, 7, "important_worsening"),
        ("odi", 20, 26, "no_important_change"),
        ("odi", 20, 30, "important_worsening"),
        ("psfs", 6, 4.5, "no_important_change"),
        ("pain", 3, 5, "important_worsening"),
    ],
)
def test_it_judges_worsening_by_points_only(
    outcome: Outcome, baseline: float, current: float, label: str
) -> None:
    """Ostelo's 30 % is an improvement threshold; on a low baseline it is a fraction of a point."""
    for combine in ("either", "both"):
        thresholds = ChangeThresholds(combine=combine)
        change = classify_change(baseline, current, outcome=outcome, thresholds=thresholds)
        assert change.label == label
        assert change.threshold_used == MCID_DEFAULTS[outcome]
