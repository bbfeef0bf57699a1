"""What the patient did: sessions and per-exercise logs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from backcare.patients.models import PAIN_0_10
from backcare.patients.scoping import ScopedManager


class Session(models.Model):
    """One logged session, identified by the id the client generated (idempotent logging)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT)
    client_id = models.UUIDField()
    body_hash = models.CharField(max_length=64, help_text="Hash of the logged body, for replays.")
    performed_on = models.DateField()
    notes = models.TextField(blank=True)
    next_morning_pain_0_10 = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_0_10
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["Session"]()

    class Meta:
        ordering = ["-performed_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "client_id"], name="one_session_per_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"Session on {self.performed_on:%Y-%m-%d}"

    @property
    def done_count(self) -> int:
        return sum(1 for log in self.exercises.all() if log.done)

    @property
    def worst_pain_0_10(self) -> int | None:
        pains = [
            log.pain_during_0_10 for log in self.exercises.all() if log.pain_during_0_10 is not None
        ]
        return max(pains, default=None)


ACHIEVED_UNITS = {
    "reps": ("reps_done", "reps"),
    "hold": ("hold_s_done", "s hold"),
    "duration": ("minutes_done", "min"),
}
"""The field holding how much was done for each dose type, and its unit as shown."""


def _amount(dose_type: str, amount: int) -> str:
    """ "10 reps" / "30 s hold" / "20 min", in the active language."""
    if dose_type == "reps":
        return ngettext("%(n)d rep", "%(n)d reps", amount) % {"n": amount}
    if dose_type == "hold":
        return gettext("%(n)d s hold") % {"n": amount}
    return gettext("%(n)d min") % {"n": amount}


class ExerciseLog(models.Model):
    """One exercise within a session: done or skipped, what was achieved, pain and effort."""

    patient_path = "session__patient"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="exercises")
    item = models.ForeignKey("programmes.ProgrammeItem", on_delete=models.PROTECT)
    done = models.BooleanField()
    sets_done = models.PositiveSmallIntegerField(null=True, blank=True)
    reps_done = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_s_done = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_done = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_during_0_10 = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_0_10)
    effort_0_10 = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_0_10)

    objects = ScopedManager["ExerciseLog"]()

    class Meta:
        ordering = ["item__position"]

    def __str__(self) -> str:
        return f"{self.item} ({'done' if self.done else 'skipped'})"

    def achieved_text(self) -> str:
        """What was done, in the item's dose units (e.g. "3 × 10 reps"); empty if not reported."""
        field, _unit = ACHIEVED_UNITS[self.item.dose_type]
        amount = getattr(self, field)
        sets = self.sets_done
        if amount is None:
            if sets is None:
                return ""
            return ngettext("%(n)d set", "%(n)d sets", sets) % {"n": sets}
        done = _amount(self.item.dose_type, amount)
        return done if sets is None else f"{sets} × {done}"
