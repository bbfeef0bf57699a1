"""Proposing a programme: stage, risk group and the patient's constraints → exercises, with reasons.

The proposal is a starting point for the clinician, who edits it before assigning it. Every choice
carries a one-line reason, every exercise left out by a constraint is named with why, and
``Proposal.rules_fired`` tells which rules shaped the result.

Sources for the rules (each constant repeats the one it depends on):

- NICE NG59 (2016, updated 2020), "Low back pain and sciatica in over 16s": consider exercise
  (biomechanical, aerobic, mind-body or a combination) chosen for the person's needs, preferences
  and capabilities; consider a combined physical and psychological programme with a cognitive
  behavioural approach when there are significant psychosocial obstacles to recovery; consider
  stratification (e.g. STarT Back) for each new episode.
- Owen PJ et al. "Which specific modes of exercise training are most effective for treating low
  back pain? Network meta-analysis", Br J Sports Med 2020;54:1279-1287: Pilates ranked best for
  pain, resistance and stabilisation/motor-control training for function; stretching did no
  better than control for pain or function.
- Hill JC et al. "Comparison of stratified primary care management for low back pain with current
  best practice (STarT Back)", Lancet 2011;378:1560-1571: high-risk patients did better with
  psychologically informed physiotherapy.
- WHO guidelines on physical activity and sedentary behaviour (2020): adults, 150-300 minutes of
  moderate aerobic activity a week; start small and build up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal, get_args

from backcare.core.library import (
    CATEGORIES,
    CONTRAINDICATIONS,
    EQUIPMENT,
    POSITIONS,
    STAGES,
    Category,
    Dose,
    Equipment,
    Exercise,
    Position,
    Stage,
)

__all__ = [
    "AEROBIC_DAYS_PER_WEEK",
    "AEROBIC_MINUTES_BY_STAGE",
    "CATEGORY_PRIORITY",
    "HIGH_RISK_SINGLE_SET_FRACTION",
    "ITEMS_BY_RISK",
    "MAX_ITEMS",
    "MAX_STRETCHES",
    "MIN_ITEMS",
    "RISK_GROUPS",
    "SESSION_ORDER",
    "WHO_WEEKLY_AEROBIC_MIN",
    "AerobicPrescription",
    "LeftOut",
    "PrescriptionRequest",
    "Proposal",
    "ProposedItem",
    "RiskGroup",
    "Rule",
    "aerobic_minutes",
    "lighter_dose",
    "propose_programme",
    "stretch_allowance",
]

RiskGroup = Literal["low", "medium", "high"]
RISK_GROUPS: tuple[RiskGroup, ...] = get_args(RiskGroup)

MIN_ITEMS = 5
"""Fewest exercises (aerobic apart) a proposal aims for. Practice default: enough to cover motor
control, strength, mobility and an adjunct stretch in one session (Owen et al. 2020 modes)."""

MAX_ITEMS = 8
"""Most exercises (aerobic apart) a proposal holds, so a home session stays short enough to be
done regularly; adherence is what makes exercise work (NICE NG59 rationale). Practice default."""

ITEMS_BY_RISK: dict[RiskGroup, int] = {"low": 7, "medium": 6, "high": 5}
"""Exercises proposed per risk group. Higher STarT Back risk gets fewer exercises to start, so the
first weeks are achievable and build confidence (graded activity in the psychologically informed
arm of Hill et al. 2011). Practice default within MIN_ITEMS..MAX_ITEMS; the clinician edits."""

MAX_STRETCHES = 2
"""At most two stretches: stretching alone did no better than control for pain or function
(Owen et al. 2020), so stretches are adjuncts, never the bulk of a programme."""

CATEGORY_PRIORITY: tuple[Category, ...] = (
    "motor_control",
    "strength",
    "mind_body",
    "mobility",
    "stretch",
)
"""Order in which categories take turns when filling a programme. Motor control and resistance
work first (best for function), Pilates-style work next (best for pain), mobility as warm-up,
stretches last as adjuncts (Owen et al. 2020). Preferred categories move to the front (NICE NG59:
choose exercise with the person's preferences)."""

SESSION_ORDER: tuple[Category, ...] = (
    "mobility",
    "motor_control",
    "mind_body",
    "strength",
    "stretch",
)
"""Order of a session: mobility to warm up, then motor control and strength, stretches to finish.
Usual exercise-session structure (warm-up, main work, cool-down); practice default."""

AEROBIC_MINUTES_BY_STAGE: dict[Stage, int] = {"initial": 10, "intermediate": 20, "advanced": 30}
"""Starting minutes per aerobic session by stage. At five days a week this gives 50, 100 and
150 minutes, building toward the WHO 2020 target of 150-300 minutes a week of moderate activity
("start small and build up"). Practice default; the clinician edits."""

AEROBIC_DAYS_PER_WEEK = 5
"""Aerobic sessions a week: spreading the WHO 2020 weekly minutes over most days."""

WHO_WEEKLY_AEROBIC_MIN = (150, 300)
"""Long-run weekly target of moderate aerobic activity for adults (WHO 2020)."""

HIGH_RISK_SINGLE_SET_FRACTION = 0.7
"""For high risk, a one-set exercise keeps this share of its reps, hold or minutes (others lose a
set). Lower initial volume, built up by quota, as in graded activity for high-risk patients
(Hill et al. 2011). Practice default."""

_LYING: frozenset[Position] = frozenset({"supine", "prone", "side_lying"})
_OFF_FLOOR: frozenset[Position] = frozenset({"standing", "sitting"})

_CATEGORY_WORDS: dict[Category, str] = {
    "motor_control": "Motor control",
    "strength": "Strength",
    "mind_body": "Mind-body work",
    "mobility": "Mobility warm-up",
    "stretch": "Stretch (an adjunct)",
    "aerobic": "Aerobic activity",
}


class Rule(StrEnum):
    """A rule that can shape a proposal; ``Proposal.fired(rule)`` tells whether it did."""

    EXCLUDED_BY_REQUEST = "excluded_by_request"
    CONTRAINDICATION = "contraindication"
    POSITION = "position"
    EQUIPMENT = "equipment"
    PREFERRED_CATEGORY = "preferred_category"
    PREFERENCE_UNMET = "preference_unmet"
    EARLIER_STAGE_FILL = "earlier_stage_fill"
    STRETCH_CAP = "stretch_cap"
    STRETCHES_NEED_COMPANY = "stretches_need_company"
    TOO_FEW_CANDIDATES = "too_few_candidates"
    HIGH_RISK_LIGHTER_DOSE = "high_risk_lighter_dose"
    HIGH_RISK_PSYCHOLOGICAL_CARE = "high_risk_psychological_care"
    AEROBIC_PREFERRED = "aerobic_preferred"
    AEROBIC_FALLBACK = "aerobic_fallback"
    NO_AEROBIC = "no_aerobic"


@dataclass(frozen=True)
class PrescriptionRequest:
    """What the clinician knows about the patient that shapes the programme."""

    stage: Stage
    risk_group: RiskGroup
    available_equipment: frozenset[Equipment] = frozenset()
    excluded_positions: frozenset[Position] = frozenset()
    conditions: frozenset[str] = frozenset()
    preferred_categories: frozenset[Category] = frozenset()
    preferred_aerobic: str | None = None
    excluded_exercises: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _check_one("stage", self.stage, STAGES)
        _check_one("risk_group", self.risk_group, RISK_GROUPS)
        _check_all("available_equipment", self.available_equipment, EQUIPMENT)
        _check_all("excluded_positions", self.excluded_positions, POSITIONS)
        _check_all("conditions", self.conditions, tuple(CONTRAINDICATIONS))
        _check_all("preferred_categories", self.preferred_categories, CATEGORIES)


@dataclass(frozen=True)
class ProposedItem:
    """One proposed exercise with its starting dose and why it was chosen."""

    slug: str
    dose: Dose
    reason: str


@dataclass(frozen=True)
class AerobicPrescription:
    """The proposed aerobic activity and its starting dose."""

    slug: str
    minutes_per_session: int
    days_per_week: int
    reason: str

    @property
    def minutes_per_week(self) -> int:
        """Weekly minutes, to compare with the WHO 150-300 minute target."""
        return self.minutes_per_session * self.days_per_week

    @property
    def dose(self) -> Dose:
        """The same dose in the library's terms (minutes, days a week)."""
        return Dose(
            "duration",
            duration_min=self.minutes_per_session,
            rest_s=0,
            days_per_week=self.days_per_week,
        )


@dataclass(frozen=True)
class LeftOut:
    """An exercise of the stage that a constraint ruled out, and which one."""

    slug: str
    rule: Rule
    reason: str


@dataclass(frozen=True)
class Proposal:
    """A proposed programme: ordered exercises, an aerobic activity, and notes for the clinician."""

    items: tuple[ProposedItem, ...]
    aerobic: AerobicPrescription | None
    notes: tuple[str, ...]
    rules_fired: tuple[Rule, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    alternatives: tuple[str, ...] = ()
    """Suitable stage exercises that were not chosen, by slug: handy swaps when editing."""

    def fired(self, rule: Rule) -> bool:
        """Whether ``rule`` shaped this proposal."""
        return rule in self.rules_fired

    @property
    def slugs(self) -> tuple[str, ...]:
        """The proposed exercises' slugs, in session order."""
        return tuple(item.slug for item in self.items)


def aerobic_minutes(stage: Stage, risk_group: RiskGroup) -> int:
    """Starting minutes per aerobic session: by stage, one stage lower for high risk.

    High risk starts lower so the first weeks are achievable (graded activity, Hill et al. 2011);
    never below the initial-stage minutes. Builds toward WHO 2020's 150-300 minutes a week.
    """
    index = STAGES.index(stage)
    if risk_group == "high":
        index = max(0, index - 1)
    return AEROBIC_MINUTES_BY_STAGE[STAGES[index]]


def lighter_dose(dose: Dose) -> Dose:
    """The high-risk starting dose: one set fewer, or a smaller single set.

    Lower initial volume, built up by quota as confidence grows (graded activity in the
    psychologically informed arm of Hill et al. 2011). Practice default; the clinician edits.
    """
    if dose.sets > 1:
        return replace(dose, sets=dose.sets - 1)

    def scaled(value: int | None) -> int | None:
        return None if value is None else max(1, round(value * HIGH_RISK_SINGLE_SET_FRACTION))

    return replace(
        dose,
        reps=scaled(dose.reps),
        hold_s=scaled(dose.hold_s),
        duration_min=scaled(dose.duration_min),
    )


def stretch_allowance(other_items: int) -> int:
    """How many stretches a programme with ``other_items`` non-stretch exercises may hold.

    At most MAX_STRETCHES, and never more stretches than other exercises, so stretches are never
    the whole programme: stretching alone did no better than control (Owen et al. 2020).
    """
    return min(MAX_STRETCHES, other_items)


def propose_programme(request: PrescriptionRequest, library: Mapping[str, Exercise]) -> Proposal:
    """Propose a stage-appropriate programme for ``request`` from ``library``, with reasons."""
    exercises = sorted(library.values(), key=lambda e: e.slug)
    left_out = [
        LeftOut(e.slug, *ruled_out)
        for e in exercises
        if request.stage in e.stages and (ruled_out := _rule_out(e, request)) is not None
    ]
    suitable = [e for e in exercises if e.category != "aerobic" and _rule_out(e, request) is None]
    own = [e for e in suitable if request.stage in e.stages]
    chosen, from_earlier, fired, notes = _select(request, own, suitable)
    fired |= {entry.rule for entry in left_out}
    for more_notes, more_rules in (_preferences(request, chosen), _risk(request)):
        notes += more_notes
        fired |= more_rules
    aerobic, aerobic_notes, aerobic_rule = _choose_aerobic(request, exercises)
    fired.add(aerobic_rule)
    notes += aerobic_notes
    notes += _left_out_notes(left_out)

    chosen.sort(key=lambda e: (SESSION_ORDER.index(e.category), e.slug))
    items = tuple(
        ProposedItem(
            e.slug,
            lighter_dose(e.dose) if request.risk_group == "high" else e.dose,
            _reason(e, request, from_earlier=e in from_earlier),
        )
        for e in chosen
    )
    return Proposal(
        items=items,
        aerobic=aerobic,
        notes=tuple(notes),
        rules_fired=tuple(rule for rule in Rule if rule in fired),
        left_out=tuple(left_out),
        alternatives=tuple(e.slug for e in own if e not in chosen),
    )


def _select(
    request: PrescriptionRequest, own: list[Exercise], suitable: list[Exercise]
) -> tuple[list[Exercise], list[Exercise], set[Rule], list[str]]:
    """Choose the exercises: the stage's own first, then the nearest earlier stage's if short.

    Returns the chosen exercises, those taken from an earlier stage, the rules that fired and
    the notes to show. Later-stage exercises are never used: they may be too hard yet.
    """
    fired: set[Rule] = set()
    notes: list[str] = []
    order = _category_turns(request.preferred_categories)
    target = ITEMS_BY_RISK[request.risk_group]
    chosen, capped = _fill(own, [], target, order, request.stage)
    from_earlier: list[Exercise] = []
    for earlier in reversed(STAGES[: STAGES.index(request.stage)]):
        pool = [e for e in suitable if earlier in e.stages and e not in own and e not in chosen]
        before = len(chosen)
        chosen, more_capped = _fill(pool, chosen, target, order, request.stage)
        capped = capped or more_capped
        from_earlier += chosen[before:]
    if capped:
        fired.add(Rule.STRETCH_CAP)
        notes.append(
            f"At most {MAX_STRETCHES} stretches: stretching alone works no better than no "
            "treatment (Owen et al. 2020), so stretches are only adjuncts."
        )
    stretches = [e for e in chosen if e.category == "stretch"]
    allowed = stretch_allowance(len(chosen) - len(stretches))
    if len(stretches) > allowed:
        dropped = stretches[allowed:]
        chosen = [e for e in chosen if e not in dropped]
        from_earlier = [e for e in from_earlier if e not in dropped]
        fired.add(Rule.STRETCHES_NEED_COMPANY)
        notes.append(
            f"Left out {_names(e.slug for e in dropped)}: with too few other exercises, "
            "stretches would make up the programme, and stretching alone does not help (Owen "
            "et al. 2020)."
        )
    if from_earlier:
        fired.add(Rule.EARLIER_STAGE_FILL)
        notes.append(
            f"Few {request.stage}-stage exercises fit, so these come from an earlier stage: "
            f"{_names(e.slug for e in from_earlier)}."
        )
    if len(chosen) < MIN_ITEMS:
        fired.add(Rule.TOO_FEW_CANDIDATES)
        notes.append(
            f"Only {len(chosen)} exercises fit this stage and the patient's constraints (the aim "
            f"is {MIN_ITEMS} to {MAX_ITEMS}); add suitable ones by hand or review the constraints."
        )
    return chosen, from_earlier, fired, notes


def _preferences(
    request: PrescriptionRequest, chosen: list[Exercise]
) -> tuple[list[str], set[Rule]]:
    """Whether the patient's preferred categories were met, with a note for each that was not."""
    met = {e.category for e in chosen} & request.preferred_categories
    unmet = sorted(request.preferred_categories - met - {"aerobic"})
    notes = [
        f"No {c.replace('mind_body', 'mind-body').replace('_', ' ')} exercise fits the patient's "
        "constraints, so that preference could not be met."
        for c in unmet
    ]
    fired = {Rule.PREFERRED_CATEGORY} if met else set()
    return notes, fired | ({Rule.PREFERENCE_UNMET} if unmet else set())


def _risk(request: PrescriptionRequest) -> tuple[list[str], set[Rule]]:
    """High STarT Back risk: a lighter start, and psychologically informed care alongside.

    NICE NG59 recommends considering a cognitive behavioural approach together with exercise;
    in Hill et al. 2011 high-risk patients did better with psychologically informed physiotherapy.
    """
    if request.risk_group != "high":
        return [], set()
    notes = [
        "High risk (STarT Back): fewer exercises and a lighter dose to start; build up steadily "
        "as confidence grows.",
        "High risk: combine this programme with psychologically informed care, such as a "
        "cognitive behavioural approach (NICE NG59; Hill et al. 2011 STarT Back).",
    ]
    return notes, {Rule.HIGH_RISK_LIGHTER_DOSE, Rule.HIGH_RISK_PSYCHOLOGICAL_CARE}


def _check_one(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def _check_all(name: str, values: Iterable[object], allowed: tuple[str, ...]) -> None:
    for value in sorted(values, key=str):
        _check_one(name, value, allowed)


def _words(value: str) -> str:
    return value.replace("_", " ")


def _names(slugs: Iterable[str]) -> str:
    return ", ".join(slugs)


def _rule_out(exercise: Exercise, request: PrescriptionRequest) -> tuple[Rule, str] | None:
    """The first constraint ``exercise`` breaks for this patient, with a plain reason, or None."""
    if exercise.slug in request.excluded_exercises:
        return Rule.EXCLUDED_BY_REQUEST, "removed by the clinician or patient"
    conditions = sorted(set(exercise.contraindications) & request.conditions)
    if conditions:
        labels = "; ".join(CONTRAINDICATIONS[c].lower() for c in conditions)
        return Rule.CONTRAINDICATION, f"not suitable with {labels}"
    if exercise.position in request.excluded_positions:
        position = exercise.position.replace("_", "-")
        return Rule.POSITION, f"the patient cannot take the {position} position"
    missing = [e for e in exercise.equipment if e not in request.available_equipment]
    if missing:
        needs = " and ".join(map(_words, missing))
        return Rule.EQUIPMENT, f"needs {needs}, which the patient does not have"
    return None


def _category_turns(preferred: frozenset[Category]) -> tuple[Category, ...]:
    """CATEGORY_PRIORITY with the patient's preferred categories moved to the front."""
    first = tuple(c for c in CATEGORY_PRIORITY if c in preferred)
    return first + tuple(c for c in CATEGORY_PRIORITY if c not in preferred)


def _fill(
    pool: list[Exercise],
    chosen: list[Exercise],
    target: int,
    order: tuple[Category, ...],
    stage: Stage,
) -> tuple[list[Exercise], bool]:
    """Add from ``pool`` to ``chosen``, categories taking turns in ``order``, up to ``target``.

    Taking turns keeps the programme balanced across categories. Returns the new selection and
    whether the stretch cap held back a stretch that would otherwise have been chosen.
    """
    chosen = list(chosen)
    remaining = list(pool)
    capped = False
    while len(chosen) < target:
        added = False
        for category in order:
            if len(chosen) >= target:
                break
            options = [e for e in remaining if e.category == category]
            if not options:
                continue
            stretches = sum(e.category == "stretch" for e in chosen)
            if category == "stretch" and stretches >= MAX_STRETCHES:
                capped = True
                continue
            pick = min(options, key=lambda e: _pick_key(e, chosen, stage))
            chosen.append(pick)
            remaining.remove(pick)
            added = True
        if not added:
            break
    return chosen, capped


def _pick_key(
    exercise: Exercise, chosen: list[Exercise], stage: Stage
) -> tuple[bool, bool, int, str]:
    """Order of preference within a category, so ties always break the same way.

    1. Variety: not an easier or harder version of an exercise of the same category already
       chosen (two bridges are less useful than a bridge and a squat).
    2. Exercises introduced at this stage, the stage's own content (DESIGN §3 stage table),
       before ones carried over from an earlier stage.
    3. Exercises made for fewer stages (the most stage-specific).
    4. The slug.
    """
    same = [e for e in chosen if e.category == exercise.category]
    variant = any(
        e.slug in (exercise.easier, exercise.harder) or exercise.slug in (e.easier, e.harder)
        for e in same
    )
    carried_over = min(STAGES.index(s) for s in exercise.stages) < STAGES.index(stage)
    return variant, carried_over, len(exercise.stages), exercise.slug


def _reason(exercise: Exercise, request: PrescriptionRequest, *, from_earlier: bool) -> str:
    """One plain line: what the exercise is for, and what about the patient made it fit."""
    what = _CATEGORY_WORDS[exercise.category]
    if from_earlier:
        before = STAGES[: STAGES.index(request.stage)]
        stage = next(s for s in reversed(before) if s in exercise.stages)
        parts = [f"{what} from the {stage} stage, as few {request.stage}-stage exercises fit"]
    else:
        parts = [f"{what} for the {request.stage} stage"]
    if exercise.category in request.preferred_categories:
        parts.append("the patient prefers this kind of work")
    if request.excluded_positions & _LYING and exercise.position in _OFF_FLOOR:
        parts.append("floor-free option because the patient cannot lie down")
    if exercise.equipment:
        parts.append(f"uses the {_names(map(_words, exercise.equipment))} the patient has")
    if request.risk_group == "high":
        parts.append("lighter start for high risk")
    return "; ".join(parts)


def _choose_aerobic(
    request: PrescriptionRequest, exercises: list[Exercise]
) -> tuple[AerobicPrescription | None, list[str], Rule]:
    """The preferred aerobic activity if it fits, else the first that fits, equipment-free first.

    NICE NG59: choose exercise with the person's preferences and capabilities. Walking needs no
    equipment, so it is the usual fallback.
    """
    fits = [
        e
        for e in exercises
        if e.category == "aerobic" and request.stage in e.stages and _rule_out(e, request) is None
    ]
    notes: list[str] = []
    chosen = next((e for e in fits if e.slug == request.preferred_aerobic), None)
    if chosen is None and request.preferred_aerobic is not None:
        why = _why_not_aerobic(request, request.preferred_aerobic, exercises)
        notes.append(f"Preferred activity {request.preferred_aerobic} not used: {why}.")
    rule = Rule.AEROBIC_PREFERRED
    if chosen is None:
        fits.sort(key=lambda e: (bool(e.equipment), e.slug))
        if not fits:
            notes.append(
                f"No aerobic activity fits this stage and the patient's constraints; agree one "
                f"with the patient (aim: {WHO_WEEKLY_AEROBIC_MIN[0]} to "
                f"{WHO_WEEKLY_AEROBIC_MIN[1]} min a week in the long run, WHO 2020)."
            )
            return None, notes, Rule.NO_AEROBIC
        chosen, rule = fits[0], Rule.AEROBIC_FALLBACK
    minutes = aerobic_minutes(request.stage, request.risk_group)
    weekly = minutes * AEROBIC_DAYS_PER_WEEK
    why = (
        "the patient's preferred activity"
        if rule is Rule.AEROBIC_PREFERRED
        else ("needs no equipment" if not chosen.equipment else "fits the patient's constraints")
    )
    reason = (
        f"{why.capitalize()}; {minutes} min on {AEROBIC_DAYS_PER_WEEK} days a week ({weekly} min) "
        f"to start, building toward {WHO_WEEKLY_AEROBIC_MIN[0]} to {WHO_WEEKLY_AEROBIC_MIN[1]} "
        "min a week of moderate activity (WHO 2020)"
    )
    if request.risk_group == "high" and minutes < AEROBIC_MINUTES_BY_STAGE[request.stage]:
        reason += "; shorter start for high risk"
    prescription = AerobicPrescription(chosen.slug, minutes, AEROBIC_DAYS_PER_WEEK, reason)
    return prescription, notes, rule


def _why_not_aerobic(request: PrescriptionRequest, slug: str, exercises: list[Exercise]) -> str:
    exercise = next((e for e in exercises if e.slug == slug), None)
    if exercise is None or exercise.category != "aerobic":
        return "it is not an aerobic activity in the library"
    if request.stage not in exercise.stages:
        return f"it is not an {request.stage}-stage activity"
    ruled_out = _rule_out(exercise, request)
    return ruled_out[1] if ruled_out else "it does not fit"


def _left_out_notes(left_out: list[LeftOut]) -> list[str]:
    """One note per reason, naming the exercises it ruled out."""
    by_reason: dict[tuple[Rule, str], list[str]] = {}
    for entry in left_out:
        by_reason.setdefault((entry.rule, entry.reason), []).append(entry.slug)
    rules = list(Rule)
    ordered = sorted(by_reason.items(), key=lambda kv: (rules.index(kv[0][0]), kv[0][1]))
    return [f"Left out {_names(slugs)}: {reason}." for (_, reason), slugs in ordered]
