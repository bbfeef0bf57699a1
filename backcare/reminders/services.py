"""Reminder schedules, calendar links and the patient's regularity: scoped and audited.

Every function takes the acting user and reaches patient data through ``for_actor``; the one
exception is ``calendar_for_token``, which has no user (a calendar program fetches the feed) and
finds the link only by the SHA-256 of its secret, like an invitation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from backcare.accounts.rules import thresholds_for
from backcare.audit import trail
from backcare.core.adherence import Regularity, regularity
from backcare.core.schedule import is_time_zone, suggest_weekdays
from backcare.logbook.services import active_programme, programme_start, session_summaries
from backcare.patients.clock import clinic_zone_name, local_date, today_for, zone_name_of
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reminders.calendar import build_calendar
from backcare.reminders.models import CalendarFeed, ReminderDelivery, ReminderSchedule

__all__ = [
    "DEFAULT_TIME",
    "TOKEN_SHAPE",
    "ScheduleChoice",
    "calendar_for_token",
    "hash_token",
    "issue_calendar_link",
    "language_of",
    "patient_regularity",
    "recent_deliveries",
    "revoke_calendar_links",
    "save_schedule",
    "schedule_of",
    "sessions_per_week",
    "suggested_choice",
    "treatment_start",
    "view_calendar_link",
]

DEFAULT_TIME = time(18, 0)
"""Suggested session time: early evening, when most people are home; the patient changes it."""

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
"""``secrets.token_urlsafe(32)``: 32 random bytes, 43 URL-safe characters."""


@dataclass(frozen=True)
class ScheduleChoice:
    """What the patient chose on the reminders page."""

    weekdays: frozenset[int]
    time_of_day: time
    time_zone: str
    email_enabled: bool


def hash_token(token: str) -> str:
    """Calendar tokens are stored hashed, so a database leak does not leak working links."""
    return hashlib.sha256(token.encode()).hexdigest()


def language_of(patient: Patient) -> str:
    """The patient's chosen language, else the site's default."""
    return getattr(patient.user, "language", "") or settings.LANGUAGE_CODE


def sessions_per_week(programme: Programme | None) -> int:
    """Sessions a week the programme asks for: its most frequent exercise (as the nightly
    review counts it); 7 when unknown."""
    if programme is None:
        return 7
    return max((item.days_per_week for item in programme.items.all()), default=7)


def suggested_choice(patient: Patient, programme: Programme | None) -> ScheduleChoice:
    """The first suggestion: days spread to match the programme, 18:00, the patient's zone."""
    return ScheduleChoice(
        weekdays=suggest_weekdays(sessions_per_week(programme)),
        time_of_day=DEFAULT_TIME,
        time_zone=zone_name_of(patient),
        email_enabled=True,
    )


def schedule_of(actor: Any, patient: Patient) -> ReminderSchedule | None:
    """The patient's schedule if ``actor`` may see it (not audited: callers audit the page)."""
    schedules = ReminderSchedule.objects.for_actor(actor).filter(patient=patient)
    return schedules.select_related("patient__clinic").first()  # its zone is the patient's


@transaction.atomic
def save_schedule(actor: Any, patient: Patient, choice: ScheduleChoice) -> ReminderSchedule:
    """Create or replace the patient's schedule (validated by the core's ``WeeklySchedule``)."""
    if Patient.objects.for_actor(actor).filter(pk=patient.pk).first() is None:
        raise PermissionError("not this actor's patient")
    now = timezone.now()
    _save_time_zone(actor, patient, choice.time_zone)
    fields = {
        "weekdays": sorted(choice.weekdays),
        "time_of_day": choice.time_of_day,
        "email_enabled": choice.email_enabled,
        "updated_at": now,
    }
    schedule, _ = ReminderSchedule.objects.update_or_create(patient=patient, defaults=fields)
    schedule.core  # noqa: B018 -- refuses (ValueError) a schedule the core cannot keep
    trail.note(
        actor,
        "reminders.schedule.save",
        patient_id=patient.pk,
        obj=schedule,
        weekdays=fields["weekdays"],
        time_of_day=choice.time_of_day.isoformat("minutes"),
        time_zone=choice.time_zone,
        email_enabled=choice.email_enabled,
    )
    return schedule


def _save_time_zone(actor: Any, patient: Patient, zone: str) -> None:
    """The zone chosen on the reminders page is the patient's own (``Patient.time_zone``), the
    one every date of theirs follows. Kept blank when it is the clinic's, so the patient follows
    the clinic's zone if the clinic corrects it."""
    if not is_time_zone(zone):
        raise ValueError(f"unknown time zone {zone!r}")
    patient.time_zone = "" if zone == clinic_zone_name(patient.clinic) else zone
    Patient.objects.for_actor(actor).filter(pk=patient.pk).update(time_zone=patient.time_zone)


