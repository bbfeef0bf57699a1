"""Precedence: the tiers of rules, the decision and headline each leads to, and its alert.

The first tier with a rule fired or a gate not met decides (see the package docstring).
"""

from __future__ import annotations

from backcare.core.progression.model import Alert, Decision, Headline, Rule

_TIERS: tuple[tuple[Decision, Headline, tuple[Rule, ...]], ...] = (
    (
        "refer",
        "refer",
        (Rule.RED_FLAG, Rule.PERSISTING_PAIN_SPIKE, Rule.NOT_IMPROVING_IN_INITIAL_STAGE),
    ),
    ("hold", "hold_and_review", (Rule.PAIN_SPIKE, Rule.FLARE_UP)),
    (
        "regress",
        "regress",
        (
            Rule.REPEATED_PAIN_RISE,
            Rule.REPEATED_NEXT_MORNING_WORSENING,
            Rule.PAIN_WORSE_THAN_LAST_WEEK,
        ),
    ),
    (
        "hold",
        "hold_not_met",
        (
            Rule.NEXT_STAGE_AVAILABLE,
            Rule.MIN_DAYS_IN_STAGE,
            Rule.ADHERENCE,
            Rule.LOGGED_RECENTLY,
            Rule.PAIN_RISE_WITHIN_LIMIT,
            Rule.NEXT_MORNING_SETTLED,
            Rule.IMPROVING_TREND,
            Rule.FUNCTION_NOT_WORSE,
        ),
    ),
)
"""Precedence, with each tier's decision and headline: the first tier with a rule fired or a gate
not met decides (see the package docstring)."""

_EFFECT: dict[Rule, Decision] = {rule: decision for decision, _, rules in _TIERS for rule in rules}

_ALERT: dict[Rule, Alert] = {
    Rule.RED_FLAG: "red_flag",
    Rule.PERSISTING_PAIN_SPIKE: "persisting_pain_spike",
    Rule.NOT_IMPROVING_IN_INITIAL_STAGE: "not_improving",
    Rule.PAIN_SPIKE: "pain_spike",
    Rule.FLARE_UP: "flare_up",
    Rule.REPEATED_PAIN_RISE: "pain_rise_during_exercise",
    Rule.REPEATED_NEXT_MORNING_WORSENING: "next_morning_worsening",
    Rule.PAIN_WORSE_THAN_LAST_WEEK: "pain_worsening",
    Rule.LOGGED_RECENTLY: "no_recent_log",
}
"""The alert each rule raises when it fires (or, for a recent log, is not met)."""

_GATES = frozenset(_TIERS[-1][2])
"""The progression gates (``met`` / ``not_met``); every other rule is a trigger (``fired``)."""
