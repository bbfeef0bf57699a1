"""One stored analysis per uploaded recording of a logged exercise; the landmarks are not kept."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from backcare.core.motion import SKELETONS
from backcare.patients.scoping import ScopedManager


class MotionAnalysis(models.Model):
    """What the motion engine found in one recording, identified by the client's id (idempotent).

    ``result`` is the engine's whole answer as JSON (see ``services.result_json``); ``judged``,
    ``reason``, ``quality`` and ``confidence`` are copied out of it for listing and filtering.
    Only the result is kept, never the landmark sequence it was computed from.
    """

    patient_path = "exercise_log__session__patient"

    exercise_log = models.ForeignKey(
        "logbook.ExerciseLog", on_delete=models.CASCADE, related_name="motion_analyses"
    )
    client_id = models.UUIDField()
    body_hash = models.CharField(max_length=64, help_text="SHA-256 of the upload, for replays.")
    skeleton = models.CharField(max_length=20, choices=[(name, name) for name in SKELETONS])
    fps = models.FloatField()
    frame_count = models.PositiveIntegerField()
    profile_slug = models.SlugField(max_length=100)
    profile_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the motion profile as parsed, to tell versions apart."
    )
    judged = models.BooleanField(help_text="False when the landmarks were too poor to judge.")
    reason = models.TextField(blank=True, help_text="Why it could not be judged.")
    quality = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence = models.FloatField()
    result = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager["MotionAnalysis"]()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "motion analyses"
        constraints = [
            models.UniqueConstraint(
                fields=["exercise_log", "client_id"], name="one_motion_analysis_per_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"Motion analysis of {self.exercise_log}"

    @property
    def reps(self) -> list[dict[str, Any]]:
        return list(self.result.get("reps", []))

    @property
    def holds(self) -> list[dict[str, Any]]:
        return list(self.result.get("holds", []))
