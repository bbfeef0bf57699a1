from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import pytest

from backcare.core.library import STAGES, Dose, Exercise, KeyPose, load_library
from backcare.core.prescribing import (
    AEROBIC_DAYS_PER_WEEK,
    AEROBIC_MINUTES_BY_STAGE,
    ITEMS_BY_RISK,
    MAX_ITEMS,
    MAX_STRETCHES,
    MIN_ITEMS,
    SESSION_ORDER,
    Fact,
    PrescriptionRequest,
    Proposal,
    RiskGroup,
    Rule,
    lighter_dose,
    propose_programme,
)

CONTENT = Path(__file__).resolve().parents[3] / "content" / "exercises"
LYING = frozenset({"supine", "prone", "side_lying"})
HOUSEHOLD = frozenset({"wall", "chair"})


def make(slug: str, category: str = "motor_control", **fields: Any) -> Exercise:
    """A minimal exercise: intermediate, standing, no equipment, 3 sets of 10 reps unless told."""
    values: dict[str, Any] = {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "summary": "Test exercise.",
        "stages": ("intermediate",),
        "category": category,
        "position": "standing",
        "equipment": (),
        "dose": Dose("reps", sets=3, reps=10),
        "steps": ("One.", "Two."),
        "cues": ("Cue.",),
        "mistakes": ("Mistake.",),
        "cautions": ("Caution.",),
        "contraindications": (),
        "key_poses": (KeyPose("start", trunk_deg=0),),
    }
    values.update(fields)
    return Exercise(**values)


def library_of(*exercises: Exercise) -> dict[str, Exercise]:
    return {e.slug: e for e in exercises}


def balanced_library() -> dict[str, Exercise]:
    """Three of each category at the intermediate stage, plus aerobic activities."""
    categories = ("motor_control", "strength", "mind_body", "mobility", "stretch")
    exercises = [make(f"{c.replace('_', '-')}-{i}", c) for c in categories for i in (1, 2, 3)]
    return library_of(
        *exercises,
        make("walking", "aerobic", stages=STAGES),
        make("cycling", "aerobic", stages=STAGES, equipment=("bike",)),
        make("swimming", "aerobic", stages=("intermediate", "advanced"), equipment=("pool",)),
    )


def propose(library: dict[str, Exercise], **fields: Any) -> Proposal:
    fields.setdefault("stage", "intermediate")
    fields.setdefault("risk_group", "low")
    return propose_programme(PrescriptionRequest(**fields), library)


def category_of(library: dict[str, Exercise], proposal: Proposal) -> list[str]:
    return [library[slug].category for slug in proposal.slugs]


def notes_of(proposal: Proposal, code: str) -> list[dict[str, Any]]:
    """The params of each note with ``code``."""
    return [dict(note.params) for note in proposal.notes if note.code == code]


# --- constraints ---------------------------------------------------------------------------


def test_it_only_proposes_exercises_for_the_requested_stage() -> None:
    library = library_of(
        *(make(f"mid-{i}") for i in range(6)),
        make("early", stages=("initial",)),
        make("late", stages=("advanced",)),
    )
    proposal = propose(library, risk_group="high")
    assert len(proposal.items) == ITEMS_BY_RISK["high"]
    assert "early" not in proposal.slugs
    assert "late" not in proposal.slugs


@pytest.mark.parametrize(
    ("equipment", "available", "kept"),
    [
        (("swiss_ball",), frozenset(), False),
        (("swiss_ball",), frozenset({"swiss_ball"}), True),
        (("wall", "swiss_ball"), frozenset({"wall"}), False),
        (("wall", "swiss_ball"), frozenset({"wall", "swiss_ball"}), True),
        ((), frozenset(), True),
    ],
)
def test_it_proposes_an_exercise_only_when_the_patient_has_its_equipment(
    equipment: tuple[str, ...], available: frozenset[str], kept: bool
) -> None:
    library = library_of(make("ball-work", equipment=equipment), make("other", "strength"))
    proposal = propose(library, available_equipment=available)
    assert ("ball-work" in proposal.slugs) is kept
    assert proposal.fired(Rule.EQUIPMENT) is not kept


