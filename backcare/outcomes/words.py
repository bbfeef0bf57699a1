"""The timeline in plain words, in the reader's language: numbers and the rule's reasons for the
clinician; short, encouraging sentences for the patient, which never alarm and always say who to
talk to.

Each function returns the section's sentences, the first being its summary (it also opens the
chart's ``<desc>``, so a screen reader hears it first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from backcare.core.instruments import Change, ChangeThresholds
from backcare.core.progression import AdherenceFigure, Thresholds
from backcare.instruments.words import change_reason
from backcare.outcomes.charts import MARK_WORDS, Point, long_date, short_date
from backcare.outcomes.measures import GoalHistory, Trend, needed

Audience = Literal["clinician", "patient"]

TALK_TO_US = gettext_lazy("If anything worries you, tell your physiotherapist.")


def num(value: float) -> str:
    """A score for a sentence: at most one decimal, no trailing zero."""
    return f"{value:.1f}".removesuffix(".0")


def pain(
    weekly: Trend,
    change: Change | None,
    waking: Sequence[Point],
    thresholds: ChangeThresholds,
    who: Audience,
) -> tuple[str, ...]:
    """Resting pain now against the intake pain."""
    start, latest = num(weekly.baseline), weekly.latest
    if latest is None or change is None:
        if who == "patient":
            return (
                _(
                    "When you note how your back feels the morning after a session, your pain "
                    "will show here."
                ),
            )
        return (
            _(
                "No resting pain logged yet (next-morning pain or a check-in). Intake pain was "
                "%(start)s/10."
            )
            % {"start": start},
        )
    now = num(latest.value)
    if who == "patient":
        return (_patient_pain(change, start, now),)
    improve, worsen = (num(v) for v in needed(weekly.baseline, "pain", thresholds))
    lines = [
        _(
            "Resting pain %(start)s/10 at intake → %(now)s/10 in the week of %(week)s: %(mark)s "
            "(%(reason)s)."
        )
        % {
            "start": start,
            "now": now,
            "week": short_date(latest.on),
            "mark": MARK_WORDS[change.label],
            "reason": change_reason(change),
        },
        _(
            "Weekly average: the mean of the week's next-morning pain and check-in average pain. "
            "Shaded: no important change from intake (a fall of less than %(improve)s or a rise "
            "of less than %(worsen)s points, by the clinic's thresholds)."
        )
        % {"improve": improve, "worsen": worsen},
    ]
    if waking:
        lines.append(
            ngettext(
                "Pain on waking: %(count)s rating, latest %(pain)s/10 on %(day)s.",
                "Pain on waking: %(count)s ratings, latest %(pain)s/10 on %(day)s.",
                len(waking),
            )
            % {"count": len(waking), "pain": num(waking[-1].value), "day": long_date(waking[-1].on)}
        )
    return tuple(lines)


def _patient_pain(change: Change, start: str, now: str) -> str:
    """Pain in plain words: praise, patience, or a nudge to tell the physiotherapist."""
    numbers = {"start": start, "now": now, "talk": TALK_TO_US}
    if change.label == "important_improvement":
        return (
            _(
                "Your pain has come down from %(start)s to %(now)s (out of 10) since you started — "
                "an important improvement. Well done!"
            )
            % numbers
        )
    if change.label == "important_worsening":
        return (
            _(
                "Your pain has gone up from %(start)s to %(now)s (out of 10) since you started. "
                "Please let your physiotherapist know, so they can adjust your programme."
            )
            % numbers
        )
    return (
        _(
            "Your pain was %(start)s out of 10 when you started and %(now)s most recently. Changes "
            "often take a few weeks: keep going. %(talk)s"
        )
        % numbers
    )


def gate_label(t: Thresholds, who: Audience) -> str:
    """The adherence gate's line on the chart."""
    if who == "patient":
        return _("at least %(sessions)s sessions in %(days)s days") % {
            "sessions": t.adherence_min_sessions,
            "days": t.adherence_window_days,
        }
    return _("progression needs %(sessions)s sessions in %(days)s days") % {
        "sessions": t.adherence_min_sessions,
        "days": t.adherence_window_days,
    }


