"""The triggers: rules that refer, hold and review, or regress when they fire.

Each evaluation returns a ``Reason`` whether it fired or not, with the figures behind it.
"""

from __future__ import annotations

from datetime import timedelta

from backcare.core.progression.facts import (
    _PERSISTING_SOURCES,
    _SPIKE_SOURCES,
    _Facts,
    _judge,
    _latest,
    _rise_ok,
    _round,
    _settled,
)
from backcare.core.progression.model import Figure, Reason, Rule
from backcare.core.progression.pain import (
    _important_rise,
    _needed_improvement,
    clinically_important_improvement,
)


def _red_flag(f: _Facts) -> Reason:
    """An open red flag stops self-directed exercise → refer (DESIGN §3, screening.py)."""
    return _judge(Rule.RED_FLAG, f.inp.red_flag_open, red_flag_open=f.inp.red_flag_open)


def _persisting_pain_spike(f: _Facts) -> Reason:
    """Resting pain at the spike level and above baseline in each of the last weeks → refer."""
    level, baseline, weeks = f.t.pain_spike_0_10, f.inp.baseline_pain_0_10, f.t.spike_refer_weeks
    highest = [
        max((r.pain_0_10 for r in f.week(back, _PERSISTING_SOURCES)), default=None)
        for back in range(weeks)
    ]
    fired = all(h is not None and h >= level and h > baseline for h in highest)
    figures: dict[str, Figure] = {
        f"week_{i + 1}_highest_resting_pain": h for i, h in enumerate(highest)
    }
    figures |= {"spike_level": level, "baseline_pain": baseline, "weeks_required": weeks}
    return _judge(Rule.PERSISTING_PAIN_SPIKE, fired, **figures)


def _not_improving_in_initial_stage(f: _Facts) -> Reason:
    """Initial stage, N days in, no clinically important improvement from baseline → refer."""
    rule, baseline = Rule.NOT_IMPROVING_IN_INITIAL_STAGE, f.inp.baseline_pain_0_10
    after, days = f.t.refer_not_improving_after_days, f.inp.days_in_stage
    recent, _, count, _ = f.trend_weeks()
    needed = _needed_improvement(baseline, f.t)
    figures: dict[str, Figure] = {
        "days_in_stage": days,
        "after_days": after,
        "recent_average_pain": _round(recent),
        "recent_readings": count,
        "window_days": f.t.recent_days,
        "baseline_pain": baseline,
        "improvement_needed": _round(needed),
    }
    if f.inp.stage != "initial":
        return _judge(rule, None, **figures)
    if days < after or recent is None:
        return _judge(rule, False, **figures)
    improved = clinically_important_improvement(baseline, recent, f.t)
    return _judge(rule, not improved, **figures)


def _pain_spike(f: _Facts) -> Reason:
    """Any pain at or above the spike level in the last week → hold and alert (DESIGN §3)."""
    level = f.t.pain_spike_0_10
    readings = f.week(0, _SPIKE_SOURCES)
    spikes = sum(r.pain_0_10 >= level for r in readings)
    worst = max(readings, key=lambda r: (r.pain_0_10, r.on), default=None)
    return _judge(
        Rule.PAIN_SPIKE,
        spikes > 0,
        highest_pain=None if worst is None else worst.pain_0_10,
        highest_on=None if worst is None else worst.on.isoformat(),
        highest_source=None if worst is None else worst.source,
        readings_at_or_above_level=spikes,
        spike_level=level,
        window_days=f.t.recent_days,
    )


def _flare_up(f: _Facts) -> Reason:
    """A flare-up reported at a check-in in the last week → hold and alert."""
    start = f.inp.today - timedelta(days=f.t.recent_days - 1)
    flares = sorted(c.on for c in f.inp.check_ins if c.flare_up and start <= c.on <= f.inp.today)
    return _judge(
        Rule.FLARE_UP,
        bool(flares),
        flare_ups=len(flares),
        last_flare_up_on=flares[-1].isoformat() if flares else None,
        window_days=f.t.recent_days,
    )


def _repeated_pain_rise(f: _Facts) -> Reason:
    """Pain during above the limit in ≥ 3 of the last 5 sessions → regress (DESIGN §3)."""
    verdicts, needed = _latest(f, _rise_ok), f.t.regress_pain_rise_sessions
    above, limit = verdicts.count(False), f.t.max_pain_rise_during_0_10
    return _judge(
        Rule.REPEATED_PAIN_RISE,
        above >= needed,
        sessions_above_limit=above,
        sessions_checked=len(verdicts),
        regress_at=needed,
        max_rise=limit,
    )


def _repeated_next_morning_worsening(f: _Facts) -> Reason:
    """Next-morning pain not settled after ≥ 2 of the last 5 sessions → regress."""
    verdicts, needed = _latest(f, _settled), f.t.regress_next_morning_sessions
    worse, tolerance = verdicts.count(False), f.t.next_morning_tolerance_0_10
    return _judge(
        Rule.REPEATED_NEXT_MORNING_WORSENING,
        worse >= needed,
        sessions_not_settled=worse,
        sessions_checked=len(verdicts),
        regress_at=needed,
        tolerance=tolerance,
    )


def _pain_worse_than_last_week(f: _Facts) -> Reason:
    """Average resting pain up by the MCID on the week before → regress (Silbernagel et al.
    2007: pain must not increase from week to week; Ostelo 2008: 2 points is a real change).
    The MCID's points only: its 30 % is of the baseline, not of last week (``_important_rise``)."""
    recent, previous, n_recent, n_previous = f.trend_weeks()
    rise = None if recent is None or previous is None else recent - previous
    fired = recent is not None and previous is not None and _important_rise(previous, recent, f.t)
    return _judge(
        Rule.PAIN_WORSE_THAN_LAST_WEEK,
        fired,
        recent_average_pain=_round(recent),
        previous_average_pain=_round(previous),
        rise=_round(rise),
        regress_at=f.t.change.absolute_for("pain"),
        recent_readings=n_recent,
        previous_readings=n_previous,
        window_days=f.t.recent_days,
    )
