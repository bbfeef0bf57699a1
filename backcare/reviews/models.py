"""Progression reviews: the engine's proposals waiting for a clinician's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backcare.patients.scoping import ScopedManager
from backcare.programmes.models import STAGE_NAMES


class Review(models.Model):
    """One proposal (progress, regress or refer) with every reason and the numbers behind it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        SUPERSEDED = "superseded", _("Superseded by a newer proposal")

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE)
    computed_on = models.DateField()
    decision = models.CharField(max_length=20)
    from_stage = models.CharField(max_length=20)
    to_stage = models.CharField(max_length=20, blank=True)
    summary = models.CharField(max_length=500)
    reasons = models.JSONField(default=list)
    alerts = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    new_programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["Review"]()

    class Meta:
        ordering = ["-computed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.decision} proposal for patient {self.patient_id} ({self.status})"

    @property
    def decision_name(self) -> str:
        """The proposal ("Progress") in the active language."""
        return str(DECISION_NAMES.get(self.decision, self.decision.capitalize()))

    @property
    def from_stage_name(self) -> str:
        return str(STAGE_NAMES.get(self.from_stage, self.from_stage))

    @property
    def to_stage_name(self) -> str:
        return str(STAGE_NAMES.get(self.to_stage, self.to_stage))


DECISION_NAMES = {
    "progress": pgettext_lazy("proposal", "Progress"),
    "hold": pgettext_lazy("proposal", "Hold"),
    "regress": pgettext_lazy("proposal", "Regress"),
    "refer": pgettext_lazy("proposal", "Refer"),
}
