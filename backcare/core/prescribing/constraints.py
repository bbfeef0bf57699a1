"""Which exercises the patient's constraints rule out, and the notes that name them.

The constraints: exercises the clinician or patient removed, ticked cautions (contraindications),
positions the patient cannot take and equipment they lack (NICE NG59: exercise chosen for the
person's needs, preferences and capabilities).
"""

from __future__ import annotations

from collections.abc import Iterable

from backcare.core.library import CONTRAINDICATIONS, Exercise
from backcare.core.prescribing.model import LeftOut, PrescriptionRequest, Rule


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


def _left_out_notes(left_out: list[LeftOut]) -> list[str]:
    """One note per reason, naming the exercises it ruled out."""
    by_reason: dict[tuple[Rule, str], list[str]] = {}
    for entry in left_out:
        by_reason.setdefault((entry.rule, entry.reason), []).append(entry.slug)
    rules = list(Rule)
    ordered = sorted(by_reason.items(), key=lambda kv: (rules.index(kv[0][0]), kv[0][1]))
    return [f"Left out {_names(slugs)}: {reason}." for (_, reason), slugs in ordered]
