"""Choosing the exercises: categories take turns, the stage's own first, stretches capped.

The nearest earlier stage's exercises fill in only when too few of the stage's own fit; later-stage
exercises are never used. The balance and the caps are the rules in ``rules``.
"""

from __future__ import annotations

from backcare.core.library import STAGES, Category, Exercise, Stage
from backcare.core.prescribing.model import Fact, PrescriptionRequest, Rule
from backcare.core.prescribing.rules import (
    CATEGORY_PRIORITY,
    ITEMS_BY_RISK,
    MAX_ITEMS,
    MAX_STRETCHES,
    MIN_ITEMS,
    stretch_allowance,
)


def _select(
    request: PrescriptionRequest, own: list[Exercise], suitable: list[Exercise]
) -> tuple[list[Exercise], list[Exercise], set[Rule], list[Fact]]:
    """Choose the exercises: the stage's own first, then the nearest earlier stage's if short.

    Returns the chosen exercises, those taken from an earlier stage, the rules that fired and
    the notes to show. Later-stage exercises are never used: they may be too hard yet.
    """
    fired: set[Rule] = set()
    notes: list[Fact] = []
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
        notes.append(Fact("stretch_cap", {"max_stretches": MAX_STRETCHES}))
    stretches = [e for e in chosen if e.category == "stretch"]
    allowed = stretch_allowance(len(chosen) - len(stretches))
    if len(stretches) > allowed:
        dropped = stretches[allowed:]
        chosen = [e for e in chosen if e not in dropped]
        from_earlier = [e for e in from_earlier if e not in dropped]
        fired.add(Rule.STRETCHES_NEED_COMPANY)
        notes.append(Fact("stretches_need_company", {"slugs": tuple(e.slug for e in dropped)}))
    if from_earlier:
        fired.add(Rule.EARLIER_STAGE_FILL)
        slugs = tuple(e.slug for e in from_earlier)
        notes.append(Fact("earlier_stage_fill", {"stage": request.stage, "slugs": slugs}))
    if len(chosen) < MIN_ITEMS:
        fired.add(Rule.TOO_FEW_CANDIDATES)
        count = {"count": len(chosen), "min": MIN_ITEMS, "max": MAX_ITEMS}
        notes.append(Fact("too_few_candidates", count))
    return chosen, from_earlier, fired, notes


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


def _preferences(
    request: PrescriptionRequest, chosen: list[Exercise]
) -> tuple[list[Fact], set[Rule]]:
    """Whether the patient's preferred categories were met, with a note for each that was not."""
    met = {e.category for e in chosen} & request.preferred_categories
    unmet = sorted(request.preferred_categories - met - {"aerobic"})
    notes = [Fact("preference_unmet", {"category": c}) for c in unmet]
    fired = {Rule.PREFERRED_CATEGORY} if met else set()
    return notes, fired | ({Rule.PREFERENCE_UNMET} if unmet else set())
