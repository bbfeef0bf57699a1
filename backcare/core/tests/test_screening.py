import pytest

from backcare.core.screening import ACTION_ADVICE, RED_FLAGS, assess

EXPECTED_ACTION = {
    "saddle_numbness": "emergency_now",
    "bladder_bowel_change": "emergency_now",
    "leg_weakness": "emergency_now",
    "bilateral_leg_pain": "emergency_now",
    "sexual_dysfunction": "emergency_now",
    "significant_trauma": "same_day",
    "minor_trauma_fragile_bone": "same_day",
    "fever": "same_day",
    "immunosuppression_or_iv_drugs": "same_day",
    "cancer_history": "doctor_this_week",
    "weight_loss": "doctor_this_week",
    "night_pain": "doctor_this_week",
    "new_pain_over_50": "doctor_this_week",
}


def test_it_has_an_expected_action_for_every_flag() -> None:
    assert {flag.key for flag in RED_FLAGS} == set(EXPECTED_ACTION)


@pytest.mark.parametrize(("key", "action"), sorted(EXPECTED_ACTION.items()))
def test_it_maps_each_flag_to_its_action_and_blocks_the_programme(key: str, action: str) -> None:
    result = assess([key])
    assert result.action == action
    assert result.blocks_programme
    assert [flag.key for flag in result.positive] == [key]


def test_it_lets_the_programme_go_ahead_with_no_flags() -> None:
    result = assess([])
    assert result.action == "none"
    assert not result.blocks_programme


@pytest.mark.parametrize(
    ("keys", "action"),
    [
        (["cancer_history", "fever"], "same_day"),
        (["night_pain", "saddle_numbness", "significant_trauma"], "emergency_now"),
        (["weight_loss", "new_pain_over_50"], "doctor_this_week"),
    ],
)
def test_it_takes_the_most_urgent_action_of_several_flags(keys: list[str], action: str) -> None:
    assert assess(keys).action == action


def test_it_tells_emergency_patients_to_go_to_an_emergency_department_now() -> None:
    assert "emergency department now" in assess(["saddle_numbness"]).advice


@pytest.mark.parametrize(
    ("action", "where"),
    [
        ("emergency_now", "emergency department now"),
        ("same_day", "seen by a doctor today"),
        ("doctor_this_week", "appointment with your doctor"),
    ],
)
def test_it_says_where_to_seek_care_for_every_stopping_action(action: str, where: str) -> None:
    assert where in ACTION_ADVICE[action]  # type: ignore[index]
    assert "Stop" in ACTION_ADVICE[action]  # type: ignore[index]


def test_it_rejects_an_unknown_flag() -> None:
    with pytest.raises(ValueError, match="unknown red flag 'headache'"):
        assess(["headache"])


def test_it_asks_again_about_every_flag_that_can_newly_appear() -> None:
    """Only "over 50 with new pain" describes an episode's start; every other flag can arise
    during treatment, so the weekly and on-demand checks ask about it (as something new)."""
    without = [flag.key for flag in RED_FLAGS if not flag.recheck]
    assert without == ["new_pain_over_50"]
