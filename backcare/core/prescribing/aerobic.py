"""Choosing the aerobic activity and its starting dose.

The preferred activity if it fits, otherwise one that fits, equipment-free first; minutes by
stage and risk group, building toward the WHO 2020 weekly target (see ``rules``).
"""

from __future__ import annotations

from backcare.core.library import Exercise
from backcare.core.prescribing.constraints import _rule_out
from backcare.core.prescribing.model import AerobicPrescription, PrescriptionRequest, Rule
from backcare.core.prescribing.rules import (
    AEROBIC_DAYS_PER_WEEK,
    AEROBIC_MINUTES_BY_STAGE,
    WHO_WEEKLY_AEROBIC_MIN,
    aerobic_minutes,
)


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
