"""Programmes: every version a clinician drafted or assigned to a patient is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from backcare.patients.scoping import ScopedManager
from backcare.programmes.words import say

REASON_HELP = (
    "Why, as a fact from the prescribing core ({'code', 'params'}), worded when shown; or the "
    "text of a reason older than facts that could not be read as one, shown as it is."
)


class Programme(models.Model):
    """One version of a patient's programme. Drafts are editable; assigning freezes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("programme", "Active")
        SUPERSEDED = "superseded", _("Superseded")
        DISCARDED = "discarded", _("Discarded")

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    stage = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    aerobic_exercise = models.ForeignKey(
        "library.Exercise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aerobic_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    aerobic_days_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    aerobic_reason = models.JSONField(default=dict, blank=True, help_text=REASON_HELP)
    notes = models.JSONField(
        default=list, blank=True, help_text="Notes from the proposal, each stored as a reason is."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager["Programme"]()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="one_number_per_version"),
        ]

    def __str__(self) -> str:
        return f"Programme v{self.version} ({self.get_status_display()})"

    @property
    def stage_name(self) -> str:
        """The stage as a patient reads it ("Initial"), in the active language."""
        return str(STAGE_NAMES.get(self.stage, self.stage))

    @property
    def aerobic_reason_for_clinician(self) -> str:
        """Why this aerobic activity, worded for the clinician in the active language."""
        return say(self.aerobic_reason, "clinician")

    @property
    def aerobic_reason_for_patient(self) -> str:
        """Why this aerobic activity, worded for the patient in the active language."""
        return say(self.aerobic_reason, "patient")

    @property
    def note_texts(self) -> list[str]:
        """The proposal's notes for the clinician, in the active language."""
        return [say(note) for note in self.notes]

    def aerobic_text(self) -> str:
        """The aerobic prescription in words: "20 min, 5 days a week"."""
        return gettext("%(minutes)s min, %(days_per_week)s") % {
            "minutes": self.aerobic_minutes,
            "days_per_week": days_a_week(self.aerobic_days_per_week or 0),
        }


STAGE_NAMES = {
    "initial": _("Initial"),
    "intermediate": _("Intermediate"),
    "advanced": _("Advanced"),
}


def days_a_week(days: int) -> str:
    """ "1 day a week" / "5 days a week", in the active language."""
    return ngettext("%(days)d day a week", "%(days)d days a week", days) % {"days": days}


class ProgrammeItem(models.Model):
    """One exercise of a programme version with its dose."""

    patient_path = "programme__patient"

    class DoseType(models.TextChoices):
        REPS = "reps", _("Sets × reps")
        HOLD = "hold", _("Sets × hold seconds")
        DURATION = "duration", _("Minutes")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey("library.Exercise", on_delete=models.PROTECT)
    dose_type = models.CharField(max_length=10, choices=DoseType.choices)
    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_s = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(null=True, blank=True)
    rest_s = models.PositiveSmallIntegerField(default=30)
    days_per_week = models.PositiveSmallIntegerField(default=7)
    reason = models.JSONField(default=dict, blank=True, help_text=REASON_HELP)

    objects = ScopedManager["ProgrammeItem"]()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.exercise.name} ({self.dose_text()})"

    @property
    def reason_for_clinician(self) -> str:
        """Why this exercise, worded for the clinician in the active language."""
        return say(self.reason, "clinician")

    def dose_text(self) -> str:
        """The dose in words, in the active language: "3 × 10 reps, rest 45 s, 5 days a week"."""
        numbers = {"sets": self.sets, "reps": self.reps, "hold_s": self.hold_s}
        if self.dose_type == self.DoseType.REPS:
            body = gettext("%(sets)s × %(reps)s reps") % numbers
        elif self.dose_type == self.DoseType.HOLD:
            body = gettext("%(sets)s × %(hold_s)s s hold") % numbers
        else:
            body = gettext("%(minutes)s min") % {"minutes": self.duration_min}
        return gettext("%(dose)s, rest %(rest_s)s s, %(days_per_week)s") % {
            "dose": body,
            "rest_s": self.rest_s,
            "days_per_week": days_a_week(self.days_per_week),
        }
