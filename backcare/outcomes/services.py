"""A patient's outcomes over time: pain, adherence, questionnaire scores and activity goals, each
as a chart with clinically important change marked, and the same in plain words.

``timeline_for`` is the one read behind a page view: it fetches everything through the scoped
managers as the person asking and writes one audit row (DESIGN §4), then works the measures out
(``measures``), draws them (``charts``) and words them (``words``) for a clinician or the patient.
The clinic's own thresholds judge every change (``accounts.rules.thresholds_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backcare.accounts.rules import thresholds_for
from backcare.audit import trail
from backcare.checkins.models import CheckIn, Goal, GoalRating
from backcare.checkins.services import to_core
from backcare.core.instruments import OUTCOME_RANGES, OUTCOMES, RULES, Change, Outcome
from backcare.core.progression import SessionSummary, Thresholds, adherence
from backcare.instruments.models import Response
from backcare.logbook.models import Session
from backcare.logbook.services import session_summary
from backcare.outcomes import measures, words
from backcare.outcomes.charts import (
    Bar,
    Point,
    Reference,
    Series,
    render_timeline,
    render_weekly_bars,
)
from backcare.outcomes.words import Audience
from backcare.patients.clock import date_in, zone_of
from backcare.patients.models import Patient
from backcare.programmes.models import Programme

__all__ = ["Audience", "Section", "Timeline", "timeline_for"]

QUESTIONNAIRES: tuple[Outcome, ...] = tuple(o for o in OUTCOMES if o != "pain")
IN_EFFECT = (Programme.Status.ACTIVE, Programme.Status.SUPERSEDED)
"""Programme versions the patient was given (drafts and discarded versions never were)."""


@dataclass(frozen=True)
class Section:
    """One chart of the page: its heading, the SVG, what it shows in words, the values drawn
    (``series`` or ``bars``), the latest change from the start, and any attribution the
    questionnaire's licence requires wherever a score is shown."""

    key: str
    heading: str
    svg: SafeString
    lines: tuple[str, ...]
    series: tuple[Series, ...] = ()
    bars: tuple[Bar, ...] = ()
    change: Change | None = None
    attributions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    """Everything the timeline page shows, from intake (``since``) to ``today``."""

    since: date
    today: date
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class _Records:
    """What one page view reads of the patient's data."""

    sessions: tuple[SessionSummary, ...]
    check_ins: tuple[CheckIn, ...]
    goals: tuple[Goal, ...]
    responses: tuple[Response, ...]
    prescriptions: tuple[measures.Prescription, ...]
    zone: ZoneInfo  # the patient's (``clock.zone_of``): every instant is dated in their days


def timeline_for(
    actor: Any,
    patient: Patient,
    today: date,
    audience: Audience,
    action: str = "outcomes.timeline.view",
) -> Timeline:
    """The patient's timeline as ``actor`` may see it (one audit row, as ``action``: a printed
    report names itself); ``PermissionDenied`` when the patient is not theirs."""
    with transaction.atomic():
        found = _read(actor, patient)
        trail.note(
            actor,
            action,
            patient_id=patient.pk,
            audience=audience,
            sessions=len(found.sessions),
            check_ins=len(found.check_ins),
            responses=len(found.responses),
        )
    thresholds = thresholds_for(patient.clinic)
    since = date_in(found.zone, patient.created_at)
    sections = [
        _pain(patient, found, since, today, thresholds, audience),
        _adherence(found, today, thresholds, audience),
    ]
    sections += _questionnaires(found, since, today, thresholds, audience)
    if found.check_ins and found.goals:
        sections.append(_goals(found, since, today, thresholds, audience))
    return Timeline(since, today, tuple(sections))


def _read(actor: Any, patient: Patient) -> _Records:
    """Everything the page shows of the patient, through the scoped managers."""
    if not Patient.objects.for_actor(actor).filter(pk=patient.pk).exists():
        raise PermissionDenied("not this actor's patient")
    zone = zone_of(patient)
    sessions = (
        Session.objects.for_actor(actor).filter(patient=patient).prefetch_related("exercises")
    )
    ratings = Prefetch("ratings", queryset=GoalRating.objects.order_by("goal_id"))
    check_ins = CheckIn.objects.for_actor(actor).filter(patient=patient).prefetch_related(ratings)
    responses = (
        Response.objects.for_actor(actor)
        .filter(patient=patient, rule_code__in=QUESTIONNAIRES, score__isnull=False)
        .select_related("instrument")
        .order_by("answered_at", "id")
    )
    programmes = (
        Programme.objects.for_actor(actor)
        .filter(patient=patient, status__in=IN_EFFECT)
        .prefetch_related("items")
    )
    return _Records(
        sessions=tuple(session_summary(s) for s in sessions),
        check_ins=tuple(check_ins.order_by("week_of")),
        goals=tuple(Goal.objects.for_actor(actor).filter(patient=patient)),
        responses=tuple(responses),
        prescriptions=tuple(
            measures.Prescription(
                since=date_in(zone, p.assigned_at or p.created_at),
                # as the progression engine reads it: the most frequent item's days a week
                sessions_per_week=max((i.days_per_week for i in p.items.all()), default=7),
            )
            for p in programmes
        ),
        zone=zone,
    )


