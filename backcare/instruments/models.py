"""Licensed questionnaires a clinic imported, who is asked to answer them, and the answers.

The item text of a licensed instrument lives only in the clinic's database, in the FHIR file the
clinic imported under its own licence (DESIGN §6); this code knows items by link-id.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backcare.core.instruments import CODES, RULES
from backcare.patients.scoping import ScopedManager

RULE_CHOICES = [(code, RULES[code].name) for code in CODES]


class InstrumentManager(models.Manager["Instrument"]):
    """Instruments are a clinic's own: its clinicians see them, nobody else does."""

    def for_actor(self, user: Any) -> models.QuerySet[Instrument]:
        if user is None or not user.is_authenticated or not getattr(user, "is_clinician", False):
            return self.none()
        return self.filter(clinic_id=user.clinic_id)


class Instrument(models.Model):
    """One imported FHIR R4 Questionnaire with its licence terms and how it is scored."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")
        UNKNOWN = "unknown", _("Unknown")

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT)
    questionnaire = models.JSONField(help_text="The FHIR R4 Questionnaire exactly as imported.")
    url = models.CharField(max_length=500, help_text="The Questionnaire's canonical url.")
    version = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices)
    rule_code = models.CharField(
        max_length=20, choices=RULE_CHOICES, blank=True, help_text="Blank: not scored."
    )
    mapping = models.JSONField(default=dict, blank=True, help_text="link-id → rule item key.")
    owner = models.CharField(max_length=300, help_text="Who holds the instrument's copyright.")
    licence = models.TextField(help_text="The terms under which the clinic may use it.")
    attribution = models.TextField(help_text="Shown wherever the questionnaire or a score is.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    objects = InstrumentManager()

    class Meta:
        ordering = ["title", "version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "url", "version"], name="one_instrument_per_canonical_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}".strip()

    @property
    def canonical(self) -> str:
        return f"{self.url}|{self.version}" if self.version else self.url

    @property
    def rule_name(self) -> str:
        return RULES[self.rule_code].name if self.rule_code else "Not scored"


class Assignment(models.Model):
    """A clinician asking a patient to answer an instrument, at a point in their care."""

    class Context(models.TextChoices):
        INTAKE = "intake", _("Intake")
        CHECK_IN = "check_in", _("Check-in")
        DISCHARGE = "discharge", _("Discharge")

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT)
    context = models.CharField(max_length=20, choices=Context.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager["Assignment"]()

    class Meta:
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.get_context_display()})"


class Response(models.Model):
    """A patient's answers as a FHIR QuestionnaireResponse, with the score worked out from them."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="response")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT)
    response = models.JSONField(help_text="The FHIR R4 QuestionnaireResponse.")
    rule_code = models.CharField(
        max_length=20, choices=RULE_CHOICES, blank=True, help_text="The rule that scored it."
    )
    score = models.FloatField(null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    interpretation = models.CharField(max_length=40, blank=True)
    notes = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["Response"]()

    class Meta:
        ordering = ["-answered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument} answered {self.answered_at:%Y-%m-%d}"

    @property
    def score_text(self) -> str:
        """The score on its scale: ``6 / 9``, ``42 %``, ``5.3 / 10``."""
        if self.score is None or not self.rule_code:
            return ""
        rule = RULES[self.rule_code]
        shown = f"{self.score:.1f}".removesuffix(".0")
        return f"{shown} %" if rule.unit == "%" else f"{shown} / {rule.range[1]:g}"
