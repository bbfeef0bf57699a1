"""Choosing the aerobic activity and its starting dose.

The preferred activity if it fits, otherwise one that fits, equipment-free first; minutes by
stage and risk group, building toward the WHO 2020 weekly target (see ``rules``).
"""

from __future__ import annotations

from backcare.core.library import Exercise
from backcare.core.prescribing.constraints import _rule_out
from backcare.core.prescribing.model import (
    AerobicPrescription,
    Fact,
    Param,
    PrescriptionRequest,
    Rule,
)
from backcare.core.prescribing.rules import (
    AEROBIC_DAYS_PER_WEEK,
    AEROBIC_MINUTES_BY_STAGE,
    WHO_WEEKLY_AEROBIC_MIN,
    aerobic_minutes,
)


def _choose_aerobic(
    request: PrescriptionRequest, exercises: list[Exercise]
) -> tuple[AerobicPrescription | None, list[Fact], Rule]:
    """The preferred aerobic activity if it fits, else the first that fits, equipment-free first.

    NICE NG59: choose exercise with the person's preferences and capabilities. Walking needs no
    equipment, so it is the usual fallback.
    """
    fits = [
        e
        for e in exercises
        if e.category == "aerobic" and request.stage in e.stages and _rule_out(e, request) is None
    ]
    notes: list[Fact] = []
    target = {"target_min": WHO_WEEKLY_AEROBIC_MIN[0], "target_max": WHO_WEEKLY_AEROBIC_MIN[1]}
    chosen = next((e for e in fits if e.slug == request.preferred_aerobic), None)
    if chosen is None and request.preferred_aerobic is not None:
        notes.append(_why_not_aerobic(request, request.preferred_aerobic, exercises))
    rule = Rule.AEROBIC_PREFERRED
    if chosen is None:
        fits.sort(key=lambda e: (bool(e.equipment), e.slug))
        if not fits:
            notes.append(Fact("no_aerobic", target))
            return None, notes, Rule.NO_AEROBIC
        chosen, rule = fits[0], Rule.AEROBIC_FALLBACK
    minutes = aerobic_minutes(request.stage, request.risk_group)
    choice = (
        "preferred"
        if rule is Rule.AEROBIC_PREFERRED
        else ("no_equipment" if not chosen.equipment else "fits")
    )
    shorter = request.risk_group == "high" and minutes < AEROBIC_MINUTES_BY_STAGE[request.stage]
    reason = Fact(
        "aerobic",
        {
            "choice": choice,
            "activity": chosen.slug,
            "minutes": minutes,
            "days": AEROBIC_DAYS_PER_WEEK,
            **target,
            "high_risk_shorter": shorter,
        },
    )
    prescription = AerobicPrescription(chosen.slug, minutes, AEROBIC_DAYS_PER_WEEK, reason)
    return prescription, notes, rule


def _why_not_aerobic(request: PrescriptionRequest, slug: str, exercises: list[Exercise]) -> Fact:
    """The note saying why the preferred activity was not used."""
    exercise = next((e for e in exercises if e.slug == slug), None)
    why = "not_aerobic"
    detail: tuple[str, ...] = ()
    if exercise is not None and exercise.category == "aerobic":
        if request.stage not in exercise.stages:
            why = "not_stage"
        elif (ruled_out := _rule_out(exercise, request)) is not None:
            why, detail = str(ruled_out[0]), ruled_out[1]
    params: dict[str, Param] = {"activity": slug, "why": why, "stage": request.stage}
    return Fact("aerobic_preference_unused", params | {"detail": detail})
