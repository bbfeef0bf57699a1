"""The patient's own date: the one clock every patient-facing "today" reads.

A session is dated, a reminder skipped as "done today", a streak and adherence counted, all by
the patient's local date, never the server's. Reason: a patient in Los Angeles logging at 17:30
is already on the next day in UTC; dated by the server, that session would fall on tomorrow and
suppress tomorrow's reminder as "done today". The zone is the one on the patient's reminder
schedule, else their clinic's, else the server's ``TIME_ZONE``.

Kept apart from ``services`` so the logbook can import it without importing the reminders'
services (which import the logbook's).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from backcare.core.schedule import is_time_zone
from backcare.patients.models import Patient
from backcare.reminders.models import ReminderSchedule

__all__ = ["default_time_zone", "local_date", "patient_today", "patient_zone"]


def default_time_zone(patient: Patient) -> str:
    """The clinic's time zone when it has one, else the server's (``TIME_ZONE``)."""
    zone = getattr(patient.clinic, "time_zone", "") or settings.TIME_ZONE
    return zone if is_time_zone(zone) else "UTC"


def patient_zone(patient: Patient) -> ZoneInfo:
    """The patient's time zone: their schedule's, else ``default_time_zone``."""
    schedule = ReminderSchedule.objects.filter(patient=patient).only("time_zone").first()
    if schedule is not None and is_time_zone(schedule.time_zone):
        return ZoneInfo(schedule.time_zone)
    return ZoneInfo(default_time_zone(patient))


def local_date(patient: Patient, instant: datetime) -> date:
    """The patient's calendar date at ``instant`` (an aware datetime)."""
    return instant.astimezone(patient_zone(patient)).date()


def patient_today(patient: Patient, now: datetime | None = None) -> date:
    """Today in the patient's time zone (see the module docstring for why)."""
    return local_date(patient, now or timezone.now())