def view_calendar_link(actor: Any, patient: Patient) -> CalendarFeed | None:
    """The patient's working calendar link, if any (the token itself is never kept)."""
    return CalendarFeed.objects.for_actor(actor).filter(patient=patient, revoked_at=None).first()


@transaction.atomic
def issue_calendar_link(actor: Any, patient: Patient) -> str:
    """A new secret calendar token (shown once); every earlier link of the patient stops working."""
    if Patient.objects.for_actor(actor).filter(pk=patient.pk).first() is None:
        raise PermissionError("not this actor's patient")
    revoked = _revoke(actor, patient)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(patient=patient, token_hash=hash_token(token))
    trail.note(actor, "reminders.calendar.issue", patient_id=patient.pk, obj=feed, revoked=revoked)
    return token


@transaction.atomic
def revoke_calendar_links(actor: Any, patient: Patient) -> int:
    """Turn the patient's calendar link off; returns how many links stopped working."""
    revoked = _revoke(actor, patient)
    trail.note(actor, "reminders.calendar.revoke", patient_id=patient.pk, revoked=revoked)
    return revoked


def _revoke(actor: Any, patient: Patient) -> int:
    live = CalendarFeed.objects.for_actor(actor).filter(patient=patient, revoked_at=None)
    return live.update(revoked_at=timezone.now())


def calendar_for_token(token: str, now: datetime | None = None) -> bytes | None:
    """The iCalendar file behind a secret link; None for an unknown, revoked or malformed link,
    or one whose patient no longer has an active login (the link dies with the account).

    A paused programme (an open red flag) or no active programme gives a calendar with no
    sessions, so the patient's calendar stops prompting them to exercise. Audited, with no
    actor: it is the calendar program asking. A wrong link (None) is for the caller to audit
    through ``backcare.audit.probes.wrong_link``, which also limits them per address.
    """
    now = now or timezone.now()
    feed = None
    if TOKEN_SHAPE.fullmatch(token):
        feed = (
            CalendarFeed.objects.filter(
                token_hash=hash_token(token), revoked_at=None, patient__user__is_active=True
            )
            .select_related("patient__clinic", "patient__user")
            .first()
        )
    if feed is None:
        return None
    patient = feed.patient
    schedules = ReminderSchedule.objects.filter(patient=patient)
    schedule = schedules.select_related("patient__clinic").first()  # its zone is the patient's
    paused = (
        patient.red_flag_open
        or not patient.programme_set.filter(status=Programme.Status.ACTIVE).exists()
    )
    shown = schedule.core if schedule is not None and not paused else None
    with transaction.atomic():
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
        trail.note(
            None,
            "reminders.calendar.fetch",
            patient_id=patient.pk,
            obj=feed,
            via="calendar feed",
            weekdays=sorted(shown.weekdays) if shown else [],
        )
    with translation.override(language_of(patient)):
        return build_calendar(
            shown,
            patient_key=str(patient.pk),
            starts_on=local_date(patient, schedule.updated_at if schedule else now),
            updated_at=schedule.updated_at if schedule else now,
            now=now,
        )


def patient_regularity(
    actor: Any, patient: Patient, now: datetime | None = None, *, programme: Programme | None = None
) -> Regularity:
    """Adherence over the last 7 and 28 days and the streak, read as ``actor``.

    ``programme`` is the patient's active one when the page has already read it (else it is read
    here). A fixed number of queries however long the history: the sessions are counted by the
    database (``session_summaries``), not loaded with their logs.

    Not audited here: it is part of a page (today's, the reminders page, the clinician's view of
    them), and each page writes its own one audit row for the patient's data it shows.
    """
    schedule = schedule_of(actor, patient)
    programme = programme or active_programme(actor, patient)
    return regularity(
        session_summaries(actor, patient),
        today_for(patient, now),
        schedule=schedule.core if schedule else None,
        sessions_per_week=sessions_per_week(programme),
        started_on=treatment_start(actor, patient),
        min_share_done=thresholds_for(patient.clinic).min_share_of_exercises_done,
    )


def treatment_start(actor: Any, patient: Patient) -> date | None:
    """The patient's first day with a programme (their first assigned version), in their zone.

    Adherence windows start here, not before: a patient who began on Monday was not asked to
    exercise the week before. The first version, not the current one, so a progression to a new
    version does not wipe the weeks already done from the figures.
    """
    first = (
        Programme.objects.for_actor(actor)
        .filter(patient=patient, status__in=[Programme.Status.ACTIVE, Programme.Status.SUPERSEDED])
        .order_by("version")
        .first()
    )
    if first is None:
        return None
    first.patient = patient  # the same row, with its clinic: dated without reading them again
    return programme_start(first)


def recent_deliveries(actor: Any, patient: Patient, limit: int = 14) -> list[ReminderDelivery]:
    """The patient's latest reminder e-mails (sent, skipped or failed), newest first."""
    return list(ReminderDelivery.objects.for_actor(actor).filter(patient=patient)[:limit])
