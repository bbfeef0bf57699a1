"""Task wrapper for schedulers (cron via ``backcare nightly``, or any task queue)."""

from datetime import date

from backcare.reviews.services import NightlyReport, run_nightly


def nightly_review(day: date | None = None) -> NightlyReport:
    """The nightly job; idempotent, so a retry or a double schedule does no harm."""
    return run_nightly(day)
