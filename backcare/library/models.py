"""The exercise library as loaded from ``content/`` (not patient data)."""

from __future__ import annotations

from functools import cached_property

from django.db import models
from django.utils import translation

from backcare.core.library import Exercise as CoreExercise
from backcare.core.library import ExerciseText, parse_exercise, parse_translation


class Exercise(models.Model):
    """One exercise; ``raw`` holds its content file, re-validated into the core type on use."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30)
    position = models.CharField(max_length=30)
    stages = models.JSONField(default=list)
    raw = models.JSONField()
    translations = models.JSONField(
        default=dict, blank=True, help_text="Translated words by language code, e.g. {'es': {…}}."
    )
    content_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True, help_text="False once its file is removed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def core(self) -> CoreExercise:
        return parse_exercise(self.raw, f"{self.slug}.toml")

    @property
    def local(self) -> ExerciseText:
        """The exercise's words in the active language (English where no translation exists).

        Templates and documents show ``exercise.local.name`` / ``.steps`` / ``.cues`` … to patients.
        """
        return self.text(translation.get_language())

    def text(self, language: str | None) -> ExerciseText:
        """The exercise's words in ``language`` (``es``, ``es-es`` …), else in English."""
        code = (language or "").lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in self.translations:
                return self._texts(candidate)
        return ExerciseText.of(self.core)

    @cached_property
    def _text_cache(self) -> dict[str, ExerciseText]:
        return {}

    def _texts(self, code: str) -> ExerciseText:
        if code not in self._text_cache:
            source = f"{code}/{self.slug}.toml"
            self._text_cache[code] = parse_translation(self.translations[code], source, self.core)
        return self._text_cache[code]
