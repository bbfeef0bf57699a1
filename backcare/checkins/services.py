"""Weekly check-ins and activity goals: the one path that reads and writes them.

A check-in belongs to a calendar week (Monday to Sunday, of the patient's own days:
``backcare.patients.clock``). There is one per patient per week: answering again in the same
week *replaces* that week's answers (the page says so). Patients change their minds or tap
twice; keeping the latest answers is what they expect, and the audit trail keeps every
version's arrival.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.checkins.models import CheckIn, Goal, GoalRating
from backcare.core import progression
from backcare.core.screening import RED_FLAGS
from backcare.patients.clock import date_in, today_for, zone_of
from backcare.patients.models import Patient
from backcare.problems import FieldError

__all__ = [
    "INTAKE_GOAL_ROWS",
    "MAX_ACTIVE_GOALS",
    "SCORES",
    "Answers",
    "GoalDraft",
    "GoalEdit",
    "InvalidCheckIn",
    "InvalidGoals",
    "active_goals",
    "add_goals",
    "check_answers",
    "checkin_is_due",
    "checkins_for",
    "core_checkins_for",
    "goals_of",
    "save_goals",
    "submit_checkin",
    "to_core",
    "view_checkin",
    "view_goals",
    "week_of",
]

SCORES: dict[str, tuple[int, int]] = {
    "pain_now_0_10": (0, 10),
    "pain_average_0_10": (0, 10),
    "pain_worst_0_10": (0, 10),
    "interference_0_10": (0, 10),
    "sleep_quality_0_10": (0, 10),
    "confidence_0_10": (0, 10),
    "flare_ups": (0, 7),
}
"""Every scored answer with its allowed range; flare-ups count days of the last 7."""

MAX_ACTIVE_GOALS = 5
"""The check-in asks about each active goal every week; five keeps it to a couple of minutes.
Retired goals keep their ratings and do not count."""

INTAKE_GOAL_ROWS = 3
"""Goal rows on the intake page; more can be added later on the patient's goals page."""

MAX_ACTIVITY = 200
MAX_NOTES = 2000
RATING = (0, 10)
RED_FLAG_KEYS = frozenset(flag.key for flag in RED_FLAGS)


class InvalidCheckIn(Exception):
    """The answers break a rule; nothing was stored."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


class InvalidGoals(InvalidCheckIn):
    """The goal changes break a rule; nothing was changed."""


@dataclass(frozen=True)
class Answers:
    """One week's answers as the patient gives them; ``goal_ratings`` maps goal id to 0-10."""

    pain_now_0_10: int
    pain_average_0_10: int
    pain_worst_0_10: int
    interference_0_10: int
    sleep_quality_0_10: int
    confidence_0_10: int
    flare_ups: int
    goal_ratings: Mapping[int, int] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class GoalDraft:
    """A new goal: the activity in the patient's words and how well they can do it now (0-10)."""

    activity: str
    baseline_0_10: int


