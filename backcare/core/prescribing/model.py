"""What goes into a proposal and what comes out: the request, the proposal and its parts.

``Rule`` names every rule that can shape a proposal; ``Proposal.rules_fired`` lists those that did.
Reasons and notes are ``Fact``s: what happened and the figures behind it, never sentences, so the
Django side can word them in the reader's language, for a clinician or for the patient
(``backcare.programmes.words``), and an old programme reads in a newly chosen language too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from backcare.core.library import (
    CATEGORIES,
    CONTRAINDICATIONS,
    EQUIPMENT,
    POSITIONS,
    STAGES,
    Category,
    Dose,
    Equipment,
    Position,
    Stage,
)
from backcare.core.prescribing.rules import RISK_GROUPS, RiskGroup


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


FactCode = Literal[
    "exercise",
    "aerobic",
    "left_out",
    "stretch_cap",
    "stretches_need_company",
    "earlier_stage_fill",
    "too_few_candidates",
    "preference_unmet",
    "high_risk_lighter_dose",
    "high_risk_psychological_care",
    "aerobic_preference_unused",
    "no_aerobic",
    "added",
]
"""What a reason or note says, each with its ``Fact.params``:

- ``exercise`` (a proposed exercise's reason): ``category``, ``stage`` (the programme's),
  ``from_stage`` (the earlier stage it was taken from, or ``None``), ``preferred``,
  ``floor_free``, ``equipment`` (codes), ``high_risk``.
- ``aerobic`` (the aerobic activity's reason): ``choice`` (``preferred``, ``no_equipment`` or
  ``fits``), ``activity`` (its slug), ``minutes``, ``days``, ``target_min``, ``target_max``
  (WHO weekly minutes) and ``high_risk_shorter``.
- ``left_out``: ``rule`` (a ``Rule`` value), ``slugs`` and ``detail`` (the condition, position or
  missing equipment codes).
- ``stretch_cap``: ``max_stretches``. ``stretches_need_company``: ``slugs``.
- ``earlier_stage_fill``: ``stage``, ``slugs``. ``too_few_candidates``: ``count``, ``min``, ``max``.
- ``preference_unmet``: ``category``. ``high_risk_lighter_dose``, ``high_risk_psychological_care``.
- ``aerobic_preference_unused``: ``activity`` (a slug), ``why`` (``not_aerobic``, ``not_stage`` or
  a left-out ``Rule`` value), ``stage``, ``detail``.
- ``no_aerobic``: ``target_min``, ``target_max``. ``added``: an exercise the clinician added."""

Param = str | int | bool | tuple[str, ...] | None


@dataclass(frozen=True)
class Fact:
    """A reason or a note as data: what it says (``code``) and the figures it says it with."""

    code: FactCode
    params: Mapping[str, Param] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The fact as stored: ``{"code": ..., "params": {...}}``, tuples as lists."""
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return {"code": self.code, "params": params}


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
    reason: Fact


@dataclass(frozen=True)
class AerobicPrescription:
    """The proposed aerobic activity and its starting dose."""

    slug: str
    minutes_per_session: int
    days_per_week: int
    reason: Fact

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
    """An exercise of the stage that a constraint ruled out, which one and with what: the
    condition, position or missing equipment codes (none for one removed by request)."""

    slug: str
    rule: Rule
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A proposed programme: ordered exercises, an aerobic activity, and notes for the clinician."""

    items: tuple[ProposedItem, ...]
    aerobic: AerobicPrescription | None
    notes: tuple[Fact, ...]
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


def _check_one(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def _check_all(name: str, values: Iterable[object], allowed: tuple[str, ...]) -> None:
    for value in sorted(values, key=str):
        _check_one(name, value, allowed)


def stage_named(name: str) -> Stage:
    """A stage stored as text (a database column), checked: ValueError if it is none of ours."""
    for stage in STAGES:
        if stage == name:
            return stage
    raise ValueError(f"stage: {name!r} is not one of {', '.join(STAGES)}")


def risk_group_named(name: str) -> RiskGroup:
    """A risk group stored as text, checked as :func:`stage_named` checks a stage."""
    for group in RISK_GROUPS:
        if group == name:
            return group
    raise ValueError(f"risk_group: {name!r} is not one of {', '.join(RISK_GROUPS)}")