@pytest.mark.parametrize(
    ("position", "excluded", "kept"),
    [
        ("supine", frozenset({"supine", "prone", "side_lying"}), False),
        ("side_lying", frozenset({"supine", "prone", "side_lying"}), False),
        ("quadruped", frozenset({"quadruped"}), False),
        ("quadruped", frozenset({"supine", "prone", "side_lying"}), True),
        ("standing", frozenset({"supine", "prone", "side_lying", "quadruped"}), True),
        ("supine", frozenset(), True),
    ],
)
def test_it_leaves_out_positions_the_patient_cannot_take(
    position: str, excluded: frozenset[str], kept: bool
) -> None:
    library = library_of(make("target", position=position), make("other", "strength"))
    proposal = propose(library, excluded_positions=excluded)
    assert ("target" in proposal.slugs) is kept
    assert proposal.fired(Rule.POSITION) is not kept


@pytest.mark.parametrize(
    ("contraindications", "conditions", "kept"),
    [
        (("knee_pain",), frozenset({"knee_pain"}), False),
        (("knee_pain", "osteoporosis"), frozenset({"osteoporosis"}), False),
        (("knee_pain",), frozenset({"osteoporosis"}), True),
        (("knee_pain",), frozenset(), True),
    ],
)
def test_it_leaves_out_exercises_contraindicated_for_the_patient(
    contraindications: tuple[str, ...], conditions: frozenset[str], kept: bool
) -> None:
    library = library_of(make("target", contraindications=contraindications), make("other"))
    proposal = propose(library, conditions=conditions)
    assert ("target" in proposal.slugs) is kept
    assert proposal.fired(Rule.CONTRAINDICATION) is not kept


def test_it_leaves_out_exercises_the_clinician_or_patient_removed() -> None:
    library = library_of(make("disliked"), make("liked"))
    proposal = propose(library, excluded_exercises=frozenset({"disliked"}))
    assert proposal.slugs == ("liked",)
    assert proposal.fired(Rule.EXCLUDED_BY_REQUEST)


@pytest.mark.parametrize(
    ("fields", "rule", "detail"),
    [
        ({"excluded_exercises": frozenset({"target"})}, Rule.EXCLUDED_BY_REQUEST, ()),
        ({"conditions": frozenset({"knee_pain"})}, Rule.CONTRAINDICATION, ("knee_pain",)),
        ({"excluded_positions": frozenset({"supine"})}, Rule.POSITION, ("supine",)),
        ({"available_equipment": frozenset()}, Rule.EQUIPMENT, ("swiss_ball",)),
    ],
)
def test_it_names_each_left_out_exercise_with_the_reason(
    fields: dict[str, Any], rule: Rule, detail: tuple[str, ...]
) -> None:
    target = make(
        "target", position="supine", equipment=("swiss_ball",), contraindications=("knee_pain",)
    )
    proposal = propose(
        library_of(target), **{"available_equipment": frozenset({"swiss_ball"}), **fields}
    )
    [left_out] = proposal.left_out
    assert (left_out.slug, left_out.rule, left_out.detail) == ("target", rule, detail)
    assert notes_of(proposal, "left_out") == [
        {"rule": str(rule), "slugs": ("target",), "detail": detail}
    ]


def test_it_applies_the_same_constraints_to_the_aerobic_activity() -> None:
    library = balanced_library()
    library["walking"] = make("walking", "aerobic", contraindications=("knee_pain",))
    proposal = propose(library, conditions=frozenset({"knee_pain"}))
    assert proposal.aerobic is None
    assert proposal.fired(Rule.NO_AEROBIC)


# --- size, balance, stretches --------------------------------------------------------------