@dataclass(frozen=True)
class GoalEdit:
    """A clinician's change to an existing goal (the activity is fixed once it has ratings)."""

    goal_id: int
    activity: str
    baseline_0_10: int
    active: bool


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: the key a check-in is stored under. ``day`` is the patient's
    own date, so a check-in sent on Sunday evening where they live is that week's, not the next
    (already begun in UTC)."""
    return day - timedelta(days=day.weekday())


def _in_range(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_answers(answers: Answers, goals: Sequence[Goal]) -> list[FieldError]:
    """Every rule the answers break, each naming its field (empty when they are fine)."""
    errors = []
    for name, (low, high) in SCORES.items():
        if not _in_range(getattr(answers, name), low, high):
            errors.append(
                FieldError(
                    name,
                    gettext("Choose a number from %(low)s to %(high)s.")
                    % {"low": low, "high": high},
                )
            )
    if not errors and answers.pain_worst_0_10 < max(
        answers.pain_now_0_10, answers.pain_average_0_10
    ):
        # "now" is inside the last 7 days, and so is every typical day: the worst can't be lower
        errors.append(
            FieldError(
                "pain_worst_0_10",
                gettext(
                    "Your worst pain can't be lower than your pain right now or on a typical "
                    "day. Please check these three answers."
                ),
            )
        )
    wanted = {goal.pk for goal in goals}
    for goal in goals:
        if not _in_range(answers.goal_ratings.get(goal.pk), *RATING):
            errors.append(FieldError(f"goal-{goal.pk}", gettext("Choose a number from 0 to 10.")))
    if set(answers.goal_ratings) - wanted:
        errors.append(FieldError("", gettext("Your goals changed while you were answering.")))
    if unknown := set(answers.red_flags) - RED_FLAG_KEYS:
        errors.append(FieldError("red_flags", f"Unknown warning signs: {sorted(unknown)}"))
    if len(answers.notes) > MAX_NOTES:
        errors.append(
            FieldError("notes", gettext("Keep it to %(max)s characters.") % {"max": MAX_NOTES})
        )
    return errors


def _locked_patient(actor: Any, patient: Patient) -> Patient:
    """The patient row, locked for this transaction, if ``actor`` may see it.

    Locking serialises a patient's check-ins and goal changes (two tabs, a double tap), so the
    one-per-week rule and the goal limit hold without relying on a failed insert.
    """
    found = Patient.objects.for_actor(actor).select_for_update().filter(pk=patient.pk).first()
    if found is None:
        raise PermissionDenied("not this actor's patient")
    return found


def active_goals(actor: Any, patient: Patient) -> list[Goal]:
    """The goals the check-in asks about, in order."""
    return list(Goal.objects.for_actor(actor).filter(patient=patient, active=True))


def goals_of(actor: Any, patient: Patient) -> list[Goal]:
    """All the patient's goals, retired ones included, each with ``rated`` (has any rating)."""
    rated = Exists(GoalRating.objects.filter(goal=OuterRef("pk")))
    return list(Goal.objects.for_actor(actor).filter(patient=patient).annotate(rated=rated))


def _checkins(actor: Any, patient: Patient) -> QuerySet[CheckIn]:
    ratings = GoalRating.objects.select_related("goal")
    return (
        CheckIn.objects.for_actor(actor)
        .filter(patient=patient)
        .prefetch_related(Prefetch("ratings", queryset=ratings))
    )


def checkin_is_due(actor: Any, patient: Patient, today: date) -> bool:
    """True when the patient has no check-in for ``today``'s week.

    Not audited on its own: it only decides whether the today page shows a prompt, and that page
    view is audited.
    """
    mine = CheckIn.objects.for_actor(actor).filter(patient=patient, week_of=week_of(today))
    return not mine.exists()


def view_checkin(actor: Any, patient: Patient, today: date) -> CheckIn | None:
    """This week's check-in, if any, for the patient's own page (noted as a read)."""
    with transaction.atomic():
        found = _checkins(actor, patient).filter(week_of=week_of(today)).first()
        trail.read(actor, "checkins.checkin.view", patient_id=patient.pk, obj=found)
    return found


def checkins_for(actor: Any, patient: Patient) -> list[CheckIn]:
    """All the patient's check-ins, oldest week first, ratings (with goals) prefetched.

    This is what the progression job and the clinician's table read; noted as a read.
    """
    with transaction.atomic():
        checkins = list(_checkins(actor, patient).order_by("week_of"))
        trail.read(actor, "checkins.list", patient_id=patient.pk, count=len(checkins))
    return checkins


def to_core(checkin: CheckIn, zone: ZoneInfo) -> progression.CheckIn:
    """The check-in as the progression engine reads it; ``zone`` is the patient's
    (``clock.zone_of``).

    It is dated the patient's day it was (last) answered, because its questions cover the 7 days
    up to then; any flare-up day counts as "a flare-up was reported".
    """
    return progression.CheckIn(
        on=date_in(zone, checkin.submitted_at),
        pain_now_0_10=checkin.pain_now_0_10,
        pain_average_0_10=checkin.pain_average_0_10,
        pain_worst_0_10=checkin.pain_worst_0_10,
        interference_0_10=checkin.interference_0_10,
        flare_up=checkin.flare_ups > 0,
    )