def _pain(
    patient: Patient, found: _Records, since: date, today: date, t: Thresholds, who: Audience
) -> Section:
    """Resting pain by week against the intake pain, with each morning and check-in."""
    baseline = patient.baseline_pain_0_10
    check_ins = [to_core(c, found.zone) for c in found.check_ins]
    weekly = measures.weekly_resting_pain(found.sessions, check_ins, baseline, today, t.change)
    waking = measures.waking_pain(found.sessions, today)
    series = [
        Series(_("Weekly average"), weekly.points),
        Series(_("Pain on waking"), waking, line=False),
        Series(
            _("Check-in: pain on a typical day"),
            measures.check_in_pain(check_ins, today),
            line=False,
        ),
    ]
    change = weekly.change(t.change)
    lines = words.pain(weekly, change, waking, t.change, who)
    svg = render_timeline(
        series,
        title=_("Pain over time"),
        y_range=(0, 10),
        y_label=_("Pain 0–10, lower is better"),
        references=[Reference(baseline, _("at the start: %(value)s") % {"value": baseline})],
        bands=[weekly.band],
        start=since,
        end=today,
        summary=lines[0],
        show_title=False,
        chart_id="chart-pain",
        empty_text=_("No pain ratings yet"),
    )
    heading = _("Pain") if who == "clinician" else _("Your pain")
    return Section("pain", heading, _safe(svg), lines, tuple(series), change=change)


def _adherence(found: _Records, today: date, t: Thresholds, who: Audience) -> Section:
    """Sessions done each week against those prescribed, and the adherence gate."""
    dated = [p.since for p in found.prescriptions] + [s.performed_on for s in found.sessions]
    bars = (
        measures.weekly_adherence(found.sessions, found.prescriptions, min(dated), today, t)
        if dated
        else ()
    )
    per_week = measures.prescribed_on(found.prescriptions, today)
    recent = adherence(
        found.sessions,
        today,
        t.adherence_window_days,
        sessions_per_week_prescribed=per_week,
        min_share_done=t.min_share_of_exercises_done,
    )
    lines = words.adherence(recent, t, who)
    gate = Reference(measures.gate_percent(t, per_week), words.gate_label(t, who))
    svg = render_weekly_bars(
        bars,
        title=_("Sessions done each week"),
        # xgettext:no-python-format
        y_label=_("Sessions done, % of those prescribed"),
        references=[gate],
        summary=lines[0],
        show_title=False,
        chart_id="chart-adherence",
        empty_text=_("No sessions logged yet"),
    )
    heading = _("Adherence") if who == "clinician" else _("Your sessions")
    return Section("adherence", heading, _safe(svg), lines, bars=bars)


def _questionnaires(
    found: _Records, since: date, today: date, t: Thresholds, who: Audience
) -> list[Section]:
    """One section per scored outcome questionnaire, judged against the first score."""
    sections = []
    for code in QUESTIONNAIRES:
        mine = [r for r in found.responses if r.rule_code == code]
        if not mine:
            continue
        dated = [(date_in(found.zone, r.answered_at), float(r.score or 0), "") for r in mine]
        first = Point(dated[0][0], dated[0][1], note=_("first score"))
        trend = measures.judged(dated[0][1], dated[1:], code, t.change, first=first)
        rule, title = RULES[code], mine[-1].instrument.title
        change = trend.change(t.change) if len(trend.points) > 1 else None
        heading = rule.name if who == "clinician" else title
        lines = words.questionnaire(rule.unit, trend, change, who)
        low, high = OUTCOME_RANGES[code]
        better = (
            _("Score %(low)s–%(high)s, lower is better")
            if rule.higher_is_worse
            else _("Score %(low)s–%(high)s, higher is better")
        ) % {"low": f"{low:g}", "high": f"{high:g}"}
        series = (Series(heading, trend.points),)
        first_label = _("first: %(value)s") % {"value": words.num(trend.baseline)}
        svg = render_timeline(
            series,
            title=_("%(name)s over time") % {"name": heading},
            y_range=(low, high),
            y_label=better,
            references=[Reference(trend.baseline, first_label)],
            bands=[trend.band],
            start=since,
            end=today,
            summary=lines[0],
            show_title=False,
            chart_id=f"chart-{code}",
        )
        attributions = tuple(dict.fromkeys(r.instrument.attribution for r in mine))
        section = Section(
            code, heading, _safe(svg), lines, series, change=change, attributions=attributions
        )
        sections.append(section)
    return sections


def _goals(found: _Records, since: date, today: date, t: Thresholds, who: Audience) -> Section:
    """Each goal's ratings, and their mean judged by the PSFS rule."""
    histories = [
        measures.GoalHistory(
            activity=goal.activity,
            started_on=date_in(found.zone, goal.created_at),
            baseline_0_10=goal.baseline_0_10,
            ratings=tuple(
                (to_core(c, found.zone).on, rating.rating_0_10)
                for c in found.check_ins
                for rating in c.ratings.all()
                if rating.goal_id == goal.pk
            ),
        )
        for goal in found.goals
    ]
    rated = [h for h in histories if h.ratings]
    mean = measures.goals_mean(rated, t.change)
    series = measures.goal_series(rated)
    if mean is not None and len(rated) > 1:
        series = [Series(_("Mean of the goals"), mean.points), *series]
    elif mean is not None:  # one goal: its own points carry the change marks
        series = [Series(rated[0].activity, mean.points)]
    change = mean.change(t.change) if mean else None
    lines = words.goals(rated, mean, change, who)
    svg = render_timeline(
        series,
        title=_("Activity goals over time"),
        y_range=(0, 10),
        y_label=_("Can do it: 0 not at all, 10 fully"),
        bands=[mean.band] if mean else [],
        start=since,
        end=today,
        summary=lines[0],
        show_title=False,
        chart_id="chart-goals",
        empty_text=_("No goal rated yet"),
    )
    heading = _("Activity goals") if who == "clinician" else _("Your activity goals")
    return Section("goals", heading, _safe(svg), lines, tuple(series), change=change)


def _safe(svg: str) -> SafeString:
    """The SVG for the template. Safe to insert unescaped: ``charts`` writes it from numbers and
    XML-escapes every piece of text (series names, labels, the title and description)."""
    return mark_safe(svg)
