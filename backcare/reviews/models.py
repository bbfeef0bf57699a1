"""Progression reviews: the engine's proposals waiting for a clinician's decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backcare.patients.scoping import ScopedManager
from backcare.programmes.models import STAGE_NAMES
from backcare.reviews import words


@dataclass(frozen=True)
class ReasonRow:
    """One row of the reasons table, in the reader's language; ``status`` is the rule's code for
    styling (``status-met``), never shown."""

    status: str
    name: str
    result: str
    sentence: str
    figures: list[tuple[str, str]]


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
    summary = models.JSONField(
        default=dict,
        help_text="The one-line summary as a fact ({'code': headline, 'params': {'rules', "
        "'stage'}}), worded when shown; or an older summary's text that could not be read as one.",
    )
    reasons = models.JSONField(
        default=list,
        help_text="Every rule's verdict: {'rule', 'status', 'effect', 'figures'}, worded when "
        "shown; an older reason that could not be read as one keeps its 'text'.",
    )
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
    def summary_text(self) -> str:
        """The one-line summary in the active language."""
        return words.summary(self.summary)

    @property
    def reason_rows(self) -> list[ReasonRow]:
        """Every rule's verdict in the active language: name, result, sentence, figures."""
        return [
            ReasonRow(
                status=str(r.get("status", "")),
                name=words.rule_name(str(r.get("rule", ""))),
                result=words.status_name(str(r.get("status", ""))),
                sentence=words.reason(r),
                figures=words.figures(r),
            )
            for r in self.reasons
        ]

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
