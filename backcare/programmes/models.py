"""Programmes: every version a clinician drafted or assigned to a patient is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from backcare.patients.scoping import ScopedManager


class Programme(models.Model):
    """One version of a patient's programme. Drafts are editable; assigning freezes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"
        DISCARDED = "discarded", "Discarded"

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    stage = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    aerobic_exercise = models.ForeignKey(
        "library.Exercise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aerobic_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    aerobic_days_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    aerobic_reason = models.CharField(max_length=300, blank=True)
    notes = models.JSONField(default=list, blank=True, help_text="Notes from the proposal.")
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


class ProgrammeItem(models.Model):
    """One exercise of a programme version with its dose."""

    patient_path = "programme__patient"

    class DoseType(models.TextChoices):
        REPS = "reps", "Sets × reps"
        HOLD = "hold", "Sets × hold seconds"
        DURATION = "duration", "Minutes"

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
    reason = models.CharField(max_length=300, blank=True)

    objects = ScopedManager["ProgrammeItem"]()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.exercise.name} ({self.dose_text()})"

    def dose_text(self) -> str:
        if self.dose_type == self.DoseType.REPS:
            body = f"{self.sets} × {self.reps} reps"
        elif self.dose_type == self.DoseType.HOLD:
            body = f"{self.sets} × {self.hold_s} s hold"
        else:
            body = f"{self.duration_min} min"
        return f"{body}, rest {self.rest_s} s, {self.days_per_week} days a week"
