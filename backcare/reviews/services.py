"""The ORM side of the progression engine: build its input, store proposals, run the nightly job.

The nightly job is a plain idempotent function (``run_nightly``): for every patient with an active
programme it asks the core for a proposal, keeps one pending review per patient (a new one only
when the proposal changed) and raises the alerts the core names, each keyed by the evidence that
caused it. Running it twice with the same data changes nothing. It acts as the system, not as a
user, so it reads patients directly; every write it makes is audited with the actor "system".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from backcare.accounts.models import User
from backcare.accounts.rules import thresholds_for
from backcare.alerts.services import raise_alert
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.checkins.models import CheckIn
from backcare.checkins.services import to_core
from backcare.core.instruments import HIGHER_IS_WORSE, OUTCOMES
from backcare.core.prescribing.model import stage_named
from backcare.core.progression import (
    InstrumentScore,
    ProgressionInput,
    Proposal,
    SessionSummary,
    assess_progression,
)
from backcare.instruments.models import Response
from backcare.logbook.models import Session
from backcare.logbook.services import session_summary
from backcare.patients.clock import date_in, local_date, today_for, zone_of
from backcare.patients.models import Patient
from backcare.programmes import services as programmes
from backcare.programmes.models import Programme
from backcare.reviews.models import Review

ACTIONABLE = ("progress", "regress", "refer")
"""Decisions that need a clinician; "hold" is the default state and raises no review."""

ALERT_TEXT = {
    "persisting_pain_spike": gettext_noop(
        "Resting pain has stayed at the spike level for two weeks."
    ),
    "not_improving": gettext_noop(
        "No clinically important improvement after six weeks in the initial stage."
    ),
    "pain_spike": gettext_noop("Pain of 7/10 or more reported in the last week."),
    "flare_up": gettext_noop("A flare-up was reported at the weekly check-in."),
    "pain_rise_during_exercise": gettext_noop(
        "Pain during exercise repeatedly rose beyond the limit."
    ),
    "next_morning_worsening": gettext_noop(
        "Pain was repeatedly worse the morning after a session."
    ),
    "pain_worsening": gettext_noop("Weekly resting pain went up by a clinically important amount."),
    "no_recent_log": gettext_noop("No session logged for a week."),
}
"""Alert messages for the clinician; red flags are alerted when screened, not here. Stored in
English, translated when shown (``{% translate alert.message %}``)."""


def stage_started_on(programme: Programme) -> date:
    """The day the patient's current stage began: the first assigned version of that stage in
    the unbroken run of versions ending with ``programme``. The patient's day, as ``today`` is,
    so the minimum time in stage counts the days they lived, not the server's."""
    started = programme.assigned_at or programme.created_at
    earlier = (
        Programme.objects.filter(patient_id=programme.patient_id, version__lt=programme.version)
        .exclude(assigned_at=None)
        .order_by("-version")
    )
    for version in earlier:
        if version.stage != programme.stage:
            break
        started = version.assigned_at or started
    return local_date(programme.patient, started)


def session_summaries(patient: Patient) -> tuple[SessionSummary, ...]:
    sessions = Session.objects.filter(patient=patient).prefetch_related("exercises")
    return tuple(session_summary(s) for s in sessions)


def progression_input(patient: Patient, programme: Programme, today: date) -> ProgressionInput:
    """Everything the engine weighs for one patient, read from the database."""
    days = [item.days_per_week for item in programme.items.all()]
    return ProgressionInput(
        stage=stage_named(programme.stage),
        stage_started_on=stage_started_on(programme),
        baseline_pain_0_10=patient.baseline_pain_0_10,
        sessions_per_week_prescribed=max(days, default=7),
        today=today,
        sessions=session_summaries(patient),
        check_ins=_check_ins(patient),
        instrument_scores=_instrument_scores(patient),
        red_flag_open=patient.red_flag_open,
    )


def _check_ins(patient: Patient) -> tuple[Any, ...]:
    zone = zone_of(patient)
    checkins = CheckIn.objects.filter(patient=patient).order_by("week_of")
    return tuple(to_core(c, zone) for c in checkins)


def _instrument_scores(patient: Patient) -> tuple[InstrumentScore, ...]:
    """Scored questionnaires that measure an outcome (STarT Back sets the risk group instead),
    each dated the patient's day it was answered."""
    zone = zone_of(patient)
    responses = Response.objects.filter(
        patient=patient, rule_code__in=OUTCOMES, score__isnull=False
    ).order_by("answered_at")
    return tuple(
        InstrumentScore(
            code=r.rule_code,
            on=date_in(zone, r.answered_at),
            value=float(r.score or 0),
            higher_is_worse=HIGHER_IS_WORSE[r.rule_code],  # type: ignore[index]
        )
        for r in responses
    )


def active_programme(patient: Patient) -> Programme | None:
    return patient.programme_set.filter(status=Programme.Status.ACTIVE).first()


def assess(patient: Patient, today: date) -> tuple[Programme, Proposal] | None:
    """The engine's proposal for a patient today, or None without an active programme."""
    programme = active_programme(patient)
    if programme is None or stage_started_on(programme) > today:
        return None  # nothing to judge: no programme yet on that day
    proposal = assess_progression(
        progression_input(patient, programme, today), thresholds_for(patient.clinic)
    )
    return programme, proposal


