"""The clinical rules of prescribing: constants and small dose functions, each with its reason.

The other modules apply these; the table in docs/clinical-rules.md summarises them.

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

from dataclasses import replace
from typing import Literal, get_args

from backcare.core.library import STAGES, Category, Dose, Stage

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
