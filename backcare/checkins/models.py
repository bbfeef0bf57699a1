"""The weekly check-in: the patient's own activity goals, and their answers each week.

The questions are our own short ones (see ``QUESTIONS`` in ``forms.py``), never the text of a
licensed questionnaire (DESIGN.md §6). Every 0-10 field says in its help text which end is good.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from backcare.core.screening import RED_FLAGS, RedFlag
from backcare.patients.models import PAIN_0_10
from backcare.patients.scoping import ScopedManager

DAYS_0_7 = [MinValueValidator(0), MaxValueValidator(7)]


class Goal(models.Model):
    """An activity the patient wants to get back to, rated 0-10 at intake and every week.

    Goals are retired (``active`` off), never deleted, so past ratings keep their wording.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    activity = models.CharField(max_length=200, help_text='e.g. "walk the dog for 30 minutes"')
    baseline_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10,
        help_text="How well they could do it at intake: 0 = not at all, 10 = fully.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Asked about in the weekly check-in.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["Goal"]()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.activity


class CheckIn(models.Model):
    """One patient's answers for one calendar week (Monday to Sunday).

    There is one per patient per week: answering again in the same week replaces the answers, so
    the week's natural key makes a retried or repeated submission harmless without a client id.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    week_of = models.DateField(help_text="The Monday of the week answered in.")
    submitted_at = models.DateTimeField(default=timezone.now, help_text="When last answered.")
    pain_now_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10, help_text="0 = no pain, 10 = worst imaginable."
    )
    pain_average_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10, help_text="A typical day in the last 7 days; 0 = no pain."
    )
    pain_worst_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10, help_text="The worst moment in the last 7 days; 0 = no pain."
    )
    interference_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10,
        help_text="How much the back got in the way of daily life; 0 = not at all.",
    )
    sleep_quality_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10, help_text="0 = very poor, 10 = very good (higher is better)."
    )
    confidence_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10,
        help_text="Confidence doing the programme and daily activities; 10 = completely sure.",
    )
    flare_ups = models.PositiveSmallIntegerField(
        validators=DAYS_0_7, help_text="Days with a flare-up in the last 7 days (0-7)."
    )
    red_flags = models.JSONField(
        default=list, blank=True, help_text="Warning signs ticked in this check-in's re-screen."
    )
    notes = models.TextField(blank=True)

    objects = ScopedManager["CheckIn"]()

    class Meta:
        ordering = ["-week_of"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "week_of"], name="one_checkin_per_week"),
        ]

    def __str__(self) -> str:
        return f"Check-in for the week of {self.week_of:%Y-%m-%d}"

    @property
    def flags(self) -> list[RedFlag]:
        """The warning signs ticked in this check-in, with their questions and conditions."""
        return [flag for flag in RED_FLAGS if flag.key in self.red_flags]


class GoalRating(models.Model):
    """How well the patient can do one goal activity, as answered in one check-in."""

    patient_path = "checkin__patient"

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="ratings")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="ratings")
    rating_0_10 = models.PositiveSmallIntegerField(
        validators=PAIN_0_10, help_text="0 = can't do it at all, 10 = can do it fully."
    )

    objects = ScopedManager["GoalRating"]()

    class Meta:
        ordering = ["goal__position", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "goal"], name="one_rating_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.rating_0_10}/10"
