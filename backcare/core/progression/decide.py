"""``assess_progression``: evaluate every rule, then apply the precedence to decide."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcare.core.library import STAGES, Stage
from backcare.core.progression.facts import _Facts
from backcare.core.progression.gates import (
    _adherence,
    _function_not_worse,
    _improving_trend,
    _logged_recently,
    _min_days_in_stage,
    _next_morning_settled,
    _next_stage_available,
    _pain_rise_within_limit,
)
from backcare.core.progression.model import (
    ALERTS,
    Decision,
    Headline,
    ProgressionInput,
    Proposal,
    Reason,
    Rule,
)
from backcare.core.progression.precedence import _ALERT, _TIERS
from backcare.core.progression.thresholds import _DEFAULTS, Thresholds
from backcare.core.progression.triggers import (
    _flare_up,
    _not_improving_in_initial_stage,
    _pain_spike,
    _pain_worse_than_last_week,
    _persisting_pain_spike,
    _red_flag,
    _repeated_next_morning_worsening,
    _repeated_pain_rise,
)

_EVALUATE: dict[Rule, Callable[[_Facts], Reason]] = {
    Rule.RED_FLAG: _red_flag,
    Rule.PERSISTING_PAIN_SPIKE: _persisting_pain_spike,
    Rule.NOT_IMPROVING_IN_INITIAL_STAGE: _not_improving_in_initial_stage,
    Rule.PAIN_SPIKE: _pain_spike,
    Rule.FLARE_UP: _flare_up,
    Rule.REPEATED_PAIN_RISE: _repeated_pain_rise,
    Rule.REPEATED_NEXT_MORNING_WORSENING: _repeated_next_morning_worsening,
    Rule.PAIN_WORSE_THAN_LAST_WEEK: _pain_worse_than_last_week,
    Rule.NEXT_STAGE_AVAILABLE: _next_stage_available,
    Rule.MIN_DAYS_IN_STAGE: _min_days_in_stage,
    Rule.ADHERENCE: _adherence,
    Rule.LOGGED_RECENTLY: _logged_recently,
    Rule.PAIN_RISE_WITHIN_LIMIT: _pain_rise_within_limit,
    Rule.NEXT_MORNING_SETTLED: _next_morning_settled,
    Rule.IMPROVING_TREND: _improving_trend,
    Rule.FUNCTION_NOT_WORSE: _function_not_worse,
}
"""Each rule's evaluation; ``assess_progression`` runs them all, in ``Rule`` order."""


def assess_progression(inp: ProgressionInput, thresholds: Thresholds = _DEFAULTS) -> Proposal:
    """Propose progress, hold, regress or refer for ``inp``, with every rule's reason."""
    facts = _Facts.gather(inp, thresholds)
    reasons = tuple(_EVALUATE[rule](facts) for rule in Rule)
    decision, to_stage, headline, deciding = _decide(inp.stage, reasons)
    raised = {_ALERT[r.rule] for r in reasons if r.holds_back and r.rule in _ALERT}
    alerts = tuple(alert for alert in ALERTS if alert in raised)
    return Proposal(decision, inp.stage, to_stage, headline, deciding, reasons, alerts)


def _decide(
    stage: Stage, reasons: Sequence[Reason]
) -> tuple[Decision, Stage | None, Headline, tuple[Rule, ...]]:
    """Apply the precedence to the reasons: the decision, the stage to move to, the headline and
    the rules that decided."""
    index = STAGES.index(stage)
    holding = {r.rule for r in reasons if r.holds_back}
    for decision, headline, rules in _TIERS:
        deciding = tuple(rule for rule in rules if rule in holding)
        if not deciding:
            continue
        if decision == "regress" and index == 0:
            return "hold", None, "hold_first_stage", deciding
        if decision == "regress":
            return "regress", STAGES[index - 1], headline, deciding
        if deciding == (Rule.NEXT_STAGE_AVAILABLE,):
            return "hold", None, "maintain", deciding
        return decision, None, headline, deciding
    return "progress", STAGES[index + 1], "progress", ()
