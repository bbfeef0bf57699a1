"""Proposing a programme: stage, risk group and the patient's constraints → exercises, with reasons.

The proposal is a starting point for the clinician, who edits it before assigning it. Every choice
carries a reason, every exercise left out by a constraint is named with why, and
``Proposal.rules_fired`` tells which rules shaped the result. Reasons and notes are ``Fact``s
(what and the figures), worded in the reader's language by ``backcare.programmes.words``.

The modules, each imported through this package:

- ``rules``: the clinical constants and small dose functions, with their reasons and sources.
- ``model``: the request, the proposal and its parts, and ``Rule``.
- ``constraints``: which exercises the patient's constraints rule out, and the notes naming them.
- ``selection``: the balanced choice of exercises.
- ``aerobic``: the aerobic activity and its starting dose.
- ``propose``: ``propose_programme``, which runs the steps and gathers the reasons and notes.
"""

from __future__ import annotations

from backcare.core.prescribing.model import (
    AerobicPrescription,
    Fact,
    FactCode,
    LeftOut,
    PrescriptionRequest,
    Proposal,
    ProposedItem,
    Rule,
)
from backcare.core.prescribing.propose import propose_programme
from backcare.core.prescribing.rules import (
    AEROBIC_DAYS_PER_WEEK,
    AEROBIC_MINUTES_BY_STAGE,
    CATEGORY_PRIORITY,
    HIGH_RISK_SINGLE_SET_FRACTION,
    ITEMS_BY_RISK,
    MAX_ITEMS,
    MAX_STRETCHES,
    MIN_ITEMS,
    RISK_GROUPS,
    SESSION_ORDER,
    WHO_WEEKLY_AEROBIC_MIN,
    RiskGroup,
    aerobic_minutes,
    lighter_dose,
    stretch_allowance,
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
    "Fact",
    "FactCode",
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
