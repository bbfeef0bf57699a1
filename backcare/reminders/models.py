"""Reminders: a patient's weekly schedule, their secret calendar links, and e-mails sent."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from backcare.core.schedule import WeeklySchedule
from backcare.patients.clock import zone_name_of
from backcare.patients.scoping import ScopedManager


class ReminderSchedule(models.Model):
    """The weekdays and local time the patient plans to exercise, and whether to e-mail them.

    The time is read in the patient's own time zone (``Patient.time_zone``, else the clinic's):
    the schedule keeps no zone of its own, so reminders and every "today" share one clock.
    """

    patient = models.OneToOneField("patients.Patient", on_delete=models.CASCADE)
    weekdays = models.JSONField(default=list, help_text="Monday 0 … Sunday 6.")
    time_of_day = models.TimeField(default=time(18, 0))
    email_enabled = models.BooleanField(_("e-mail reminders"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["ReminderSchedule"]()

    def __str__(self) -> str:
        return f"Reminder schedule of patient {self.patient_id}"

    @property
    def weekday_names(self) -> list[str]:
        """The days, Monday first, in the active language."""
        return [str(WEEKDAYS[day]) for day in sorted(self.weekdays)]

    @property
    def time_zone(self) -> str:
        """The patient's time zone (``backcare.patients.clock``), the one the time is read in."""
        return zone_name_of(self.patient)

    @property
    def core(self) -> WeeklySchedule:
        """The schedule as the pure core reads it."""
        return WeeklySchedule(frozenset(self.weekdays), self.time_of_day, self.time_zone)


class CalendarFeed(models.Model):
    """One secret calendar link. Only the SHA-256 of its token is kept; revoked links stay, so
    the page can say when the link was turned off, but never answer again."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager["CalendarFeed"]()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Calendar link of patient {self.patient_id}"


class ReminderDelivery(models.Model):
    """One reminder e-mail for one patient's local day: the row is the promise of "only once".

    It is claimed (``sending``) before anything else; then it is ``skipped`` (with the reason),
    ``sent``, or ``failed`` for the next run to retry. The unique (patient, local day) pair
    means two runs, or two machines, can never both send the same day's reminder.
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, to retry")
        SKIPPED = "skipped", _("Not needed")

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    local_date = models.DateField(help_text="The day in the patient's time zone.")
    due_at = models.DateTimeField(help_text="The scheduled time, as an instant.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    note = models.CharField(max_length=300, blank=True, help_text="Why skipped, or the error.")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager["ReminderDelivery"]()

    SKIP_REASONS = {
        "reminders_off": _("e-mail reminders are off"),
        "inactive_user": _("the patient's login is not active"),
        "no_email": _("no e-mail address"),
        "no_programme": _("no active programme"),
        "paused": _("programme paused for a red flag"),
        "done_today": _("a session was already logged that day"),
    }

    class Meta:
        ordering = ["-local_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "local_date"], name="one_reminder_per_patient_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder for patient {self.patient_id} on {self.local_date:%Y-%m-%d}"

    @property
    def note_text(self) -> str:
        """Why a day was skipped, in words; a failure's error as it was."""
        return str(self.SKIP_REASONS.get(self.note, self.note))