def adherence(recent: AdherenceFigure, t: Thresholds, who: Audience) -> tuple[str, ...]:
    """Sessions done in the adherence window against those prescribed and the gate."""
    prescribed = recent.sessions_prescribed or 0
    required = min(t.adherence_min_sessions, prescribed)
    if who == "patient":
        if not recent.sessions_logged:
            return (_("Your sessions will show here once you log them on the Today page."),)
        done = {
            "done": recent.sessions_done,
            "prescribed": prescribed,
            "days": t.adherence_window_days,
        }
        if recent.sessions_done >= required:
            return (
                _(
                    "You did %(done)s of your %(prescribed)s planned sessions in the last "
                    "%(days)s days. Great consistency: doing them regularly is what makes them "
                    "work."
                )
                % done,
            )
        return (
            _(
                "You did %(done)s of your %(prescribed)s planned sessions in the last %(days)s "
                "days. Every session counts: try to fit in one more this week."
            )
            % done,
        )
    share = num(t.min_share_of_exercises_done * 100)
    numbers = {
        "days": t.adherence_window_days,
        "done": recent.sessions_done,
        "prescribed": prescribed,
        "logged": recent.sessions_logged,
        "required": required,
        "share": share,
    }
    return (
        _(
            "Last %(days)s days: %(done)s of %(prescribed)s prescribed sessions done (%(logged)s "
            "logged); progression needs %(required)s."
        )
        % numbers,
        _(
            "A session counts as done when at least %(share)s %% of its exercises were done. Each "
            "bar is a calendar week (Monday to Sunday); the first and the current week count only "
            "their days in the programme so far."
        )
        % numbers,
    )


def questionnaire(unit: str, trend: Trend, change: Change | None, who: Audience) -> tuple[str, ...]:
    """The latest score against the first."""
    first, latest = trend.points[0], trend.latest
    shown = (lambda v: f"{num(v)} %") if unit == "%" else num
    if latest is None or change is None:
        if who == "patient":
            return (
                _(
                    "You have answered this once so far (%(score)s). Your next answers will "
                    "show how things change."
                )
                % {"score": shown(first.value)},
            )
        return (
            _("One score so far: %(score)s on %(day)s.")
            % {"score": shown(first.value), "day": long_date(first.on)},
        )
    if who == "patient":
        return (_patient_score(change, shown(first.value), shown(latest.value)),)
    return (
        _("First score %(first)s on %(from)s → %(latest)s on %(to)s: %(mark)s (%(reason)s).")
        % {
            "first": shown(first.value),
            "from": long_date(first.on),
            "latest": shown(latest.value),
            "to": long_date(latest.on),
            "mark": MARK_WORDS[change.label],
            "reason": change_reason(change),
        },
    )


def _patient_score(change: Change, first: str, latest: str) -> str:
    """A questionnaire score in plain words, without saying which way is up."""
    scores = {"first": first, "latest": latest, "talk": TALK_TO_US}
    if change.label == "important_improvement":
        return (
            _(
                "Your answers show an important improvement since your first time (%(first)s → "
                "%(latest)s). Well done!"
            )
            % scores
        )
    if change.label == "important_worsening":
        return (
            _(
                "Your latest score (%(latest)s) is worse than your first (%(first)s). Your "
                "physiotherapist will go through it with you."
            )
            % scores
        )
    return (
        _(
            "Your first score was %(first)s and your latest is %(latest)s. Small changes along the "
            "way are normal. %(talk)s"
        )
        % scores
    )


def goals(
    rated: Sequence[GoalHistory], mean: Trend | None, change: Change | None, who: Audience
) -> tuple[str, ...]:
    """The goals' mean rating at the latest check-in against their start ratings."""
    latest = mean.latest if mean else None
    if mean is None or latest is None or change is None:
        if who == "patient":
            return (_("Rate your goals in the weekly check-in and your progress will show here."),)
        return (_("No goal rated in a check-in yet."),)
    start, now = num(mean.baseline), num(latest.value)
    if who == "patient":
        ratings = {"start": start, "now": now, "talk": TALK_TO_US}
        if change.label == "important_improvement":
            return (
                _(
                    "On average you now rate your goals %(now)s out of 10, up from %(start)s "
                    "when you started — an important improvement in what you can do."
                )
                % ratings,
            )
        if change.label == "important_worsening":
            return (
                _(
                    "On average you rate your goals %(now)s out of 10, down from %(start)s when "
                    "you started. Please tell your physiotherapist."
                )
                % ratings,
            )
        return (
            _(
                "On average you rate your goals %(now)s out of 10 (it was %(start)s when you "
                "started). Keep going. %(talk)s"
            )
            % ratings,
        )
    lines = [
        _(
            "Goals (mean rating, PSFS rule, higher is better): %(start)s at the start → %(now)s "
            "at the check-in of %(day)s: %(mark)s (%(reason)s)."
        )
        % {
            "start": start,
            "now": now,
            "day": long_date(latest.on),
            "mark": MARK_WORDS[change.label],
            "reason": change_reason(change),
        },
    ]
    for goal in rated:
        on, rating = goal.ratings[-1]
        lines.append(f"{goal.activity}: {goal.baseline_0_10} → {rating} ({short_date(on)}).")
    return tuple(lines)
