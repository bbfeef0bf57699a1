"""``backcare nightly [--date YYYY-MM-DD]``: the idempotent nightly review (cron it)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backcare.reviews.services import run_nightly


class Command(BaseCommand):
    help = "Compute progression proposals and alerts for every patient; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Review everyone as of this day (default: each patient's own today)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        report = run_nightly(day)
        self.stdout.write(
            f"Reviewed {report.patients} patients: {report.reviews_created} new proposals, "
            f"{report.reviews_superseded} superseded, {report.alerts_raised} alerts."
        )