@pytest.mark.parametrize("risk_group", ["low", "medium", "high"])
def test_it_proposes_between_five_and_eight_exercises_when_the_library_allows(
    risk_group: RiskGroup,
) -> None:
    proposal = propose(balanced_library(), risk_group=risk_group)
    assert 5 <= len(proposal.items) <= 8
    assert len(proposal.items) == ITEMS_BY_RISK[risk_group]


def test_it_proposes_fewer_exercises_the_higher_the_risk() -> None:
    sizes = [
        len(propose(balanced_library(), risk_group=r).items) for r in ("low", "medium", "high")
    ]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[2]


def test_it_never_proposes_aerobic_activities_among_the_exercises() -> None:
    library = balanced_library()
    assert "aerobic" not in category_of(library, propose(library))


def test_it_never_proposes_more_than_two_stretches() -> None:
    library = library_of(
        *(make(f"stretch-{i}", "stretch") for i in range(6)),
        *(make(f"core-{i}") for i in range(4)),
    )
    proposal = propose(library)
    assert category_of(library, proposal).count("stretch") == 2
    assert proposal.fired(Rule.STRETCH_CAP)


def test_it_never_proposes_only_stretches() -> None:
    library = library_of(*(make(f"stretch-{i}", "stretch") for i in range(6)))
    proposal = propose(library)
    assert proposal.items == ()
    assert proposal.fired(Rule.STRETCHES_NEED_COMPANY)
    assert proposal.fired(Rule.TOO_FEW_CANDIDATES)


def test_it_never_proposes_more_stretches_than_other_exercises() -> None:
    library = library_of(make("stretch-1", "stretch"), make("stretch-2", "stretch"), make("core"))
    proposal = propose(library)
    assert proposal.slugs == ("core", "stretch-1")
    assert notes_of(proposal, "stretches_need_company") == [{"slugs": ("stretch-2",)}]


def test_it_balances_categories_with_motor_control_and_strength_first() -> None:
    library = balanced_library()
    proposal = propose(library, risk_group="low")  # 7 items over 5 categories
    categories = category_of(library, proposal)
    assert {c: categories.count(c) for c in set(categories)} == {
        "motor_control": 2,
        "strength": 2,
        "mind_body": 1,
        "mobility": 1,
        "stretch": 1,
    }


def test_it_gives_preferred_categories_priority_within_the_balance() -> None:
    library = balanced_library()
    proposal = propose(library, risk_group="low", preferred_categories=frozenset({"mind_body"}))
    categories = category_of(library, proposal)
    assert categories.count("mind_body") == 2
    assert categories.count("strength") == 1
    assert proposal.fired(Rule.PREFERRED_CATEGORY)
    mind_body = [i for i in proposal.items if library[i.slug].category == "mind_body"]
    assert all(item.reason.params["preferred"] for item in mind_body)


def test_it_notes_a_preferred_category_that_nothing_fits() -> None:
    library = library_of(*(make(f"core-{i}") for i in range(5)))
    proposal = propose(library, preferred_categories=frozenset({"mind_body"}))
    assert proposal.fired(Rule.PREFERENCE_UNMET)
    assert notes_of(proposal, "preference_unmet") == [{"category": "mind_body"}]


def test_it_prefers_variety_over_an_easier_version_of_a_chosen_exercise() -> None:
    library = library_of(
        make("a-bridge", "strength", easier="b-bridge-easy"),
        make("b-bridge-easy", "strength", harder="a-bridge"),
        *(make(f"{c}-squat", "strength") for c in "cdef"),
    )
    proposal = propose(library, risk_group="high")
    assert proposal.slugs == ("a-bridge", "c-squat", "d-squat", "e-squat", "f-squat")
    assert proposal.alternatives == ("b-bridge-easy",)


def test_it_does_not_count_a_linked_exercise_of_another_category_against_variety() -> None:
    library = library_of(
        *(make(f"{c}-core", easier="a-mob" if c == "b" else None) for c in "bcdef"),
        make("a-mob", "mobility", harder="b-core"),
        make("b-mob", "mobility"),
        make("c-mob", "mobility"),
    )
    proposal = propose(library, risk_group="high")
    assert proposal.slugs == ("a-mob", "b-mob", "b-core", "c-core", "d-core")