def core_checkins_for(actor: Any, patient: Patient) -> tuple[progression.CheckIn, ...]:
    """The patient's check-ins, oldest first, for ``ProgressionInput.check_ins`` (audited)."""
    zone = zone_of(patient)
    return tuple(to_core(checkin, zone) for checkin in checkins_for(actor, patient))


def submit_checkin(
    actor: Any, patient: Patient, answers: Answers, *, now: datetime | None = None
) -> tuple[CheckIn, bool]:
    """Store the answers for ``now``'s week, replacing any given earlier that week.

    Returns ``(checkin, created)``. Raises :class:`InvalidCheckIn` (audited as a rejection) when
    the answers break a rule, and ``PermissionDenied`` when ``actor`` may not see ``patient``.
    """
    now = now or timezone.now()
    week = week_of(today_for(patient, now))
    try:
        with transaction.atomic():
            locked = _locked_patient(actor, patient)
            goals = active_goals(actor, locked)
            if errors := check_answers(answers, goals):
                raise InvalidCheckIn(errors)
            return _store(actor, locked, week, answers, now)
    except InvalidCheckIn as error:
        trail.note(
            actor,
            "checkins.checkin.submit",
            patient_id=patient.pk,
            week_of=week.isoformat(),
            outcome=AuditEvent.Outcome.INVALID,
            errors=_texts(error),
        )
        raise


def _texts(error: InvalidCheckIn) -> list[str]:
    return [f"{e.field}: {e.message}" if e.field else e.message for e in error.errors]


def _store(
    actor: Any, patient: Patient, week: date, answers: Answers, now: datetime
) -> tuple[CheckIn, bool]:
    values: dict[str, Any] = {name: getattr(answers, name) for name in SCORES}
    values |= {"red_flags": list(answers.red_flags), "notes": answers.notes, "submitted_at": now}
    checkin = CheckIn.objects.for_actor(actor).filter(patient=patient, week_of=week).first()
    created = checkin is None
    if checkin is None:
        checkin = CheckIn.objects.create(patient=patient, week_of=week, **values)
    else:
        for name, value in values.items():
            setattr(checkin, name, value)
        checkin.save()
        checkin.ratings.all().delete()
    GoalRating.objects.bulk_create(
        GoalRating(checkin=checkin, goal_id=goal_id, rating_0_10=rating)
        for goal_id, rating in sorted(answers.goal_ratings.items())
    )
    trail.note(
        actor,
        "checkins.checkin.create" if created else "checkins.checkin.update",
        patient_id=patient.pk,
        obj=checkin,
        week_of=week.isoformat(),
        red_flags=list(answers.red_flags),
    )
    return checkin, created


def _check_goal(activity: str, baseline: Any, prefix: str) -> list[FieldError]:
    errors = []
    if not activity.strip():
        errors.append(FieldError(f"{prefix}.activity", gettext("Name the activity.")))
    elif len(activity) > MAX_ACTIVITY:
        errors.append(
            FieldError(
                f"{prefix}.activity",
                gettext("Keep it to %(max)s characters.") % {"max": MAX_ACTIVITY},
            )
        )
    if not _in_range(baseline, *RATING):
        errors.append(
            FieldError(f"{prefix}.baseline_0_10", gettext("Choose a number from 0 to 10."))
        )
    return errors


def _create_goals(patient: Patient, drafts: Sequence[GoalDraft], start: int) -> list[int]:
    """Create the goals; return their ids (the caller writes the request's one audit row)."""
    return [
        Goal.objects.create(
            patient=patient,
            activity=draft.activity.strip(),
            baseline_0_10=draft.baseline_0_10,
            position=start + offset,
        ).pk
        for offset, draft in enumerate(drafts)
    ]


def _check_drafts(drafts: Sequence[GoalDraft]) -> list[FieldError]:
    """Errors in new goals; ``new-<n>`` counts the drafts from 1, as the form rows do."""
    return [
        error
        for number, draft in enumerate(drafts, 1)
        for error in _check_goal(draft.activity, draft.baseline_0_10, f"new-{number}")
    ]


