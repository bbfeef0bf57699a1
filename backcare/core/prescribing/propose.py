"""Proposing a programme: runs the steps in order, then writes each reason and note."""

from __future__ import annotations

from collections.abc import Mapping

from backcare.core.library import STAGES, Exercise, Position
from backcare.core.prescribing.aerobic import _choose_aerobic
from backcare.core.prescribing.constraints import _left_out_notes, _rule_out
from backcare.core.prescribing.model import (
    Fact,
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


def _risk(request: PrescriptionRequest) -> tuple[list[Fact], set[Rule]]:
    """High STarT Back risk: a lighter start, and psychologically informed care alongside.

    NICE NG59 recommends considering a cognitive behavioural approach together with exercise;
    in Hill et al. 2011 high-risk patients did better with psychologically informed physiotherapy.
    """
    if request.risk_group != "high":
        return [], set()
    notes = [Fact("high_risk_lighter_dose"), Fact("high_risk_psychological_care")]
    return notes, {Rule.HIGH_RISK_LIGHTER_DOSE, Rule.HIGH_RISK_PSYCHOLOGICAL_CARE}


def _reason(exercise: Exercise, request: PrescriptionRequest, *, from_earlier: bool) -> Fact:
    """What the exercise is for, and what about the patient made it fit."""
    from_stage = None
    if from_earlier:
        before = STAGES[: STAGES.index(request.stage)]
        from_stage = next(s for s in reversed(before) if s in exercise.stages)
    floor_free = bool(request.excluded_positions & _LYING) and exercise.position in _OFF_FLOOR
    return Fact(
        "exercise",
        {
            "category": exercise.category,
            "stage": request.stage,
            "from_stage": from_stage,
            "preferred": exercise.category in request.preferred_categories,
            "floor_free": floor_free,
            "equipment": tuple(exercise.equipment),
            "high_risk": request.risk_group == "high",
        },
    )