def test_it_prefers_exercises_introduced_at_the_stage_over_carried_over_ones() -> None:
    carried = [make(f"{c}-carried", stages=("initial", "intermediate")) for c in "abcde"]
    new = make("z-new", stages=("intermediate", "advanced"))
    proposal = propose(library_of(*carried, new), risk_group="high")
    assert "z-new" in proposal.slugs
    assert proposal.alternatives == ("e-carried",)


def test_it_prefers_exercises_made_only_for_the_stage() -> None:
    lasting = [make(f"{c}-lasting", stages=("intermediate", "advanced")) for c in "abcde"]
    proposal = propose(library_of(*lasting, make("z-only")), risk_group="high")
    assert "z-only" in proposal.slugs
    assert proposal.alternatives == ("e-lasting",)


# --- too few, earlier stage ----------------------------------------------------------------


def test_it_says_so_when_too_few_exercises_fit() -> None:
    library = library_of(make("core-1"), make("core-2"), make("floor", position="supine"))
    proposal = propose(library, excluded_positions=frozenset({"supine"}))
    assert proposal.slugs == ("core-1", "core-2")
    assert proposal.fired(Rule.TOO_FEW_CANDIDATES)
    assert notes_of(proposal, "too_few_candidates") == [
        {"count": 2, "min": MIN_ITEMS, "max": MAX_ITEMS}
    ]


def test_it_never_pads_the_programme_with_unsuitable_exercises() -> None:
    library = library_of(
        make("fits"),
        make("no-ball", equipment=("swiss_ball",)),
        make("lying", position="prone"),
        make("knees", contraindications=("knee_pain",)),
        make("disliked"),
        make("later", stages=("advanced",)),
    )
    proposal = propose(
        library,
        excluded_positions=frozenset({"prone"}),
        conditions=frozenset({"knee_pain"}),
        excluded_exercises=frozenset({"disliked"}),
    )
    assert proposal.slugs == ("fits",)


def test_it_fills_from_an_earlier_stage_when_the_stage_has_too_few() -> None:
    library = library_of(
        make("advanced-1", stages=("advanced",)),
        make("intermediate-1", "strength"),
        make("initial-1", "strength", stages=("initial",)),
    )
    proposal = propose(library, stage="advanced", risk_group="high")
    assert set(proposal.slugs) == {"advanced-1", "intermediate-1", "initial-1"}
    assert proposal.fired(Rule.EARLIER_STAGE_FILL)
    from_stage = {item.slug: item.reason.params["from_stage"] for item in proposal.items}
    assert from_stage == {
        "advanced-1": None,
        "intermediate-1": "intermediate",
        "initial-1": "initial",
    }
    assert notes_of(proposal, "earlier_stage_fill") == [
        {"stage": "advanced", "slugs": ("intermediate-1", "initial-1")}
    ]


def test_it_never_fills_from_a_later_stage() -> None:
    library = library_of(make("early", stages=("initial",)), make("later", stages=("advanced",)))
    proposal = propose(library, stage="initial")
    assert proposal.slugs == ("early",)
    assert not proposal.fired(Rule.EARLIER_STAGE_FILL)


def test_it_does_not_fill_from_an_earlier_stage_when_the_stage_has_enough() -> None:
    library = balanced_library()
    library["initial-only"] = make("initial-only", stages=("initial",))
    proposal = propose(library)
    assert "initial-only" not in proposal.slugs
    assert not proposal.fired(Rule.EARLIER_STAGE_FILL)


# --- order and determinism -----------------------------------------------------------------


def test_it_orders_mobility_first_and_stretches_last() -> None:
    library = balanced_library()
    categories = category_of(library, propose(library))
    assert categories == sorted(categories, key=SESSION_ORDER.index)
    assert categories[0] == "mobility"
    assert categories[-1] == "stretch"


