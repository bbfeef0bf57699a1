"""Patients, their intake and their red-flag screens."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backcare.accounts.models import validate_time_zone
from backcare.core.screening import ACTION_ADVICE, ACTIONS, RED_FLAGS, RedFlag
from backcare.patients.scoping import ScopedManager

PAIN_0_10 = [MinValueValidator(0), MaxValueValidator(10)]


class Patient(models.Model):
    """A person receiving a programme, with what the prescribing core needs to know."""

    patient_path = ""

    class Stage(models.TextChoices):
        INITIAL = "initial", _("Initial: calm symptoms, activate")
        INTERMEDIATE = "intermediate", _("Intermediate: stabilise and load")
        ADVANCED = "advanced", _("Advanced: strengthen and return to activity")

    class RiskGroup(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    date_of_birth = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INITIAL)
    risk_group = models.CharField(max_length=10, choices=RiskGroup.choices, default=RiskGroup.LOW)
    baseline_pain_0_10 = models.PositiveSmallIntegerField(validators=PAIN_0_10)
    goals = models.TextField(blank=True, help_text="What the patient wants to get back to.")
    equipment = models.JSONField(default=list, blank=True)
    excluded_positions = models.JSONField(default=list, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    preferred_categories = models.JSONField(default=list, blank=True)
    preferred_aerobic = models.CharField(max_length=60, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA name, e.g. Europe/Madrid; blank follows the clinic's.",
    )
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["Patient"]()

    class Meta:
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def latest_screen(self) -> RedFlagScreen | None:
        screens = self.redflagscreen_set.all()  # sorted here so a prefetch serves it
        return max(screens, key=lambda s: (s.screened_at, s.pk), default=None)

    def open_red_flag(self) -> RedFlagScreen | None:
        """The screen whose red flag stops self-directed exercise: the latest, if it found one
        (a clean re-screen by a clinician clears it). The one place this rule is kept."""
        screen = self.latest_screen()
        return screen if screen is not None and screen.action != "none" else None

    @property
    def red_flag_open(self) -> bool:
        """True while :meth:`open_red_flag` has a screen."""
        return self.open_red_flag() is not None


class RedFlagScreen(models.Model):
    """One red-flag screen: the questions answered yes and the action that followed."""

    ACTION_CHOICES = [(a, a.replace("_", " ")) for a in ACTIONS]

    class Source(models.TextChoices):
        CLINICIAN = "clinician", _("Screened by a clinician")
        SYMPTOM_REPORT = "symptom_report", _("Reported by the patient (“I have a new symptom”)")
        WEEKLY_CHECKIN = "weekly_checkin", _("Ticked by the patient in the weekly check-in")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE)
    positive_flags = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=30, choices=ACTION_CHOICES)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CLINICIAN)
    note = models.TextField(blank=True, help_text="The clinician's note, or the patient's words.")
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["RedFlagScreen"]()

    def __str__(self) -> str:
        return f"Red-flag screen {self.screened_at:%Y-%m-%d}: {self.action}"

    @property
    def flags(self) -> list[RedFlag]:
        """The red flags answered yes, with their questions and conditions."""
        return [flag for flag in RED_FLAGS if flag.key in self.positive_flags]

    @property
    def by_patient(self) -> bool:
        """The patient reported it themself, so ``note`` holds their own words."""
        return self.source != self.Source.CLINICIAN

    @property
    def advice(self) -> str:
        return ACTION_ADVICE[self.action]  # type: ignore[index]

    @property
    def action_name(self) -> str:
        """Where the screen sent the patient, in the active language ("Emergency now")."""
        return str(ACTION_NAMES.get(self.action, self.action))


ACTION_NAMES = {
    "none": pgettext_lazy("screen action", "No red flag"),
    "doctor_this_week": pgettext_lazy("screen action", "See a doctor this week"),
    "same_day": pgettext_lazy("screen action", "See a doctor today"),
    "emergency_now": pgettext_lazy("screen action", "Emergency department now"),
}
