"""Proposing a programme: runs the steps in order, then writes each reason and note."""

from __future__ import annotations

from collections.abc import Mapping

from backcare.core.library import STAGES, Category, Exercise, Position
from backcare.core.prescribing.aerobic import _choose_aerobic
from backcare.core.prescribing.constraints import _left_out_notes, _names, _rule_out, _words
from backcare.core.prescribing.model import (
    LeftOut,
    PrescriptionRequest,
    Proposal,
    ProposedItem,
    Rule,
)
from backcare.core.prescribing.rules import SESSION_ORDER, lighter_dose
from backcare.core.prescribing.selection import _preferences, _select

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