def test_it_gives_the_same_proposal_whatever_the_library_order() -> None:
    library = balanced_library()
    backwards = dict(reversed(list(library.items())))
    request = PrescriptionRequest("intermediate", "medium", preferred_aerobic="cycling")
    assert propose_programme(request, library) == propose_programme(request, backwards)


def test_it_breaks_ties_by_slug() -> None:
    library = library_of(*(make(f"core-{c}") for c in "edcba"))
    assert propose(library, risk_group="high").slugs == tuple(f"core-{c}" for c in "abcde")


def test_it_lists_suitable_exercises_it_did_not_choose_as_alternatives() -> None:
    proposal = propose(balanced_library(), risk_group="high")
    assert proposal.alternatives
    assert not set(proposal.alternatives) & set(proposal.slugs)
    assert not {"walking", "cycling", "swimming"} & set(proposal.alternatives)


# --- reasons -------------------------------------------------------------------------------


def test_it_gives_every_exercise_a_reason_naming_its_purpose_and_stage() -> None:
    library = balanced_library()
    proposal = propose(library)
    for item in proposal.items:
        assert item.reason.code == "exercise"
        assert item.reason.params["category"] == library[item.slug].category
        assert item.reason.params["stage"] == "intermediate"


def test_it_says_when_an_exercise_is_chosen_because_the_patient_cannot_lie_down() -> None:
    library = library_of(make("standing-core"))
    proposal = propose(library, excluded_positions=frozenset({"supine", "prone", "side_lying"}))
    assert proposal.items[0].reason == Fact(
        "exercise",
        {
            "category": "motor_control",
            "stage": "intermediate",
            "from_stage": None,
            "preferred": False,
            "floor_free": True,
            "equipment": (),
            "high_risk": False,
        },
    )


def test_it_says_which_equipment_an_exercise_uses() -> None:
    library = library_of(make("ball-core", equipment=("swiss_ball",)))
    proposal = propose(library, available_equipment=frozenset({"swiss_ball"}))
    assert proposal.items[0].reason.params["equipment"] == ("swiss_ball",)


def test_a_fact_is_stored_as_json_with_lists() -> None:
    fact = Fact("left_out", {"rule": "equipment", "slugs": ("a", "b"), "detail": ("pool",)})
    assert fact.to_json() == {
        "code": "left_out",
        "params": {"rule": "equipment", "slugs": ["a", "b"], "detail": ["pool"]},
    }


# --- risk group ----------------------------------------------------------------------------


@pytest.mark.parametrize("risk_group", ["low", "medium"])
def test_it_keeps_the_library_dose_for_low_and_medium_risk(risk_group: str) -> None:
    dose = Dose("hold", sets=3, hold_s=20, rest_s=20, days_per_week=5)
    proposal = propose(library_of(make("plank", dose=dose)), risk_group=risk_group)
    assert proposal.items[0].dose == dose
    assert not proposal.fired(Rule.HIGH_RISK_LIGHTER_DOSE)


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        (Dose("reps", sets=3, reps=10), Dose("reps", sets=2, reps=10)),
        (Dose("reps", sets=2, reps=8), Dose("reps", sets=1, reps=8)),
        (Dose("reps", sets=1, reps=10), Dose("reps", sets=1, reps=7)),
        (Dose("hold", sets=1, hold_s=30), Dose("hold", sets=1, hold_s=21)),
        (Dose("hold", sets=1, hold_s=1), Dose("hold", sets=1, hold_s=1)),
        (Dose("duration", duration_min=5), Dose("duration", duration_min=4)),
    ],
)
def test_it_lightens_the_starting_dose_for_high_risk(dose: Dose, expected: Dose) -> None:
    assert lighter_dose(dose) == expected
    proposal = propose(library_of(make("core", dose=dose)), risk_group="high")
    assert proposal.items[0].dose == expected
    assert proposal.items[0].reason.params["high_risk"] is True


