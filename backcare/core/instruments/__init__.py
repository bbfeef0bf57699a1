"""Questionnaire scoring and clinically important change.

Two parts, one public API:

- ``scoring``: the rule registry (STarT Back, ODI, Roland-Morris, PEG, PSFS) keyed by a stable
  code and canonical URL; answers keyed by item after ``apply_mapping``; a ``Score`` out, or a
  ``ScoringError`` naming the item.
- ``change``: ``classify_change`` between two scores of one outcome, with Ostelo 2008 defaults a
  clinic can override through ``ChangeThresholds``.

No instrument's item text is here (DESIGN §6): items are known by position only.
"""

from backcare.core.instruments.change import (
    COMBINE_DEFAULT,
    HIGHER_IS_WORSE,
    MCID_DEFAULTS,
    OUTCOME_RANGES,
    OUTCOMES,
    RELATIVE_MCID_PERCENT,
    Change,
    ChangeLabel,
    ChangeThresholds,
    Combine,
    Outcome,
    classify_change,
)
from backcare.core.instruments.scoring import (
    CODES,
    ODI_MIN_ANSWERED,
    ODI_SECTION_MAX,
    PSFS_MAX_ACTIVITIES,
    RULES,
    START_BACK_BOTHERSOME_FROM,
    START_BACK_HIGH_MIN_PSYCHOSOCIAL,
    START_BACK_LOW_MAX_TOTAL,
    START_BACK_PSYCHOSOCIAL_ITEMS,
    URN_PREFIX,
    AnswerKind,
    Code,
    Item,
    Score,
    ScoringError,
    ScoringRule,
    Unit,
    apply_mapping,
    find_rule,
    start_back_risk,
)

__all__ = [
    "CODES",
    "COMBINE_DEFAULT",
    "HIGHER_IS_WORSE",
    "MCID_DEFAULTS",
    "ODI_MIN_ANSWERED",
    "ODI_SECTION_MAX",
    "OUTCOMES",
    "OUTCOME_RANGES",
    "PSFS_MAX_ACTIVITIES",
    "RELATIVE_MCID_PERCENT",
    "RULES",
    "START_BACK_BOTHERSOME_FROM",
    "START_BACK_HIGH_MIN_PSYCHOSOCIAL",
    "START_BACK_LOW_MAX_TOTAL",
    "START_BACK_PSYCHOSOCIAL_ITEMS",
    "URN_PREFIX",
    "AnswerKind",
    "Change",
    "ChangeLabel",
    "ChangeThresholds",
    "Code",
    "Combine",
    "Item",
    "Outcome",
    "Score",
    "ScoringError",
    "ScoringRule",
    "Unit",
    "apply_mapping",
    "classify_change",
    "find_rule",
    "start_back_risk",
]
