"""Alerts for clinicians: things about a patient that need a person to look now."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backcare.patients.scoping import ScopedManager


class Alert(models.Model):
    """One alert; ``key`` makes raising the same alert twice a no-op (jobs can re-run)."""

    class Kind(models.TextChoices):
        RED_FLAG = "red_flag", _("Red flag")
        PAIN_SPIKE = "pain_spike", _("Pain spike")
        NEXT_MORNING_WORSENING = "next_morning_worsening", _("Worse the next morning")
        NO_RECENT_LOG = "no_recent_log", _("No recent log")
        PERSISTING_PAIN_SPIKE = "persisting_pain_spike", _("Pain spike persisting")
        NOT_IMPROVING = "not_improving", _("Not improving")
        FLARE_UP = "flare_up", _("Flare-up")
        PAIN_RISE_DURING_EXERCISE = "pain_rise_during_exercise", _("Pain rising during exercise")
        PAIN_WORSENING = "pain_worsening", _("Pain worsening")
        NEW_SYMPTOM = "new_symptom", _("New symptom")

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=120, help_text="Identifies the event, e.g. the screen id.")
    urgency = models.CharField(max_length=30, blank=True, help_text="For red flags: the action.")
    message = models.CharField(max_length=500)
    patient_note = models.TextField(
        blank=True, help_text="What the patient wrote with their report, in their own words."
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager["Alert"]()

    class Meta:
        # open alerts first on every database (PostgreSQL sorts NULL last by default)
        ordering = [models.F("acknowledged_at").asc(nulls_first=True), "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "kind", "key"], name="one_alert_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"