def test_it_recommends_psychologically_informed_care_for_high_risk() -> None:
    proposal = propose(balanced_library(), risk_group="high")
    assert proposal.fired(Rule.HIGH_RISK_PSYCHOLOGICAL_CARE)
    assert Fact("high_risk_psychological_care") in proposal.notes


@pytest.mark.parametrize("risk_group", ["low", "medium"])
def test_it_does_not_add_high_risk_advice_for_lower_risk(risk_group: str) -> None:
    proposal = propose(balanced_library(), risk_group=risk_group)
    assert not proposal.fired(Rule.HIGH_RISK_PSYCHOLOGICAL_CARE)
    assert not notes_of(proposal, "high_risk_psychological_care")


# --- aerobic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "risk_group", "minutes"),
    [
        ("initial", "low", 10),
        ("intermediate", "low", 20),
        ("advanced", "low", 30),
        ("advanced", "medium", 30),
        ("initial", "high", 10),
        ("intermediate", "high", 10),
        ("advanced", "high", 20),
    ],
)
def test_it_sets_aerobic_minutes_by_stage_and_risk(
    stage: str, risk_group: str, minutes: int
) -> None:
    library = balanced_library()
    library["walking"] = make("walking", "aerobic", stages=STAGES)
    aerobic = propose(library, stage=stage, risk_group=risk_group).aerobic
    assert aerobic is not None
    assert (aerobic.minutes_per_session, aerobic.days_per_week) == (minutes, AEROBIC_DAYS_PER_WEEK)
    assert aerobic.minutes_per_week == minutes * AEROBIC_DAYS_PER_WEEK
    assert aerobic.dose == Dose(
        "duration", duration_min=minutes, rest_s=0, days_per_week=AEROBIC_DAYS_PER_WEEK
    )
    assert aerobic.reason.params["minutes"] == minutes
    assert (aerobic.reason.params["target_min"], aerobic.reason.params["target_max"]) == (150, 300)
    shorter = minutes < AEROBIC_MINUTES_BY_STAGE[stage]  # type: ignore[index]
    assert aerobic.reason.params["high_risk_shorter"] is shorter


@pytest.mark.parametrize(
    ("preferred", "equipment", "chosen", "rule"),
    [
        ("cycling", frozenset({"bike"}), "cycling", Rule.AEROBIC_PREFERRED),
        ("swimming", frozenset({"pool"}), "swimming", Rule.AEROBIC_PREFERRED),
        ("walking", frozenset(), "walking", Rule.AEROBIC_PREFERRED),
        ("cycling", frozenset(), "walking", Rule.AEROBIC_FALLBACK),
        ("swimming", frozenset({"bike"}), "walking", Rule.AEROBIC_FALLBACK),
        (None, frozenset({"bike", "pool"}), "walking", Rule.AEROBIC_FALLBACK),
    ],
)
def test_it_uses_the_preferred_aerobic_activity_when_allowed_else_walking(
    preferred: str | None, equipment: frozenset[str], chosen: str, rule: Rule
) -> None:
    proposal = propose(
        balanced_library(), preferred_aerobic=preferred, available_equipment=equipment
    )
    assert proposal.aerobic is not None
    assert proposal.aerobic.slug == chosen
    assert proposal.fired(rule)


@pytest.mark.parametrize(
    ("preferred", "fields", "why", "detail"),
    [
        ("swimming", {}, "equipment", ("pool",)),
        ("swimming", {"stage": "initial"}, "not_stage", ()),
        ("rowing", {}, "not_aerobic", ()),
        ("core-1", {}, "not_aerobic", ()),
        ("cycling", {"excluded_exercises": frozenset({"cycling"})}, "excluded_by_request", ()),
    ],
)
def test_it_says_why_the_preferred_aerobic_activity_was_not_used(
    preferred: str, fields: dict[str, Any], why: str, detail: tuple[str, ...]
) -> None:
    library = balanced_library()
    library["core-1"] = make("core-1")
    proposal = propose(library, preferred_aerobic=preferred, **fields)
    assert proposal.aerobic is not None
    assert proposal.aerobic.slug == "walking"
    stage = fields.get("stage", "intermediate")
    assert notes_of(proposal, "aerobic_preference_unused") == [
        {"activity": preferred, "why": why, "stage": stage, "detail": detail}
    ]