def reasons_json(proposal: Proposal) -> list[dict[str, Any]]:
    """Every rule's verdict as stored: facts, worded when shown (``reviews.words``)."""
    return [
        {"rule": str(r.rule), "status": r.status, "effect": r.effect, "figures": dict(r.figures)}
        for r in proposal.reasons
    ]


def summary_json(proposal: Proposal) -> dict[str, Any]:
    """The one-line summary as stored: the headline, the rules that decided, the new stage."""
    rules = [str(rule) for rule in proposal.deciding]
    return {"code": proposal.headline, "params": {"rules": rules, "stage": proposal.to_stage}}


@dataclass(frozen=True)
class NightlyReport:
    patients: int
    reviews_created: int
    reviews_superseded: int
    alerts_raised: int


@trail.unit()
def review_patient(patient: Patient, today: date) -> tuple[int, int, int]:
    """Update one patient's pending review and alerts; returns (created, superseded, alerts).

    One transaction and one audit row per patient (inside a request, the request's)."""
    assessed = assess(patient, today)
    if assessed is None:
        return 0, 0, 0
    programme, proposal = assessed
    created = superseded = 0
    pending = Review.objects.filter(patient=patient, status=Review.Status.PENDING).first()
    same = (
        pending is not None
        and pending.programme_id == programme.pk
        and pending.decision == proposal.decision
        and pending.to_stage == (proposal.to_stage or "")
    )
    if pending is not None and not same:
        pending.status = Review.Status.SUPERSEDED
        pending.save(update_fields=["status"])
        trail.note(None, "review.supersede", patient_id=patient.pk, obj=pending)
        superseded = 1
    if proposal.decision in ACTIONABLE and not same:
        review = Review.objects.create(
            patient=patient,
            programme=programme,
            computed_on=today,
            decision=proposal.decision,
            from_stage=proposal.stage,
            to_stage=proposal.to_stage or "",
            summary=summary_json(proposal),
            reasons=reasons_json(proposal),
            alerts=list(proposal.alerts),
        )
        trail.note(None, "review.propose", patient_id=patient.pk, obj=review)
        created = 1
    return created, superseded, _raise_alerts(patient, proposal)


def _raise_alerts(patient: Patient, proposal: Proposal) -> int:
    """Raise each alert once per piece of evidence: keyed by the latest log and check-in dates,
    so a re-run on the same data raises nothing and new evidence raises a new alert."""
    latest = Session.objects.filter(patient=patient).order_by("-performed_on").first()
    checkin = CheckIn.objects.filter(patient=patient).order_by("-submitted_at").first()
    evidence = (
        f"{latest.performed_on.isoformat() if latest else 'none'}"
        f"/{checkin.submitted_at.isoformat() if checkin else 'none'}"
    )
    raised = 0
    for kind in proposal.alerts:
        if kind not in ALERT_TEXT:
            continue
        _alert, created = raise_alert(patient, kind, f"{kind}:{evidence}", ALERT_TEXT[kind])
        raised += created
    return raised


def run_nightly(today: date | None = None) -> NightlyReport:
    """Review every patient with an active programme (idempotent; safe to run again).

    Without ``today`` each patient is reviewed as of their own date at the moment the job
    started (``clock.today_for``): the engine counts days in stage, recent days and days without
    a log from it, and a patient a day ahead of or behind UTC must not gain or lose one.
    """
    now = timezone.now()
    patients = Patient.objects.filter(programme__status=Programme.Status.ACTIVE).distinct()
    totals = [0, 0, 0]
    count = 0
    for patient in patients.select_related("clinic"):  # the zone, without a query per patient
        count += 1
        for i, n in enumerate(review_patient(patient, today or today_for(patient, now))):
            totals[i] += n
    return NightlyReport(count, *totals)


@transaction.atomic
def approve(by: User, review: Review) -> Programme | None:
    """Approve a proposal. Progress or regress drafts the new stage's programme (to edit and
    assign); refer records the decision (the programme stays as it is until re-screened)."""
    drafts = review.decision in ("progress", "regress") and bool(review.to_stage)
    if drafts:
        programmes.refuse_if_flagged(by, review.patient, "review.approved", review)
    _decide(by, review, Review.Status.APPROVED, "")
    if not drafts:
        return None
    draft = programmes.draft_programme(by, review.patient, stage=review.to_stage)
    review.new_programme = draft
    review.save(update_fields=["new_programme"])
    return draft


@transaction.atomic
def refuse(by: User, review: Review, note: str) -> None:
    _decide(by, review, Review.Status.REFUSED, note)


def _decide(by: User, review: Review, status: str, note: str) -> None:
    locked = Review.objects.select_for_update().get(pk=review.pk)  # two clicks, one decision
    if locked.status != Review.Status.PENDING:
        trail.note(
            by,
            f"review.{status}",
            patient_id=review.patient_id,
            obj=review,
            outcome=AuditEvent.Outcome.INVALID,
            reason="already decided",
        )
        raise ValueError("This proposal has already been decided.")
    review.status = status
    review.decided_by = by
    review.decided_at = timezone.now()
    review.note = note
    review.save(update_fields=["status", "decided_by", "decided_at", "note"])
    trail.note(by, f"review.{status}", patient_id=review.patient_id, obj=review)


def pending_reviews(by: User) -> list[Review]:
    """The clinician's clinic's proposals waiting for a decision (audited as one list read)."""
    reviews = list(
        Review.objects.for_actor(by)
        .filter(status=Review.Status.PENDING)
        .select_related("patient")
        .order_by("-computed_on")
    )
    trail.read(by, "review.list", count=len(reviews))
    return reviews
