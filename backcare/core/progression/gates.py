"""The progression gates: every one must be met to progress; one not met holds.

Each evaluation returns a ``Reason`` whether it is met or not, with the figures behind it.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from backcare.core.instruments import ChangeThresholds, classify_change
from backcare.core.library import STAGES
from backcare.core.progression.adherence import adherence
from backcare.core.progression.facts import (
    _Facts,
    _judge,
    _latest,
    _rise_ok,
    _round,
    _settled,
)
from backcare.core.progression.model import (
    _EPSILON,
    _OUTCOME_BY_CODE,
    Figure,
    InstrumentScore,
    Reason,
    Rule,
)
from backcare.core.progression.pain import _needed_improvement, clinically_important_improvement


def _next_stage_available(f: _Facts) -> Reason:
    """Progress needs a next stage; at the final stage the proposal is to maintain (and review
    the dose and the aerobic minutes toward WHO 2020's 150-300 a week)."""
    index = STAGES.index(f.inp.stage)
    following = STAGES[index + 1] if index + 1 < len(STAGES) else None
    return _judge(Rule.NEXT_STAGE_AVAILABLE, following is None, next_stage=following)


def _min_days_in_stage(f: _Facts) -> Reason:
    """Minimum time in the stage before progressing (DESIGN §3; practice defaults)."""
    required, days = f.t.min_days_in(f.inp.stage), f.inp.days_in_stage
    against = None if required is None else days < required
    return _judge(
        Rule.MIN_DAYS_IN_STAGE, against, days_in_stage=days, required=required, stage=f.inp.stage
    )


def _adherence(f: _Facts) -> Reason:
    """≥ 6 sessions done in the last 14 days, never more than prescribed (DESIGN §3)."""
    window = f.t.adherence_window_days
    figure = adherence(
        f.inp.sessions,
        f.inp.today,
        window,
        sessions_per_week_prescribed=f.inp.sessions_per_week_prescribed,
        min_share_done=f.t.min_share_of_exercises_done,
    )
    prescribed = figure.sessions_prescribed or 0
    required = min(f.t.adherence_min_sessions, prescribed)
    return _judge(
        Rule.ADHERENCE,
        figure.sessions_done < required,
        sessions_done=figure.sessions_done,
        window_days=window,
        required=required,
        sessions_prescribed=prescribed,
        sessions_logged=figure.sessions_logged,
        exercises_done=figure.exercises_done,
        exercises_prescribed=figure.exercises_prescribed,
        min_share_percent=round(f.t.min_share_of_exercises_done * 100),
    )


def _logged_recently(f: _Facts) -> Reason:
    """A session or check-in in the last 7 days (or a newer stage start); else drop-out alert."""
    dates = [s.performed_on for s in f.inp.sessions] + [c.on for c in f.inp.check_ins]
    last = max((d for d in dates if d <= f.inp.today), default=None)
    quiet = (f.inp.today - max(last or f.inp.stage_started_on, f.inp.stage_started_on)).days
    return _judge(
        Rule.LOGGED_RECENTLY,
        quiet >= f.t.no_log_days,
        last_log_on=None if last is None else last.isoformat(),
        days_without_log=quiet,
        alert_at=f.t.no_log_days,
    )


def _pain_rise_within_limit(f: _Facts) -> Reason:
    """Pain during within the limit in each of the last 5 sessions that logged it (at least
    one): DESIGN §3 "pain may rise ≤ 2/10 during exercise"."""
    verdicts, limit = _latest(f, _rise_ok), f.t.max_pain_rise_during_0_10
    rises = [c.rise_0_10 for c in f.stage_checks if c.rise_0_10 is not None]
    largest = max(rises[-f.t.recent_sessions :], default=None)
    return _judge(
        Rule.PAIN_RISE_WITHIN_LIMIT,
        not verdicts or not all(verdicts),
        sessions_checked=len(verdicts),
        sessions_above_limit=verdicts.count(False),
        largest_rise=largest,
        max_rise=limit,
    )


def _next_morning_settled(f: _Facts) -> Reason:
    """Next-morning pain settled after each of the last 5 sessions that logged it (at least
    one): DESIGN §3 "must settle by the next morning" (Silbernagel et al. 2007)."""
    verdicts, tolerance = _latest(f, _settled), f.t.next_morning_tolerance_0_10
    return _judge(
        Rule.NEXT_MORNING_SETTLED,
        not verdicts or not all(verdicts),
        sessions_checked=len(verdicts),
        sessions_not_settled=verdicts.count(False),
        tolerance=tolerance,
    )


def _improving_trend(f: _Facts) -> Reason:
    """Improving: the last week's average resting pain is below the week before's, or is a
    clinically important improvement on the baseline (Ostelo 2008). DESIGN §3: "the trend must
    be improving"; Silbernagel et al. 2007: pain must not increase from week to week."""
    recent, previous, n_recent, n_previous = f.trend_weeks()
    baseline, needed = f.inp.baseline_pain_0_10, _needed_improvement(f.inp.baseline_pain_0_10, f.t)
    drop = None if recent is None else baseline - recent
    percent = None if drop is None or not baseline else drop / baseline * 100
    figures: dict[str, Figure] = {
        "recent_average_pain": _round(recent),
        "previous_average_pain": _round(previous),
        "baseline_pain": baseline,
        "improvement_from_baseline": _round(drop),
        "improvement_percent": _round(percent),
        "improvement_needed": _round(needed),
        "recent_readings": n_recent,
        "previous_readings": n_previous,
        "window_days": f.t.recent_days,
    }
    if recent is None or drop is None:
        return _judge(Rule.IMPROVING_TREND, True, **figures)
    weekly = previous is not None and recent < previous - _EPSILON
    important = clinically_important_improvement(baseline, recent, f.t)
    return _judge(Rule.IMPROVING_TREND, not (weekly or important), **figures)


def _function_not_worse(f: _Facts) -> Reason:
    """No questionnaire worse than its first score by its MCID (Ostelo 2008: 10 on the ODI,
    5 on the Roland-Morris); a questionnaire without an MCID is shown but not judged.

    An outcome of ``instruments.change`` (ODI, Roland-Morris, PEG, PSFS) is judged by its rule,
    ``classify_change`` with the clinic's ``Thresholds.change`` (points or 30 %, as combined
    there), the score's own ``mcid`` replacing the points; its MCID is always known. The figures
    name each questionnaire's code (``odi_first``, ``odi_latest`` …), ``worse`` the codes worse
    by the MCID (comma-separated) and ``compared`` how many were judged.
    """
    figures: dict[str, Figure] = {}
    worse: list[str] = []
    judged = 0
    scores = sorted(
        (s for s in f.inp.instrument_scores if s.on <= f.inp.today), key=lambda s: (s.code, s.on)
    )
    for code, group in itertools.groupby(scores, key=lambda s: s.code):
        series = list(group)
        if len(series) < 2:
            continue
        first, latest = series[0], series[-1]
        worse_by = (latest.value - first.value) * (1 if latest.higher_is_worse else -1)
        mcid, needed, is_worse = _worsening(first, latest, worse_by, f.t.change)
        figures |= {
            f"{code}_first": first.value,
            f"{code}_latest": latest.value,
            f"{code}_worse_by": _round(worse_by),
            f"{code}_mcid": mcid,
            f"{code}_worse_needed": _round(needed),
        }
        if needed is not None:
            judged += 1
            if is_worse:
                worse.append(code)
    figures |= {"compared": judged, "worse": ",".join(worse)}
    if not judged:
        return _judge(Rule.FUNCTION_NOT_WORSE, None, **figures)
    return _judge(Rule.FUNCTION_NOT_WORSE, bool(worse), **figures)


def _worsening(
    first: InstrumentScore, latest: InstrumentScore, worse_by: float, change: ChangeThresholds
) -> tuple[float | None, float | None, bool]:
    """The MCID in points, the worsening that counts (``None``: not judged) and whether
    ``latest`` is worse than ``first`` by it."""
    outcome = _OUTCOME_BY_CODE.get(latest.code)
    if outcome is not None:
        if latest.mcid is not None:
            change = replace(change, absolute={**change.absolute, outcome: latest.mcid})
        judged = classify_change(first.value, latest.value, outcome=outcome, thresholds=change)
        is_worse = judged.label == "important_worsening"
        return change.absolute_for(outcome), judged.threshold_used, is_worse
    if latest.mcid is None:
        return None, None, False
    return latest.mcid, latest.mcid, worse_by >= latest.mcid - _EPSILON