def test_it_falls_back_to_equipment_free_activity_before_others() -> None:
    library = library_of(
        make("a-cycling", "aerobic", equipment=("bike",)), make("z-walking", "aerobic")
    )
    proposal = propose(library, available_equipment=frozenset({"bike"}))
    assert proposal.aerobic is not None
    assert proposal.aerobic.slug == "z-walking"
    assert proposal.aerobic.reason.params["choice"] == "no_equipment"
    assert (proposal.aerobic.reason.params["minutes"], proposal.aerobic.reason.params["days"]) == (
        20,
        5,
    )


def test_it_proposes_no_aerobic_activity_when_none_fits_and_says_so() -> None:
    library = library_of(make("core"), make("swimming", "aerobic", equipment=("pool",)))
    proposal = propose(library)
    assert proposal.aerobic is None
    assert proposal.fired(Rule.NO_AEROBIC)
    assert notes_of(proposal, "no_aerobic") == [{"target_min": 150, "target_max": 300}]


# --- request validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stage": "final"}, "stage: 'final'"),
        ({"risk_group": "severe"}, "risk_group: 'severe'"),
        ({"available_equipment": frozenset({"dumbbell"})}, "available_equipment: 'dumbbell'"),
        ({"excluded_positions": frozenset({"kneeling"})}, "excluded_positions: 'kneeling'"),
        ({"conditions": frozenset({"flu"})}, "conditions: 'flu'"),
        ({"preferred_categories": frozenset({"yoga"})}, "preferred_categories: 'yoga'"),
    ],
)
def test_it_rejects_a_request_with_an_unknown_value(fields: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"stage": "initial", "risk_group": "low", **fields}
    with pytest.raises(ValueError, match=message):
        PrescriptionRequest(**values)


# --- the real library ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_library() -> dict[str, Exercise]:
    return load_library(CONTENT)


REAL_CASES = list(
    product(
        STAGES,
        ("low", "medium", "high"),
        [
            {},  # no equipment at all
            {"excluded_positions": LYING, "available_equipment": HOUSEHOLD},
            {"excluded_positions": LYING | {"quadruped"}, "available_equipment": HOUSEHOLD},
        ],
    )
)


@pytest.mark.parametrize(("stage", "risk_group", "constraints"), REAL_CASES)
def test_the_real_library_gives_at_least_five_exercises_that_are_not_all_stretches(
    real_library: dict[str, Exercise], stage: str, risk_group: str, constraints: dict[str, Any]
) -> None:
    proposal = propose(real_library, stage=stage, risk_group=risk_group, **constraints)
    categories = category_of(real_library, proposal)
    assert len(categories) >= MIN_ITEMS, proposal.notes
    assert categories.count("stretch") <= MAX_STRETCHES
    assert {"motor_control", "strength", "mind_body"} & set(categories)
    assert not proposal.fired(Rule.TOO_FEW_CANDIDATES)


@pytest.mark.parametrize("stage", STAGES)
def test_the_real_library_proposes_walking_with_no_equipment(
    real_library: dict[str, Exercise], stage: str
) -> None:
    proposal = propose(real_library, stage=stage, excluded_positions=LYING | {"quadruped"})
    assert proposal.aerobic is not None
    assert not real_library[proposal.aerobic.slug].equipment


@pytest.mark.parametrize(("preferred", "equipment"), [("cycling", "bike"), ("swimming", "pool")])
def test_the_real_library_honours_a_preferred_aerobic_activity(
    real_library: dict[str, Exercise], preferred: str, equipment: str
) -> None:
    proposal = propose(
        real_library,
        stage="advanced",
        preferred_aerobic=preferred,
        available_equipment=frozenset({equipment}),
    )
    assert proposal.aerobic is not None
    assert proposal.aerobic.slug == preferred
