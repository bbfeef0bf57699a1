"""The one clock: a patient's "today", and the patient's date of any instant.

Every date rule about a patient reads the patient's own calendar day, in the patient's time zone:
the day a session is logged on, the week a check-in belongs to, the days in a stage, the nightly
review's "today", adherence, streaks and reminders. Reason: a patient in Los Angeles logging at
17:30 is already on the next day in UTC; dated by the server, that session would fall on
tomorrow, count toward the wrong check-in week and suppress tomorrow's reminder as "done today".

The zone is the patient's own (``Patient.time_zone``, set on their Reminders page), else their
clinic's (``Clinic.time_zone``). A zone this machine no longer knows (a time-zone database
upgrade can drop a name) reads as the next one down: the clinic's, then the server's
``TIME_ZONE``, then UTC, so a date is always given.

No query of its own beyond ``patient.clinic``: jobs that go through many patients
``select_related("clinic")``.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from backcare.accounts.models import Clinic
from backcare.core.schedule import is_time_zone
from backcare.patients.models import Patient

__all__ = [
    "clinic_today",
    "clinic_zone_name",
    "date_in",
    "local_date",
    "today_for",
    "zone_name_of",
    "zone_of",
]


def clinic_zone_name(clinic: Clinic) -> str:
    """The clinic's time zone, else the server's ``TIME_ZONE``, else UTC."""
    for zone in (clinic.time_zone, settings.TIME_ZONE):
        if zone and is_time_zone(zone):
            return str(zone)
    return "UTC"


def zone_name_of(patient: Patient) -> str:
    """The patient's time zone: their own when set, else their clinic's."""
    own = patient.time_zone
    return own if own and is_time_zone(own) else clinic_zone_name(patient.clinic)


def zone_of(patient: Patient) -> ZoneInfo:
    """The patient's time zone, ready for ``datetime.astimezone``."""
    return ZoneInfo(zone_name_of(patient))


def date_in(zone: ZoneInfo, instant: datetime) -> date:
    """The calendar date at ``instant`` (an aware datetime) in ``zone``."""
    return instant.astimezone(zone).date()


def local_date(patient: Patient, instant: datetime) -> date:
    """The patient's calendar date at ``instant`` (an aware datetime)."""
    return date_in(zone_of(patient), instant)


def today_for(patient: Patient, now: datetime | None = None) -> date:
    """Today in the patient's time zone (see the module docstring for why)."""
    return local_date(patient, now or timezone.now())


def clinic_today(clinic: Clinic, now: datetime | None = None) -> date:
    """Today in the clinic's time zone, for a date with no patient yet (an intake form)."""
    return date_in(ZoneInfo(clinic_zone_name(clinic)), now or timezone.now())
