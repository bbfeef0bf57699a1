"""``backcare load_library``: validate and load the exercise files from content/."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backcare.core.library import LibraryError
from backcare.library.services import refresh_library


class Command(BaseCommand):
    help = "Validate content/exercises/*.toml and load them (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = refresh_library()
        except LibraryError as error:
            raise CommandError(f"Exercise library not loaded: {error}") from error
        self.stdout.write(
            f"Exercise library: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.retired} retired."
        )
