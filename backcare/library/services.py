"""Loading the content files into the database, and reading them back as core types."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from backcare.core.library import Exercise as CoreExercise
from backcare.core.library import load_library, load_translations
from backcare.library.models import Exercise


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int
    retired: int


def exercises_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "exercises"


def translated_languages() -> list[str]:
    """The language codes of ``settings.LANGUAGES`` other than English, the library's own.

    Each has its words in ``content/exercises/<code>/`` (e.g. ``es``).
    """
    return [code for code, _ in settings.LANGUAGES if code.split("-")[0] != "en"]


@transaction.atomic
def refresh_library(folder: Path | None = None) -> LoadReport:
    """Validate every content file and translation, then upsert them; idempotent, all-or-nothing.

    A file removed from ``content/`` is retired, not deleted, so programmes that used it keep it.
    Translations come from ``<folder>/<language>/`` for each of :func:`translated_languages`; an
    exercise without one is shown in English.
    """
    folder = folder or exercises_dir()
    library = load_library(folder)  # raises LibraryError naming the file and field
    by_language = {
        code: load_translations(folder / code, library) for code in translated_languages()
    }
    created = updated = unchanged = 0
    for slug, exercise in library.items():
        raw = tomllib.loads((folder / f"{slug}.toml").read_text(encoding="utf-8"))
        translations = {
            code: found[slug][0] for code, found in by_language.items() if slug in found
        }
        digest = _content_hash(raw, translations)
        fields = {
            "name": exercise.name,
            "category": exercise.category,
            "position": exercise.position,
            "stages": list(exercise.stages),
            "raw": raw,
            "translations": translations,
            "content_hash": digest,
            "is_active": True,
        }
        row = Exercise.objects.filter(slug=slug).first()
        if row is None:
            Exercise.objects.create(slug=slug, **fields)
            created += 1
        elif row.content_hash != digest or not row.is_active:
            Exercise.objects.filter(pk=row.pk).update(**fields)
            updated += 1
        else:
            unchanged += 1
    retired = (
        Exercise.objects.filter(is_active=True).exclude(slug__in=library).update(is_active=False)
    )
    return LoadReport(created, updated, unchanged, retired)


def _content_hash(raw: dict[str, Any], translations: dict[str, Any]) -> str:
    """A digest of the file and its translations: a changed translation counts as a change."""
    content = {"raw": raw, "translations": translations} if translations else raw
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def active_library() -> dict[str, CoreExercise]:
    """The active exercises as core types, keyed by slug (input to the prescribing core)."""
    return {row.slug: row.core for row in Exercise.objects.filter(is_active=True)}