def _check_limit(goals: Sequence[Goal], drafts: Sequence[GoalDraft]) -> list[FieldError]:
    if sum(goal.active for goal in goals) + len(drafts) <= MAX_ACTIVE_GOALS:
        return []
    message = gettext("A patient can have at most %(max)s active goals: retire one first.") % {
        "max": MAX_ACTIVE_GOALS
    }
    return [FieldError("", message)]


def add_goals(by: Any, patient: Patient, drafts: Sequence[GoalDraft]) -> None:
    """Add goals (at intake: in the transaction that creates the patient); one audit row."""
    if not drafts:
        return
    with transaction.atomic():
        locked = _locked_patient(by, patient)
        goals = list(Goal.objects.for_actor(by).filter(patient=locked))
        if errors := _check_drafts(drafts) + _check_limit(goals, drafts):
            raise InvalidGoals(errors)
        start = max((g.position for g in goals), default=0) + 1
        created = _create_goals(locked, drafts, start)
        trail.note(by, "checkins.goals.create", patient_id=locked.pk, created=created)


def view_goals(actor: Any, patient: Patient) -> list[Goal]:
    """All the patient's goals for the clinician's goals page (noted as a read)."""
    with transaction.atomic():
        goals = goals_of(actor, patient)
        trail.read(actor, "checkins.goals.view", patient_id=patient.pk, count=len(goals))
    return goals


def save_goals(
    by: Any, patient: Patient, edits: Sequence[GoalEdit], drafts: Sequence[GoalDraft]
) -> None:
    """Apply a clinician's changes to the patient's goals and add new ones, all or nothing.

    A goal's wording is fixed once it has ratings (the ratings answered that wording); to change
    it, retire the goal and add a new one. One audit row for the whole save (naming each goal
    changed, with its fields, and each goal added), or one for a rejection.
    """
    try:
        with transaction.atomic():
            locked = _locked_patient(by, patient)
            goals = {goal.pk: goal for goal in goals_of(by, locked)}
            errors, changed = _apply(goals, edits)
            errors += _check_drafts(drafts) + _check_limit(list(goals.values()), drafts)
            if errors:
                raise InvalidGoals(errors)
            for goal, fields in changed:
                goal.save(update_fields=fields)
            start = max((g.position for g in goals.values()), default=0) + 1
            created = _create_goals(locked, drafts, start)
            trail.note(
                by,
                "checkins.goals.update",
                patient_id=locked.pk,
                created=created,
                changed={str(goal.pk): fields for goal, fields in changed},
            )
    except InvalidGoals as error:
        trail.note(
            by,
            "checkins.goals.update",
            patient_id=patient.pk,
            outcome=AuditEvent.Outcome.INVALID,
            errors=_texts(error),
        )
        raise


def _apply(
    goals: dict[int, Goal], edits: Sequence[GoalEdit]
) -> tuple[list[FieldError], list[tuple[Goal, list[str]]]]:
    """Set each edit on its (unsaved) goal; returns the errors and the goals that changed."""
    errors: list[FieldError] = []
    changed = []
    for edit in edits:
        goal = goals.get(edit.goal_id)
        prefix = f"goal-{edit.goal_id}"
        if goal is None:
            errors.append(
                FieldError("", gettext("One of these goals is no longer this patient's."))
            )
            continue
        errors += _check_goal(edit.activity, edit.baseline_0_10, prefix)
        activity = edit.activity.strip()
        if activity != goal.activity and goal.rated:  # type: ignore[attr-defined]
            errors.append(
                FieldError(
                    f"{prefix}.activity",
                    gettext("This goal already has ratings: retire it and add a new one instead."),
                )
            )
        new = {"activity": activity, "baseline_0_10": edit.baseline_0_10, "active": edit.active}
        fields = [name for name, value in new.items() if getattr(goal, name) != value]
        for name in fields:
            setattr(goal, name, new[name])
        if fields:
            changed.append((goal, fields))
    return errors, changed
