"""Which exercises the patient's constraints rule out, and the notes that name them.

The constraints: exercises the clinician or patient removed, ticked cautions (contraindications),
positions the patient cannot take and equipment they lack (NICE NG59: exercise chosen for the
person's needs, preferences and capabilities).
"""

from __future__ import annotations

from backcare.core.library import Exercise
from backcare.core.prescribing.model import Fact, LeftOut, PrescriptionRequest, Rule


def _rule_out(
    exercise: Exercise, request: PrescriptionRequest
) -> tuple[Rule, tuple[str, ...]] | None:
    """The first constraint ``exercise`` breaks for this patient, with its codes, or None."""
    if exercise.slug in request.excluded_exercises:
        return Rule.EXCLUDED_BY_REQUEST, ()
    conditions = tuple(sorted(set(exercise.contraindications) & request.conditions))
    if conditions:
        return Rule.CONTRAINDICATION, conditions
    if exercise.position in request.excluded_positions:
        return Rule.POSITION, (exercise.position,)
    missing = tuple(e for e in exercise.equipment if e not in request.available_equipment)
    if missing:
        return Rule.EQUIPMENT, missing
    return None


def _left_out_notes(left_out: list[LeftOut]) -> list[Fact]:
    """One note per reason, naming the exercises it ruled out."""
    by_reason: dict[tuple[Rule, tuple[str, ...]], list[str]] = {}
    for entry in left_out:
        by_reason.setdefault((entry.rule, entry.detail), []).append(entry.slug)
    rules = list(Rule)
    ordered = sorted(by_reason.items(), key=lambda kv: (rules.index(kv[0][0]), kv[0][1]))
    return [
        Fact("left_out", {"rule": str(rule), "slugs": tuple(slugs), "detail": detail})
        for (rule, detail), slugs in ordered
    ]
